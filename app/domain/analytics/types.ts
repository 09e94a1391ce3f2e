// Inputs and outputs of the analytics figures (docs/metrics.md). Money is
// decimal text in the account currency, exactly as stored; statistics and
// ratios are plain numbers. No figure is ever NaN or Infinity: an undefined
// figure is null ("—"), and profit factor is "infinite" ("∞") when there is
// profit and no loss.

export interface AnalyticsTrade {
  id: string;
  openedAt: Date;
  closedAt: Date; // UTC instants
  profit: string;
  commission: string;
  swap: string;
  fee: string; // decimal text in the account currency, costs negative, as stored
  initialRisk: string | null; // decimal text, account currency; null = no initial stop (no R)
  symbol: string;
  direction: "buy" | "sell";
  session: string | null;
  tags: string[];
}

/** deposit (+), withdrawal (−), credit, … — the amount carries the sign. */
export interface CashMovement {
  id: string;
  at: Date;
  amount: string;
  kind: string;
}

/** IANA zone; minutes after local midnight the trading day starts (0..1439; 17:00 = 1020). */
export interface DayRule {
  timeZone: string;
  dayStartMinutes: number;
}

export interface AnalyticsInput {
  trades: AnalyticsTrade[]; // the period's closed trades, any order
  cash: CashMovement[]; // the period's cash movements
  startingBalance: string; // balance at the period start
  dayRule: DayRule;
  /**
   * Half-open [from, to); null = open-ended. For a period still running
   * ("this month"), pass now as `to`: Sharpe and Sortino count every weekday
   * up to `to` without trades as a 0 % day.
   */
  period: { from: Date | null; to: Date | null };
}

export interface Interval<T> {
  low: T;
  high: T;
}

export interface Summary {
  trades: number;
  wins: number;
  losses: number;
  breakevens: number;
  winRate: number | null;
  winRateInterval: Interval<number> | null;
  grossProfit: string;
  grossLoss: string;
  netTotal: string;
  profitFactor: number | "infinite" | null;
  averageWin: string | null;
  averageLoss: string | null;
  payoffRatio: number | null;
  expectancy: string | null;
  expectancyInterval: Interval<string> | null;
  expectancyR: number | null;
  rTrades: number;
  rMissing: number;
  largestWin: string | null;
  largestLoss: string | null;
  standardDeviation: number | null;
  costs: { commission: string; swap: string; fee: string };
  averageDurationWinMs: number | null;
  averageDurationLossMs: number | null;
  maxDrawdown: string;
  maxDrawdownPercent: number | null;
  recoveryFactor: number | null;
  longestWinStreak: number;
  longestLossStreak: number;
  sqn: number | null;
  ahpr: number | null;
  ghpr: number | null;
  sharpe: number | null;
  sortino: number | null;
  zScore: number | null;
  zLabel: "streaky" | "alternating" | null;
  /** Id of the trade with the highest / lowest net (first in close order on ties); null without trades. */
  bestTrade: string | null;
  worstTrade: string | null;
}

export interface CurvePoint {
  at: Date;
  balance: string;
  /** Running peak − balance, with cash movements neutralised (≥ 0). */
  drawdown: string;
  /** 100 × drawdown / running peak (12.5 = 12.5 %); 0 while the running peak is not positive (undefined there). */
  drawdownPercent: number;
  kind: "start" | "trade" | "cash";
  refId: string | null;
}

export interface DayNet {
  day: string; // trading day, YYYY-MM-DD
  net: string;
  trades: number;
}

export type BreakdownDimension = "symbol" | "session" | "weekday" | "hour" | "duration" | "direction" | "tag";

export interface BreakdownRow {
  key: string;
  label: string;
  trades: number;
  wins: number;
  winRate: number | null;
  winRateInterval: Interval<number> | null;
  net: string;
  expectancy: string | null;
  profitFactor: number | "infinite" | null;
  averageR: number | null;
  /** Fewer than 30 trades: the row's figures are shown with a "small sample" mark. */
  smallSample: boolean;
}

export interface HeatmapCell {
  weekday: number; // 0 = Monday … 6 = Sunday
  hour: number; // 0–23
  net: string;
  trades: number;
}
