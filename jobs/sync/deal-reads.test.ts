import { describe, expect, it } from "vitest";
import type { BridgeDeal } from "../mt5/bridge-types.ts";
import { dealWindow, groupByPosition, needsWholePosition, newDealsOf, nextDealCursor, ordersWanted } from "./deal-reads.ts";

// Deals as the bridge answers them; the zone "UTC" keeps server epochs and UTC equal.
function deal(partial: Partial<BridgeDeal> & Pick<BridgeDeal, "ticket">): BridgeDeal {
  return {
    order: 0,
    time: 1_744_700_000,
    time_msc: 1_744_700_000_000,
    type: 0,
    type_name: "buy",
    entry: 0,
    entry_name: "in",
    magic: 0,
    position_id: 500,
    reason_name: "client",
    volume: "0.10",
    price: "1.10000",
    commission: "0",
    swap: "0",
    profit: "0",
    fee: "0",
    symbol: "EURUSD",
    comment: "",
    ...partial,
  };
}

const at = new Date(Date.UTC(2025, 3, 15, 12));
const twoDaysAhead = Date.UTC(2025, 3, 17, 12) / 1000;

describe("dealWindow", () => {
  it("reads the whole history on a history sync and on the first full sync (no stored cursor)", () => {
    const stored = { lastDealTime: new Date(Date.UTC(2025, 3, 15, 9)), lastDealTicket: "1000" };
    expect(dealWindow(stored, "history", at, "UTC")).toEqual({ history: true, from: 0, to: twoDaysAhead, cursorTicket: null });
    expect(dealWindow({ lastDealTime: null, lastDealTicket: null }, "full", at, "UTC")).toEqual({
      history: true,
      from: 0,
      to: twoDaysAhead,
      cursorTicket: null,
    });
  });

  it("starts a full sync an hour before the cursor's time, on the broker's clock, and ends two days ahead", () => {
    const window = dealWindow({ lastDealTime: new Date(Date.UTC(2025, 3, 15, 9)), lastDealTicket: "1000" }, "full", at, "Etc/GMT-3");
    expect(window).toEqual({ history: false, from: Date.UTC(2025, 3, 15, 11) / 1000, to: twoDaysAhead + 3 * 3600, cursorTicket: 1000n });
  });

  it("reads from the beginning when a cursor ticket has no time", () => {
    expect(dealWindow({ lastDealTime: null, lastDealTicket: "1000" }, "full", at, "UTC")).toMatchObject({
      history: false,
      from: 0,
      cursorTicket: 1000n,
    });
  });
});

describe("newDealsOf and nextDealCursor", () => {
  it("keeps only deals above the cursor ticket, compared as numbers", () => {
    const window = dealWindow({ lastDealTime: at, lastDealTicket: "999" }, "full", at, "UTC");
    const deals = [deal({ ticket: 998 }), deal({ ticket: 999 }), deal({ ticket: 1000 }), deal({ ticket: 10_000 })];
    expect(newDealsOf(deals, window).map((d) => d.ticket)).toEqual([1000, 10_000]);
  });

  it("keeps every deal on a history read", () => {
    const deals = [deal({ ticket: 1 }), deal({ ticket: 2 })];
    expect(newDealsOf(deals, dealWindow({ lastDealTime: null, lastDealTicket: null }, "full", at, "UTC"))).toBe(deals);
  });

  it("moves the cursor to the highest ticket and the latest time, even when they are two deals", () => {
    const cursor = nextDealCursor(
      [
        deal({ ticket: 7, time_msc: Date.UTC(2025, 3, 15, 10) }),
        deal({ ticket: 9, time_msc: Date.UTC(2025, 3, 15, 9) }),
        deal({ ticket: 8, time_msc: 0, time: Date.UTC(2025, 3, 15, 11) / 1000 }),
      ],
      "Etc/GMT-2",
    );
    expect(cursor).toEqual({ time: new Date(Date.UTC(2025, 3, 15, 9)), ticket: "9" });
  });

  it("has no cursor without new deals", () => {
    expect(nextDealCursor([], "UTC")).toBeNull();
  });
});

describe("ordersWanted", () => {
  it("reads the orders only when a new deal opens or adds to a position", () => {
    expect(ordersWanted([deal({ ticket: 1, entry_name: "out" }), deal({ ticket: 2, entry_name: "in" })])).toBe(true);
    expect(
      ordersWanted([
        deal({ ticket: 1, entry_name: "out" }),
        deal({ ticket: 2, entry_name: "inout" }),
        deal({ ticket: 3, type_name: "balance", entry_name: null }),
      ]),
    ).toBe(false);
  });
});

describe("groupByPosition and needsWholePosition", () => {
  it("groups trading deals by position in first-seen order and keeps cash and position-less deals apart", () => {
    const deposit = deal({ ticket: 1, type_name: "balance", entry_name: null, position_id: 0 });
    const orphan = deal({ ticket: 2, position_id: 0 });
    const a1 = deal({ ticket: 3, position_id: 600 });
    const b1 = deal({ ticket: 4, position_id: 500 });
    const a2 = deal({ ticket: 5, position_id: 600, type_name: "sell", entry_name: "out" });
    const { byPosition, others } = groupByPosition([deposit, orphan, a1, b1, a2]);
    expect([...byPosition]).toEqual([
      ["600", [a1, a2]],
      ["500", [b1]],
    ]);
    expect(others).toEqual([deposit, orphan]);
  });

  it("takes a new hedging position's deals as they are when its opening is among them", () => {
    expect(needsWholePosition([deal({ ticket: 1 }), deal({ ticket: 2, entry_name: "out" })], false, "hedging")).toBe(false);
  });

  it("re-reads a position whose opening is not among the new deals (a close, a partial close)", () => {
    expect(needsWholePosition([deal({ ticket: 2, type_name: "sell", entry_name: "out" })], false, "hedging")).toBe(true);
  });

  it("re-reads a stored position even when an entry deal is new (a scale-in)", () => {
    expect(needsWholePosition([deal({ ticket: 3 })], true, "hedging")).toBe(true);
  });

  it("always re-reads netting positions: their identifier spans trades", () => {
    expect(needsWholePosition([deal({ ticket: 1 })], false, "netting")).toBe(true);
  });
});
