// Return-based figures (docs/metrics.md#ahpr, #ghpr, #sharpe, #sortino).
import type { Prepared } from "./prepare.ts";
import { finite, mean, sampleStandardDeviation } from "./statistics.ts";
import { tradingDayNumber, weekdayOfDayNumber } from "./trading-day.ts";
import type { AnalyticsSource } from "./types.ts";

/**
 * Per-trade returns r_i = net_i / balance just before trade i closed (after
 * earlier cash movements, and after cash at the same instant). Null when a
 * balance before a trade is not positive: a return on nothing is undefined.
 */
export function tradeReturns(prepared: Prepared): Float64Array | null {
  const { net, cash } = prepared;
  const returns = new Float64Array(prepared.count);
  let balance = prepared.startingBalance;
  for (const event of prepared.events) {
    if (event < 0) {
      balance += cash[-1 - event]!.amount;
      continue;
    }
    if (balance <= 0) return null;
    returns[event] = net[event]! / balance;
    balance += net[event]!;
  }
  return returns;
}

export function holdingPeriodReturns(returns: Float64Array | null): { ahpr: number | null; ghpr: number | null } {
  if (!returns || returns.length === 0) return { ahpr: null, ghpr: null };
  let total = 0;
  let logTotal = 0;
  let wipedOut = false;
  for (const r of returns) {
    total += r;
    // A trade that loses the whole balance or more makes the product 0 or
    // negative; only 0 has a real n-th root.
    if (1 + r < 0) return { ahpr: finite(total / returns.length), ghpr: null };
    if (1 + r === 0) wipedOut = true;
    else logTotal += Math.log1p(r);
  }
  // AHPR = mean(1 + r) − 1 = mean(r); GHPR = (Π(1 + r))^(1/n) − 1 through logs (no overflow at 100,000 trades).
  return { ahpr: finite(total / returns.length), ghpr: wipedOut ? -1 : finite(Math.expm1(logTotal / returns.length)) };
}

/**
 * Daily returns: that trading day's trade net / balance at the day's start
 * (start balance + every trade and cash movement of earlier trading days),
 * for every Monday–Friday trading day from the period's first to its last
 * (open ends: the first / last trade's day), days without trades counting as
 * 0. A Saturday or Sunday is included only when it has trades (crypto), so
 * no trade's result is left out. Null when a day with trades starts from a
 * balance that is not positive.
 */
export function dailyReturns(prepared: Prepared, input: AnalyticsSource): number[] | null {
  const { count, day: days, net, cash } = prepared;
  if (count === 0) return [];
  const flowByDay = new Map<number, number>();
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < count; i++) {
    const day = days[i]!;
    flowByDay.set(day, (flowByDay.get(day) ?? 0) + net[i]!);
    if (day < first) first = day;
    if (day > last) last = day;
  }
  const tradeNetByDay = new Map(flowByDay);
  for (const c of cash) flowByDay.set(c.day, (flowByDay.get(c.day) ?? 0) + c.amount);
  if (input.period.from) first = Math.min(first, tradingDayNumber(input.period.from.getTime(), input.dayRule));
  if (input.period.to) last = Math.max(last, tradingDayNumber(input.period.to.getTime() - 1, input.dayRule));

  // Balance at the first day's start: everything dated before it.
  let balance = prepared.startingBalance;
  for (const [day, flow] of flowByDay) if (day < first) balance += flow;

  const returns: number[] = [];
  for (let day = first; day <= last; day++) {
    const traded = tradeNetByDay.get(day);
    if (traded !== undefined) {
      if (balance <= 0) return null;
      returns.push(traded / balance);
    } else if (weekdayOfDayNumber(day) < 5) {
      returns.push(0);
    }
    balance += flowByDay.get(day) ?? 0;
  }
  return returns;
}

const TRADING_DAYS_PER_YEAR = 252;

/** Sharpe (daily, annualised): mean / sample sd × √252, risk-free 0. */
export function sharpeRatio(returns: number[] | null): number | null {
  if (!returns) return null;
  const sd = sampleStandardDeviation(returns);
  if (!sd) return null;
  return finite((mean(returns)! / sd) * Math.sqrt(TRADING_DAYS_PER_YEAR));
}

/** Sortino: mean / √mean(min(r, 0)²) × √252; null without a losing day. */
export function sortinoRatio(returns: number[] | null): number | null {
  if (!returns || returns.length === 0) return null;
  let downside = 0;
  for (const r of returns) if (r < 0) downside += r * r;
  if (downside === 0) return null;
  return finite((mean(returns)! / Math.sqrt(downside / returns.length)) * Math.sqrt(TRADING_DAYS_PER_YEAR));
}
