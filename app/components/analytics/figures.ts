// How analytics figures read on screen: "—" for a figure that does not exist
// yet (never NaN or Infinity), "∞" for a profit factor without losses, and
// each figure's one-line definition (docs/metrics.md has the full text).
import type { Interval } from "~/domain/analytics/index.ts";
import { formatDuration, formatMoney } from "~/lib/format.ts";

export const DASH = "—";

export function money(amount: string | null | undefined, currency: string, signed = false): string {
  return amount === null || amount === undefined ? DASH : formatMoney(amount, currency, { signed });
}

export function percent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value) ? DASH : `${(value * 100).toFixed(digits)}%`;
}

/** A value already in percent units (12.5 = 12.5 %). */
export function percentUnits(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value) ? DASH : `${value.toFixed(digits)}%`;
}

export function ratio(value: number | "infinite" | null | undefined, digits = 2): string {
  if (value === "infinite") return "∞";
  return value === null || value === undefined || !Number.isFinite(value) ? DASH : value.toFixed(digits);
}

export function rMultiple(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? DASH : `${value >= 0 ? "+" : ""}${value.toFixed(2)} R`;
}

export function duration(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? DASH : formatDuration(ms);
}

export function interval(value: Interval<number> | null, format: (n: number) => string): string | null {
  return value ? `${format(value.low)} – ${format(value.high)}` : null;
}

export function tone(amount: string | number | null | undefined): string {
  const value = Number(amount ?? 0);
  return value > 0 ? "text-green-400" : value < 0 ? "text-red-400" : "text-fg";
}

/** Definitions shown on hover and focus; anchors of docs/metrics.md. */
export const DEFINITIONS = {
  net: "Sum of every closed trade's net: profit + commission + swap + fee, as the broker reported them.",
  winRate: "Wins ÷ trades (breakevens count as trades, not wins). The range is the Wilson 95 % interval: where the true rate plausibly lies.",
  profitFactor: "Gross profit ÷ |gross loss|. ∞ when there are profits and no losses.",
  expectancy: "Mean net per trade. The range is a bootstrap 95 % interval (10,000 resamples, fixed seed).",
  expectancyR: "Mean realised R: net ÷ initial risk (entry to initial stop, in money). Trades without an initial stop are left out.",
  averageWinLoss: "Gross profit ÷ wins and gross loss ÷ losses.",
  payoff: "Average win ÷ |average loss|.",
  maxDrawdown: "Largest fall from a running peak of the balance, with deposits and withdrawals neutralised (a withdrawal is not a drawdown).",
  streaks: "Longest run of consecutive wins and of losses, in close order; a breakeven ends both.",
  trades: "Closed trades whose close time falls in the period.",
  bestWorst: "Highest and lowest net of a single trade.",
  costs: "Commission, swap and fee of the period's closed trades, each as its own sum.",
  sharpe: "Mean daily return ÷ sample standard deviation of daily returns × √252; weekdays without trades count as 0; risk-free rate 0.",
  sortino: "Mean daily return ÷ downside deviation (root mean square of negative daily returns) × √252.",
  sqn: "Van Tharp's System Quality Number: √min(N, 100) × mean R ÷ sample SD of R. Shown from 30 trades with R.",
  recovery: "Net ÷ max drawdown ($).",
  ahpr: "Arithmetic mean of (1 + trade return) − 1, where a trade's return is its net ÷ the balance just before it closed.",
  ghpr: "Geometric mean of (1 + trade return) − 1.",
  zScore: "Runs test on wins and losses (breakevens left out), shown from 30 trades. |Z| ≥ 1.96: streaky (Z < 0) or alternating (Z > 0) at 95 %.",
  standardDeviation: "Sample standard deviation (n − 1) of net per trade.",
  duration: "Mean time from open to close, for wins and for losses.",
} as const;

export type DefinitionId = keyof typeof DEFINITIONS;
