import { describe, expect, it } from "vitest";
import { balanceCurve } from "./balance-curve.ts";
import { breakdown } from "./breakdown.ts";
import { decodeChunk, encodeChunk, parsePendingId, selectTrades } from "./chunk.ts";
import { columnsOf } from "./columns.ts";
import { summarize } from "./summarize.ts";
import { input, trade } from "./test-support.ts";
import type { AnalyticsTrade } from "./types.ts";

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const MARCH = Date.UTC(2026, 2, 1);
const APRIL = Date.UTC(2026, 3, 1);

// Tags by id in the chunks; "t-news" and "t-news-2" are two tags of one name.
const TAG_NAMES = new Map([
  ["t-breakout", "breakout"],
  ["t-news", "news"],
  ["t-news-2", "news"],
]);

const march: AnalyticsTrade[] = [
  trade(uuid(1), "2026-03-02T09:00:00Z", "2026-03-02T09:30:00Z", { profit: "10.50", initialRisk: "5.25", tags: ["t-breakout", "t-news"] }),
  // Held 40 days (past 32-bit milliseconds), a 3-decimal amount, a sell without a stop.
  trade(uuid(2), "2026-01-20T10:00:00Z", "2026-03-01T10:00:00Z", { profit: "-4.125", direction: "sell", symbol: "XAUUSD", session: "london" }),
  // Closing on the month's last day (an offset past 2^31 ms) with tags of one name.
  trade(uuid(3), "2026-03-31T22:00:00Z", "2026-03-31T23:59:59.999Z", { profit: "7", commission: "-0.70", tags: ["t-news", "t-news-2"] }),
];
const april: AnalyticsTrade[] = [
  trade(uuid(4), "2026-04-01T08:00:00Z", "2026-04-01T08:05:00Z", { profit: "123456789.01", swap: "-1.5", initialRisk: "100" }),
  trade(uuid(5), "2026-04-02T08:00:00Z", "2026-04-02T09:00:00Z", { profit: "-20", tags: ["t-breakout"] }),
];

// A month without any tag.
const MAY = Date.UTC(2026, 4, 1);
const may: AnalyticsTrade[] = [
  trade(uuid(6), "2026-05-04T08:00:00Z", "2026-05-04T09:00:00Z", { profit: "2.5" }),
  trade(uuid(7), "2026-05-05T08:00:00Z", "2026-05-05T09:00:00Z", { profit: "-1", symbol: "XAUUSD" }),
];

const byName = (trades: AnalyticsTrade[]) => trades.map((t) => ({ ...t, tags: [...new Set(t.tags.map((id) => TAG_NAMES.get(id)!))] }));
const chunkOf = (trades: AnalyticsTrade[], month: number) => {
  const sorted = [...trades].sort((a, b) => a.closedAt.getTime() - b.closedAt.getTime());
  const { data, ids } = encodeChunk(columnsOf(sorted), month);
  return decodeChunk(data, month, ids);
};

describe("analytics chunks", () => {
  it("give back every field of every trade", () => {
    const chunk = chunkOf(march, MARCH);
    const columns = columnsOf([...march].sort((a, b) => a.closedAt.getTime() - b.closedAt.getTime()));
    for (const key of [
      "openMs",
      "closeMs",
      "net",
      "commission",
      "swap",
      "fee",
      "decimals",
      "risk",
      "symbol",
      "session",
      "buy",
      "tagStart",
      "tagCode",
    ] as const) {
      expect(Array.from(chunk.columns[key]), key).toEqual(Array.from(columns[key]));
    }
    expect([0, 1, 2].map((i) => chunk.columns.id(i))).toEqual([uuid(2), uuid(1), uuid(3)]);
    expect(chunk.columns.amountBound).toBe(columns.amountBound);
    expect(chunk.columns.tagNames).toEqual(columns.tagNames);
  });

  it("selected across months give the figures of the trades themselves, narrowed or not", () => {
    const chunks = [chunkOf(march, MARCH), chunkOf(april, APRIL), chunkOf(may, MAY)];
    const all = [...march, ...april, ...may];
    const cases: [Parameters<typeof selectTrades>[1], AnalyticsTrade[]][] = [
      [{ fromMs: 0, toMs: 8.64e15 }, all],
      [{ fromMs: Date.parse("2026-03-02T00:00:00Z"), toMs: Date.parse("2026-04-02T00:00:00Z") }, [march[0]!, march[2]!, april[0]!]],
      [{ fromMs: 0, toMs: 8.64e15, tagId: "t-breakout" }, [march[0]!, april[1]!]],
      [{ fromMs: 0, toMs: 8.64e15, symbol: "XAUUSD" }, [march[1]!, may[1]!]],
      [{ fromMs: 0, toMs: 8.64e15, direction: "buy", session: null }, all.filter((t) => t.direction === "buy")],
      [{ fromMs: 0, toMs: 8.64e15, session: "london" }, [march[1]!]],
      [{ fromMs: Date.parse("2026-04-02T00:00:00Z"), toMs: 8.64e15 }, [april[1]!, ...may]],
      [{ fromMs: 0, toMs: 8.64e15, symbol: "GBPUSD" }, []],
    ];
    for (const [where, expected] of cases) {
      const columns = selectTrades(chunks, where, (id) => TAG_NAMES.get(id)!);
      const fromChunks = { ...input([]), columns };
      const fromTrades = input(byName(expected));
      expect(summarize(fromChunks), JSON.stringify(where)).toEqual(summarize(fromTrades));
      for (const by of ["symbol", "session", "tag", "direction", "duration", "hour"] as const) {
        expect(breakdown(fromChunks, by), `${JSON.stringify(where)} ${by}`).toEqual(breakdown(fromTrades, by));
      }
    }
  });

  it("name trades whose ids were not read by their chunk and place, and keep their order", () => {
    const sorted = (trades: AnalyticsTrade[]) => [...trades].sort((a, b) => a.closedAt.getTime() - b.closedAt.getTime());
    const packed = [encodeChunk(columnsOf(sorted(march)), MARCH), encodeChunk(columnsOf(sorted(april)), APRIL)];
    // The first month's ids unread, the second's at hand (a month rebuilt in the request).
    const chunks = [decodeChunk(packed[0]!.data, MARCH, null, "march"), decodeChunk(packed[1]!.data, APRIL, packed[1]!.ids)];
    const fromChunks = { ...input([]), columns: selectTrades(chunks, { fromMs: 0, toMs: 8.64e15 }, (id) => TAG_NAMES.get(id)!) };
    const fromTrades = input(byName([...march, ...april]));
    const named = (id: string | null) => {
      const pending = id === null ? null : parsePendingId(id);
      return pending ? columnsOf(sorted(pending.chunk === "march" ? march : april)).id(pending.index) : id;
    };
    expect(summarize(fromChunks)).toEqual(summarize(fromTrades)); // best and worst are april's, whose ids were read
    const curve = balanceCurve(fromChunks);
    expect(curve.map((p) => p.refId)).toContain("pending:march:0"); // march's first by close, −4.125
    expect(curve.map((p) => ({ ...p, refId: named(p.refId) }))).toEqual(balanceCurve(fromTrades));
  });
});
