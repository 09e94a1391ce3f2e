// The journal timeline (/journal): trade journal entries and daily reviews,
// filtered and searched (PostgreSQL full-text search, English stemming), one
// page at a time, as the signed-in user (RLS decides what exists). The SQL is
// in ./timeline-queries.ts.
import { tradingDayOf } from "~/domain/periods/trading-day.ts";
import type { RequestDb } from "~/lib/db.server.ts";
import { JOURNAL_PAGE_SIZE, type JournalFilters } from "~/schemas/journal-filters.ts";
import type { TradeTag } from "../trade-list.types.ts";
import { contextQuery, restoreSnippet, timelineQuery } from "./timeline-queries.ts";
import type { TimelineEntry, TimelinePage, TimelineScreenshot } from "./timeline.types.ts";

interface TimelineDbRow {
  meta: PageContext;
  kind: "trade" | "day";
  entry_id: string;
  day: string;
  at: Date | null;
  rank: number;
  total: string | null;
  trade_id: string | null;
  symbol: string | null;
  direction: "buy" | "sell" | null;
  status: "open" | "closed" | null;
  net_profit: string | null;
  result: "win" | "loss" | "breakeven" | null;
  currency: string | null;
  account_name: string | null;
  mood: number | null;
  followed_plan: "yes" | "no" | "partly" | null;
  first_text: string;
  second_text: string;
  captions: string | null;
  screenshot_count: number;
  screenshots: { id: string; object_path: string; caption: string | null; width: number; height: number }[];
  tags: TradeTag[];
}

interface PageContext {
  timeZone: string;
  dayZone: string;
  dayStartMinutes: number;
  accounts: { id: string; name: string }[];
  tags: TradeTag[];
}

function toEntry(row: TimelineDbRow, searching: boolean): TimelineEntry {
  const screenshots: TimelineScreenshot[] = row.screenshots.map((s) => ({
    id: s.id,
    objectPath: s.object_path,
    caption: s.caption,
    width: s.width,
    height: s.height,
  }));
  const base = {
    day: row.day,
    mood: row.mood,
    firstText: restoreSnippet(row.first_text),
    secondText: restoreSnippet(row.second_text),
    captions: searching && row.captions !== null ? restoreSnippet(row.captions) : null,
    screenshotCount: row.screenshot_count,
    screenshots,
    rank: row.rank,
  };
  if (row.kind === "day") return { ...base, kind: "day", dailyJournalId: row.entry_id };
  return {
    ...base,
    kind: "trade",
    tradeId: row.trade_id!,
    symbol: row.symbol!,
    direction: row.direction!,
    status: row.status!,
    netProfit: row.net_profit!,
    result: row.result,
    currency: row.currency!,
    accountName: row.account_name!,
    followedPlan: row.followed_plan,
    at: row.at!.toISOString(),
    tags: row.tags,
  };
}

/** One page in one statement (the user's day rule and the filter options come with it). */
export async function loadTimeline(db: RequestDb, userId: string, filters: JournalFilters, now = new Date()): Promise<TimelinePage> {
  const query = timelineQuery(userId, filters);
  const { rows } = await db.query<TimelineDbRow>(query.text, query.values);
  const context = rows[0]?.meta ?? (await db.query<{ meta: PageContext }>(contextQuery(userId).text, [userId])).rows[0]!.meta;
  const searching = filters.q !== null;
  return {
    entries: rows.slice(0, JOURNAL_PAGE_SIZE).map((row) => toEntry(row, searching)),
    total: searching && rows.length > 0 ? Number(rows[0]!.total) : searching && filters.page === 1 ? 0 : null,
    page: filters.page,
    hasNext: rows.length > JOURNAL_PAGE_SIZE,
    pageSize: JOURNAL_PAGE_SIZE,
    accounts: context.accounts,
    tags: context.tags,
    timeZone: context.timeZone,
    today: tradingDayOf(now, { timeZone: context.dayZone, dayStartMinutes: context.dayStartMinutes }),
  };
}
