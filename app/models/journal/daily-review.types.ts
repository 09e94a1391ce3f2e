// The shapes ./daily-review.server.ts returns, in a module of types only, so
// components can use them without importing server code.
import type { Mood } from "~/domain/journal/scales.ts";

export interface DailyReviewEntry {
  id: string | null;
  premarketPlan: string;
  review: string;
  mood: Mood | null;
  /** 0 while the day has no entry (the first save inserts it). */
  version: number;
  updatedAt: string | null;
}

export interface DayTrade {
  id: string;
  symbol: string;
  direction: "buy" | "sell";
  status: "open" | "closed";
  accountName: string;
  currency: string;
  openedAt: string;
  closedAt: string | null;
  netProfit: string;
  /** Realised R to 2 places, or null when open or the risk is unknown. */
  r: string | null;
}

export interface DayTotal {
  currency: string;
  net: string;
  trades: number;
}

export interface DailyReviewPage {
  day: string;
  previousDay: string;
  nextDay: string;
  /** Today's trading day on the user's rule, so the page can tell a future day. */
  today: string;
  timeZone: string;
  /** When the user's trading days start: "17:00 America/New_York". */
  dayStart: string;
  entry: DailyReviewEntry;
  trades: DayTrade[];
  /** Closed trades' net P&L per account currency (the calendar's figure; currencies are never added up). */
  totals: DayTotal[];
  /** The selected account's name, when the shell narrows to one. */
  accountName: string | null;
}

export type DailyReviewSaveResult =
  | { status: "saved"; entry: DailyReviewEntry }
  /** The day changed since the writer's version: nothing was written; `current` is what is stored. */
  | { status: "conflict"; current: DailyReviewEntry };
