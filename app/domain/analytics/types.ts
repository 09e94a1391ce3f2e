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

/**
 * The trades of an input as columns, in any order (the compact form the
 * analytics store keeps, app/models/analytics/store.server.ts). Amounts are
 * exact integer units at the trade's own decimals (its four amounts' most).
 */
export interface TradeColumns {
  count: number;
  id(i: number): string;
  /** Orders two trades' ids as their text does. */
  compareIds(a: number, b: number): number;
  openMs: Float64Array;
  closeMs: Float64Array;
  /** Profit + commission + swap + fee, in units at decimals[i]. */
  net: Float64Array;
  commission: Float64Array;
  swap: Float64Array;
  fee: Float64Array;
  decimals: Uint8Array;
  /**
   * An upper bound of Σ(|profit| + |commission| + |swap| + |fee|) over the
   * trades, in units at boundDecimals (≥ every decimals[i]), for the
   * exactness check of money.ts.
   */
  amountBound: number;
  boundDecimals: number;
  /** Initial risk in currency; NaN without one. */
  risk: Float64Array;
  /** Codes into symbols / sessions; one code per distinct value. */
  symbol: Uint32Array;
  symbols: string[];
  session: Uint32Array;
  sessions: (string | null)[];
  /** 1 = buy, 0 = sell. */
  buy: Uint8Array;
  /** Trade i's tags are tagCode[tagStart[i] .. tagStart[i + 1]), distinct codes into tagNames (one code per name). */
  tagStart: Uint32Array;
  tagCode: Uint32Array;
  tagNames: string[];
}

/** An input whose trades come as columns instead of objects; every figure takes either. */
export interface ColumnarInput extends Omit<AnalyticsInput, "trades"> {
  columns: TradeColumns;
}

export type AnalyticsSource = AnalyticsInput | ColumnarInput;

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
