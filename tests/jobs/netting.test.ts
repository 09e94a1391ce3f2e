// A netting account on a broker whose clock follows the EU rule, synced for the
// first time with its zone left to detection. 16 March 2026 falls between the
// US (8 March) and EU (29 March) daylight-time switches, so the EU-rule server
// runs GMT+2 while a "New York + 7" one would run GMT+3: the measurement tells
// them apart. `default.json` account 62000001: scale-in, partial close, an
// INOUT reversal that closes one trade and opens the next under the same
// position identifier, and an open USDJPY position.
import { describe, expect, it } from "vitest";
import { startJobsHarness, waitFor } from "../support/jobs-harness.ts";

const START = new Date("2026-03-16T10:00:00Z");
const h = await startJobsHarness({ start: START, tradeWorkers: 1 });

describe("a netting account", () => {
  it("splits the reversal into two trades, detects the EU-rule clock and converts every time with it", async () => {
    const user = await h.createMt5User("pro");
    const account = await h.connectAccount(user, {
      login: 62000001,
      server: "OtherBroker-Live",
      password: "inv-62000001!",
      marginMode: "netting",
      currency: "EUR",
      zone: "NY+7",
      zoneConfirmed: false,
    });
    const tab = await h.openTab(user);
    await waitFor(
      async () =>
        (await h.db.query("select 1 from public.account_sync_state where account_id = $1 and first_sync_completed_at is not null", [account]))
          .rowCount === 1,
      "the first sync",
    );

    const { rows: zone } = await h.db.query("select server_time_zone, server_time_zone_confirmed from public.accounts where id = $1", [account]);
    expect(zone[0]).toEqual({ server_time_zone: "Europe/Athens", server_time_zone_confirmed: true });
    const { rows: measured } = await h.db.query("select measured_server_offset_minutes from public.account_sync_state where account_id = $1", [
      account,
    ]);
    expect(measured[0]!.measured_server_offset_minutes).toBe(120);

    const { rows: trades } = await h.db.query<{
      position_id: string;
      symbol: string;
      direction: string;
      status: string;
      volume: string;
      closed_volume: string;
      entry_price: string;
      exit_price: string | null;
      opened_at: Date;
      closed_at: Date | null;
      open_server_utc_offset_minutes: number;
    }>(
      `select position_id, symbol, direction, status, volume::text, closed_volume::text, entry_price::text, exit_price::text,
              opened_at, closed_at, open_server_utc_offset_minutes
         from public.trades where account_id = $1 order by opened_at`,
      [account],
    );
    const hoursBefore = (h_: number) => new Date(START.getTime() - h_ * 3600_000);
    expect(trades).toHaveLength(3);
    const [first, second, usdjpy] = trades;
    // 1.0 @ 1.080 + 0.5 @ 1.082 in; 0.5 @ 1.085 and then 1.0 of the 2.0 reversal @ 1.086 out.
    expect(first).toMatchObject({
      symbol: "EURUSD",
      direction: "buy",
      status: "closed",
      volume: "1.5",
      closed_volume: "1.5",
      open_server_utc_offset_minutes: 120,
    });
    expect(Number(first!.entry_price)).toBeCloseTo(1.0806667, 6);
    expect(Number(first!.exit_price)).toBeCloseTo(1.0856667, 6);
    expect(first!.opened_at).toEqual(hoursBefore(290));
    expect(first!.closed_at).toEqual(hoursBefore(285));
    // The reversal's remaining 1.0 short, closed at -280 h, under the same identifier.
    expect(second).toMatchObject({
      position_id: `${first!.position_id}#2`,
      symbol: "EURUSD",
      direction: "sell",
      status: "closed",
      volume: "1",
      entry_price: "1.086",
      exit_price: "1.084",
    });
    expect(second!.closed_at).toEqual(hoursBefore(280));
    expect(usdjpy).toMatchObject({ symbol: "USDJPY", direction: "buy", status: "open" });

    const { rows: positions } = await h.db.query("select symbol, direction, volume::text from public.open_positions where account_id = $1", [
      account,
    ]);
    expect(positions).toEqual([{ symbol: "USDJPY", direction: "buy", volume: "0.4" }]);
    await tab.close();
  });
});
