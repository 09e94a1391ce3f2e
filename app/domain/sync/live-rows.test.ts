// Changes as Supabase Realtime delivers them (numeric columns as JSON numbers,
// DELETEs with the primary key only, no generated columns), applied to the
// dashboard's rows.
import { describe, expect, it } from "vitest";
import {
  applyAccountChange,
  applyPositionChange,
  applyTradeChange,
  floatingTotal,
  readDecimal,
  sortedPositions,
  type LiveAccount,
  type LivePosition,
  type RowChange,
} from "./live-rows.ts";

const ACCOUNT = "6b0f7c1e-0000-4000-8000-000000000001";

const positionRecord = (fields: Record<string, unknown> = {}) => ({
  id: "p-1",
  user_id: "u-1",
  account_id: ACCOUNT,
  position_id: "50123",
  symbol: "EURUSD",
  broker_symbol: "EURUSD.z",
  direction: "buy",
  opened_at: "2026-12-01T08:15:02+00:00",
  volume: 0.5,
  entry_price: 1.0825,
  current_price: 1.0831,
  stop_loss: 1.08,
  take_profit: null,
  swap: -0.35,
  floating_profit: 30,
  synced_at: "2026-12-01T09:00:00+00:00",
  ...fields,
});

const change = (table: string, eventType: RowChange["eventType"], record: Record<string, unknown>, old: Record<string, unknown> = {}): RowChange => ({
  table,
  eventType,
  new: eventType === "DELETE" ? {} : record,
  old,
});

const loaded: LivePosition = {
  id: "p-1",
  accountId: ACCOUNT,
  positionId: "50123",
  symbol: "EURUSD",
  direction: "buy",
  volume: "0.50",
  entryPrice: "1.08250",
  currentPrice: "1.08290",
  stopLoss: "1.08000",
  takeProfit: null,
  swap: "-0.35",
  floatingProfit: "20.00",
  openedAt: "2026-12-01T08:15:02.000Z",
};

describe("readDecimal", () => {
  it("turns JSON numbers back into the stored decimal, keeping a reference's scale", () => {
    expect(readDecimal(1.0825)).toEqual({ text: "1.0825", exact: true });
    expect(readDecimal(1.0826, "1.08250")).toEqual({ text: "1.08260", exact: true });
    expect(readDecimal(-1434.86)).toEqual({ text: "-1434.86", exact: true });
    expect(readDecimal(0.1 + 0.2)).toEqual({ text: "0.30000000000000004", exact: false });
    // What JSON.parse makes of a 17-digit numeric in a Realtime payload.
    expect(readDecimal(JSON.parse("12345678901234567"))).toMatchObject({ exact: false });
    expect(readDecimal("99999999999999999.99")).toEqual({ text: "99999999999999999.99", exact: true });
    expect(readDecimal(null)).toEqual({ text: null, exact: true });
    expect(readDecimal("abc")).toEqual({ text: null, exact: false });
  });
});

describe("open positions", () => {
  it("updates a loaded row in place, prices keeping the entry's digits", () => {
    const rows = { [loaded.id]: loaded };
    const { rows: next, inexact } = applyPositionChange(rows, change("open_positions", "UPDATE", positionRecord()));
    expect(inexact).toBe(false);
    expect(next["p-1"]).toEqual({
      ...loaded,
      volume: "0.50",
      entryPrice: "1.08250",
      currentPrice: "1.08310",
      stopLoss: "1.08000",
      floatingProfit: "30",
      swap: "-0.35",
    });
  });

  it("adds inserted positions, removes deleted ones by key and ignores other users' deletes", () => {
    let rows = {};
    rows = applyPositionChange(rows, change("open_positions", "INSERT", positionRecord())).rows;
    rows = applyPositionChange(
      rows,
      change(
        "open_positions",
        "INSERT",
        positionRecord({ id: "p-2", position_id: "50124", opened_at: "2026-12-01T09:30:00+00:00", floating_profit: -12.5 }),
      ),
    ).rows;
    expect(sortedPositions(rows).map((p) => p.id)).toEqual(["p-2", "p-1"]);
    expect(floatingTotal(sortedPositions(rows), ACCOUNT)).toBe("17.5");
    expect(floatingTotal(sortedPositions(rows), "other")).toBeNull();

    const someoneElses = applyPositionChange(rows, change("open_positions", "DELETE", {}, { id: "p-999" }));
    expect(someoneElses.rows).toBe(rows);
    rows = applyPositionChange(rows, change("open_positions", "DELETE", {}, { id: "p-2" })).rows;
    expect(Object.keys(rows)).toEqual(["p-1"]);
  });

  it("gives inserted prices back the instrument's digits JSON dropped, and never cuts any", () => {
    const gold = applyPositionChange(
      {},
      change("open_positions", "INSERT", positionRecord({ symbol: "XAUUSD.p", entry_price: 2650.1, current_price: 2648.6, stop_loss: 2660 })),
    );
    expect(gold.rows["p-1"]).toMatchObject({ entryPrice: "2650.10", currentPrice: "2648.60", stopLoss: "2660.00" });
    const fx = applyPositionChange({}, change("open_positions", "INSERT", positionRecord({ entry_price: 1.0825, current_price: 1.083 })));
    expect(fx.rows["p-1"]).toMatchObject({ entryPrice: "1.08250", currentPrice: "1.08300" });
    const extraDigits = applyPositionChange({}, change("open_positions", "INSERT", positionRecord({ symbol: "XAUUSD", entry_price: 2650.125 })));
    expect(extraDigits.rows["p-1"]!.entryPrice).toBe("2650.125");
    const unknown = applyPositionChange({}, change("open_positions", "INSERT", positionRecord({ symbol: "MYINDEX", entry_price: 100.5 })));
    expect(unknown.rows["p-1"]!.entryPrice).toBe("100.5");
  });

  it("asks for a reload rather than show a figure JSON may have rounded, or a row it cannot read", () => {
    expect(
      applyPositionChange({}, change("open_positions", "INSERT", positionRecord({ floating_profit: JSON.parse("123456789012.34567") }))).inexact,
    ).toBe(true);
    const broken = applyPositionChange({}, change("open_positions", "INSERT", positionRecord({ direction: "long" })));
    expect(broken).toEqual({ rows: {}, inexact: true });
    expect(applyPositionChange({}, change("trades", "INSERT", positionRecord())).rows).toEqual({});
  });

  it("sums floating P&L exactly", () => {
    const rows = [0.1, 0.2, 0.7].map((floating, i) => ({ ...loaded, id: `p${i}`, floatingProfit: readDecimal(floating).text }));
    expect(floatingTotal(rows, ACCOUNT)).toBe("1");
  });
});

const account: LiveAccount & { pausedReason: string | null } = {
  id: ACCOUNT,
  name: "IC Live",
  kind: "mt5",
  currency: "USD",
  balance: "10000.00",
  equity: "10020.00",
  margin: "108.25",
  freeMargin: "9911.75",
  ledgerBalance: "0",
  syncEnabled: true,
  syncStatus: "ok",
  syncError: null,
  lastSyncedAt: "2026-12-01T09:00:00.000Z",
  pausedReason: null,
};

describe("accounts", () => {
  it("merges an UPDATE into its card and keeps what the change does not carry", () => {
    const record = {
      id: ACCOUNT,
      user_id: "u-1",
      name: "IC Live",
      currency: "USD",
      balance: 10047.5,
      equity: 10047.5,
      margin: 0,
      free_margin: 10047.5,
      sync_enabled: true,
      sync_status: "paused",
      sync_error: "Reconnect the account.",
      last_synced_at: "2026-12-01T09:00:15.123+00:00",
    };
    const { rows, inexact } = applyAccountChange([account], change("accounts", "UPDATE", record));
    expect(inexact).toBe(false);
    expect(rows[0]).toEqual({
      ...account,
      balance: "10047.5",
      equity: "10047.5",
      margin: "0",
      freeMargin: "10047.5",
      syncStatus: "paused",
      syncError: "Reconnect the account.",
      lastSyncedAt: "2026-12-01T09:00:15.123Z",
      pausedReason: null,
    });
  });

  it("reloads for a new account, drops a deleted one, ignores unknown ones", () => {
    expect(applyAccountChange([account], change("accounts", "INSERT", { id: "new" })).inexact).toBe(true);
    expect(applyAccountChange([account], change("accounts", "UPDATE", { id: "someone-else" }))).toEqual({ rows: [account], inexact: false });
    expect(applyAccountChange([account], change("accounts", "DELETE", {}, { id: ACCOUNT })).rows).toEqual([]);
  });
});

describe("recently closed trades", () => {
  const tradeRecord = (fields: Record<string, unknown> = {}) => ({
    id: "t-1",
    account_id: ACCOUNT,
    symbol: "EURUSD",
    direction: "buy",
    status: "closed",
    closed_at: "2026-12-01T10:00:00+00:00",
    gross_profit: 50,
    commission: -3.5,
    swap: -0.35,
    fee: 0,
    pips: 23,
    ...fields,
  });

  it("puts a closed trade first, its net P&L summed exactly from its parts", () => {
    const older = {
      id: "t-0",
      accountId: ACCOUNT,
      symbol: "GBPUSD",
      direction: "sell" as const,
      netProfit: "-5",
      pips: "-4",
      closedAt: "2026-11-30T10:00:00.000Z",
    };
    const { rows, inexact } = applyTradeChange([older], change("trades", "INSERT", tradeRecord()), 5);
    expect(inexact).toBe(false);
    expect(rows.map((t) => [t.id, t.netProfit, t.pips])).toEqual([
      ["t-1", "46.15", "23"],
      ["t-0", "-5", "-4"],
    ]);
  });

  it("keeps the newest few, drops a trade that reopened, and ignores open ones", () => {
    let rows = applyTradeChange([], change("trades", "INSERT", tradeRecord({ status: "open", closed_at: null })), 2).rows;
    expect(rows).toEqual([]);
    for (const [id, at] of [
      ["a", "2026-12-01T01:00:00Z"],
      ["b", "2026-12-01T03:00:00Z"],
      ["c", "2026-12-01T02:00:00Z"],
    ] as const) {
      rows = applyTradeChange(rows, change("trades", "UPDATE", tradeRecord({ id, closed_at: at })), 2).rows;
    }
    expect(rows.map((t) => t.id)).toEqual(["b", "c"]);
    rows = applyTradeChange(rows, change("trades", "UPDATE", tradeRecord({ id: "b", status: "open", closed_at: null })), 2).rows;
    expect(rows.map((t) => t.id)).toEqual(["c"]);
    rows = applyTradeChange(rows, change("trades", "DELETE", {}, { id: "c" }), 2).rows;
    expect(rows).toEqual([]);
  });
});
