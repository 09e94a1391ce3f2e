// The shapes the psychology model returns, in a module of types only, so
// components import them without touching server code (docs/decisions/013).
import type { SignalGroupFigures } from "~/domain/psychology/comparison.ts";

export type { SignalGroup, SignalGroupFigures } from "~/domain/psychology/comparison.ts";

export interface RevengeView {
  /** The losing trade this one followed (the page links to it). */
  lossTradeId: string;
  lossSymbol: string;
  /** Net P&L of that loss, decimal text (negative). */
  lossNet: string;
  minutesAfterLoss: number;
  /** This trade's volume ÷ the loss's, 2 decimals. */
  sizeRatio: string;
}

export interface OvertradingDayView {
  day: string; // "YYYY-MM-DD" trading day
  trades: number;
  medianPerDay: number;
  threshold: number;
}

export interface TradeSignals {
  currency: string;
  revenge: RevengeView | null;
  /** Set when the trade closed on an overtrading day. */
  overtradingDay: OvertradingDayView | null;
}

export interface DaySignals {
  day: string;
  /** The day's closed trades (all the user's accounts). */
  trades: number;
  /** Median closed trades per active day; null without history. */
  medianPerDay: number | null;
  /** A day with more trades than this is flagged; null before enough history (activeDays < minActiveDays). */
  threshold: number | null;
  activeDays: number;
  minActiveDays: number;
  overtrading: boolean;
  /** The day's likely revenge trades, in close order. */
  revengeTrades: (RevengeView & { tradeId: string; symbol: string; currency: string })[];
}

export interface SignalsComparison {
  currency: string;
  rows: SignalGroupFigures[];
  /** What the overtrading rule had to go on (all the user's accounts). */
  activeDays: number;
  minActiveDays: number;
  medianPerDay: number | null;
  threshold: number | null;
}
