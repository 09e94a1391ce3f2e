// One pass over an input that every figure shares: amounts read into exact
// integer units, trades and cash ordered, trades and cash merged into one
// time line. Memoised per input object (inputs are treated as immutable),
// so summarize, balanceCurve and the breakdowns of one page read the
// 100,000 trades once.
//
// Trades are held as columns (typed arrays) in close order rather than one
// object each: an object per trade boxed its numbers separately and
// scattered them over the heap, and every later pass paid in cache misses
// and garbage collection (the breakdowns took a third less time as columns).
import { EXACT_UNITS_LIMIT, readDecimal, rescaleUnits, type MoneyScale } from "./money.ts";
import { tradingDayNumber, wallWeekHour } from "./trading-day.ts";
import type { AnalyticsInput, AnalyticsTrade, CashMovement } from "./types.ts";

export interface PreparedCash {
  movement: CashMovement;
  /** Integer units of the scale. */
  amount: number;
  ms: number;
  /** Trading day, days since 1970-01-01, under input.dayRule. */
  day: number;
}

export interface Prepared {
  scale: MoneyScale;
  /** Integer units of the scale. */
  startingBalance: number;
  /** Number of trades; every column below has this length, in close order (then id). */
  count: number;
  trades: AnalyticsTrade[];
  /** Net in integer units of the scale (exact safe integers, see money.ts). */
  net: Float64Array;
  /** Net in currency, for statistics only. */
  netValue: Float64Array;
  /** Realised R = net / initial risk; NaN without a positive initial risk. */
  r: Float64Array;
  openMs: Float64Array;
  closeMs: Float64Array;
  /** Trading day of the close, days since 1970-01-01, under input.dayRule. */
  day: Int32Array;
  /** Sums over all trades in integer units (order does not matter). */
  costs: { commission: number; swap: number; fee: number };
  /** Ordered by time, then id. */
  cash: PreparedCash[];
  /**
   * The time line of the balance curve: i ≥ 0 is trade i, i < 0 is cash
   * −i − 1. By instant; at the same instant cash before trades.
   */
  events: Int32Array;
  /** Per zone: each trade's open weekday × 24 + hour on that wall clock. */
  openWeekHours: Map<string, Uint8Array>;
}

/** Open weekday × 24 + hour of every trade on the zone's wall clock (computed once per zone). */
export function openWeekHours(prepared: Prepared, zone: string): Uint8Array {
  let cells = prepared.openWeekHours.get(zone);
  if (!cells) {
    cells = new Uint8Array(prepared.count);
    for (let i = 0; i < cells.length; i++) cells[i] = wallWeekHour(prepared.openMs[i]!, zone);
    prepared.openWeekHours.set(zone, cells);
  }
  return cells;
}

const byIdText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Indices of the items in order; the database usually hands them over in order already, so check first. */
function orderOf(length: number, compare: (a: number, b: number) => number): number[] {
  const order = Array.from({ length }, (_, i) => i);
  for (let i = 1; i < length; i++) {
    if (compare(i - 1, i) > 0) return order.sort(compare);
  }
  return order;
}

interface ReadInput {
  scale: MoneyScale;
  /** Per input trade: profit, commission, swap, fee in units (4 per trade). */
  trades: Float64Array;
  openMs: Float64Array;
  closeMs: Float64Array;
  /** Initial risk in currency; NaN without one. */
  risk: Float64Array;
  cash: Float64Array;
  startingBalance: number;
}

/**
 * Every field of every input trade read in one pass (each scattered input
 * object is fetched from memory once): amounts as raw digits and decimals,
 * then scaled to the most decimals any amount has. Also checks the
 * exactness bound of money.ts (the absolute amounts add up to a safe integer).
 */
function readInput(input: AnalyticsInput): ReadInput {
  const n = input.trades.length;
  const trades = new Float64Array(n * 4);
  const openMs = new Float64Array(n);
  const closeMs = new Float64Array(n);
  const risk = new Float64Array(n);
  const tradeDecimals = new Uint8Array(trades.length);
  const cash = new Float64Array(input.cash.length);
  const cashDecimals = new Uint8Array(cash.length);
  const start = new Float64Array(1);
  const startDecimals = readDecimal(input.startingBalance, start, 0);
  let decimals = Math.max(2, startDecimals);
  for (let i = 0; i < n; i++) {
    const t = input.trades[i]!;
    const at = i * 4;
    openMs[i] = t.openedAt.getTime();
    closeMs[i] = t.closedAt.getTime();
    risk[i] = t.initialRisk === null ? NaN : Number(t.initialRisk);
    decimals = Math.max(
      decimals,
      (tradeDecimals[at] = readDecimal(t.profit, trades, at)),
      (tradeDecimals[at + 1] = readDecimal(t.commission, trades, at + 1)),
      (tradeDecimals[at + 2] = readDecimal(t.swap, trades, at + 2)),
      (tradeDecimals[at + 3] = readDecimal(t.fee, trades, at + 3)),
    );
  }
  for (let i = 0; i < input.cash.length; i++) decimals = Math.max(decimals, (cashDecimals[i] = readDecimal(input.cash[i]!.amount, cash, i)));
  const startingBalance = rescaleUnits(start[0]!, startDecimals, decimals);
  let bound = Math.abs(startingBalance);
  for (let i = 0; i < trades.length; i++) bound += Math.abs((trades[i] = rescaleUnits(trades[i]!, tradeDecimals[i]!, decimals)));
  for (let i = 0; i < cash.length; i++) bound += Math.abs((cash[i] = rescaleUnits(cash[i]!, cashDecimals[i]!, decimals)));
  if (!(bound <= EXACT_UNITS_LIMIT)) throw new RangeError(`amounts too large to add exactly at ${decimals} decimals`);
  return { scale: { decimals }, trades, openMs, closeMs, risk, cash, startingBalance };
}

const cache = new WeakMap<AnalyticsInput, Prepared>();

export function prepare(input: AnalyticsInput): Prepared {
  const cached = cache.get(input);
  if (cached) return cached;
  const amounts = readInput(input);
  const { scale } = amounts;
  const n = input.trades.length;
  const closeTimes = amounts.closeMs;
  const order = orderOf(n, (a, b) => closeTimes[a]! - closeTimes[b]! || byIdText(input.trades[a]!.id, input.trades[b]!.id));

  const trades = new Array<AnalyticsTrade>(n);
  const net = new Float64Array(n);
  const netValue = new Float64Array(n);
  const r = new Float64Array(n);
  const openMs = new Float64Array(n);
  const closeMs = new Float64Array(n);
  const day = new Int32Array(n);
  const costs = { commission: 0, swap: 0, fee: 0 };
  const unit = 10 ** scale.decimals;
  for (let i = 0; i < n; i++) {
    const from = order[i]!;
    const at = from * 4;
    const commission = amounts.trades[at + 1]!;
    const swap = amounts.trades[at + 2]!;
    const fee = amounts.trades[at + 3]!;
    costs.commission += commission;
    costs.swap += swap;
    costs.fee += fee;
    const units = amounts.trades[at]! + commission + swap + fee;
    const value = units / unit;
    // A stored risk is > 0 (database check); anything else is treated as "no stop".
    const risk = amounts.risk[from]!;
    trades[i] = input.trades[from]!;
    net[i] = units;
    netValue[i] = value;
    r[i] = risk > 0 ? value / risk : NaN;
    openMs[i] = amounts.openMs[from]!;
    closeMs[i] = closeTimes[from]!;
    day[i] = tradingDayNumber(closeTimes[from]!, input.dayRule);
  }

  const cashOrder = orderOf(input.cash.length, (a, b) => {
    const [x, y] = [input.cash[a]!, input.cash[b]!];
    return x.at.getTime() - y.at.getTime() || byIdText(x.id, y.id);
  });
  const cash = cashOrder.map((from): PreparedCash => {
    const movement = input.cash[from]!;
    const ms = movement.at.getTime();
    return { movement, amount: amounts.cash[from]!, ms, day: tradingDayNumber(ms, input.dayRule) };
  });

  const events = new Int32Array(n + cash.length);
  let e = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    while (c < cash.length && cash[c]!.ms <= closeMs[i]!) events[e++] = -1 - c++;
    events[e++] = i;
  }
  while (c < cash.length) events[e++] = -1 - c++;

  const prepared: Prepared = {
    scale,
    startingBalance: amounts.startingBalance,
    count: n,
    trades,
    net,
    netValue,
    r,
    openMs,
    closeMs,
    day,
    costs,
    cash,
    events,
    openWeekHours: new Map(),
  };
  cache.set(input, prepared);
  return prepared;
}
