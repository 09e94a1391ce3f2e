import { describe, expect, it } from "vitest";
import type { TradeClosedNotice } from "~/domain/sync/realtime-contract.ts";
import { LIVE_CLOSE_WINDOW_MS, liveCloseNotices, MAX_CLOSE_NOTICES_PER_SYNC } from "./close-notices.ts";

const syncedAt = new Date("2026-03-04T12:00:00Z");
const closedAgo = (ms: number, tradeId = `t${ms}`): TradeClosedNotice => ({
  tradeId,
  accountId: "a",
  symbol: "EURUSD",
  direction: "buy",
  netProfit: "1.5",
  currency: "USD",
  pips: "3",
  closedAt: new Date(syncedAt.getTime() - ms).toISOString(),
});

describe("liveCloseNotices", () => {
  it("announces what closed within the window, newest first, and not what closed while nobody watched", () => {
    const notices = liveCloseNotices(
      [closedAgo(3_600_000), closedAgo(20_000), closedAgo(LIVE_CLOSE_WINDOW_MS), closedAgo(LIVE_CLOSE_WINDOW_MS + 1_000), closedAgo(5_000)],
      syncedAt,
    );
    expect(notices.map((n) => n.tradeId)).toEqual(["t5000", "t20000", `t${LIVE_CLOSE_WINDOW_MS}`]);
  });

  it("caps a burst at the newest few", () => {
    const burst = Array.from({ length: 12 }, (_, i) => closedAgo(i * 1_000));
    expect(liveCloseNotices(burst, syncedAt).map((n) => n.tradeId)).toEqual(burst.slice(0, MAX_CLOSE_NOTICES_PER_SYNC).map((n) => n.tradeId));
  });

  it("announces nothing for a catch-up that found only old closes", () => {
    expect(liveCloseNotices([closedAgo(2 * 3_600_000), closedAgo(86_400_000)], syncedAt)).toEqual([]);
  });
});
