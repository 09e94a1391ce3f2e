// The shapes ./timeline.server.ts returns, in a module of types only, so
// components can use them without importing server code.
import type { TradeTag } from "../trade-list.types.ts";

export interface TimelineScreenshot {
  id: string;
  objectPath: string;
  caption: string | null;
  width: number;
  height: number;
}

interface EntryBase {
  /** The trading day ("YYYY-MM-DD") the entry belongs to. */
  day: string;
  mood: number | null;
  /**
   * Notes (trade) or pre-market plan (day), and lessons (trade) or review
   * (day): with a search, ts_headline snippets whose matches sit between
   * HIGHLIGHT_START and HIGHLIGHT_STOP; otherwise the text's opening.
   */
  firstText: string;
  secondText: string;
  /** Matching captions' snippets when searching, else null. */
  captions: string | null;
  screenshotCount: number;
  /** The first few screenshots (object paths in the private bucket; sign them to show). */
  screenshots: TimelineScreenshot[];
  /** Search relevance (ts_rank summed over the entry's texts); 0 without a search. */
  rank: number;
}

export interface TradeTimelineEntry extends EntryBase {
  kind: "trade";
  tradeId: string;
  symbol: string;
  direction: "buy" | "sell";
  status: "open" | "closed";
  netProfit: string;
  result: "win" | "loss" | "breakeven" | null;
  currency: string;
  accountName: string;
  followedPlan: "yes" | "no" | "partly" | null;
  /** Close time, or open time while open (ISO). */
  at: string;
  tags: TradeTag[];
}

export interface DayTimelineEntry extends EntryBase {
  kind: "day";
  dailyJournalId: string;
}

export type TimelineEntry = TradeTimelineEntry | DayTimelineEntry;

export interface TimelinePage {
  entries: TimelineEntry[];
  /** Matching entries in all, when searching (null while browsing, and for a page past the end). */
  total: number | null;
  page: number;
  hasNext: boolean;
  pageSize: number;
  /** What the filters bar offers. */
  accounts: { id: string; name: string }[];
  tags: TradeTag[];
  /** The user's zone, for the trades' times. */
  timeZone: string;
  /** Today's trading day on the user's rule. */
  today: string;
}
