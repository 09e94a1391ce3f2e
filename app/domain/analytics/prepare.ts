// One pass over an input that every figure shares: amounts as exact integer
// units at one scale, trades and cash ordered, trades and cash merged into
// one time line. Memoised per input object (inputs are treated as
// immutable), so summarize, balanceCurve and the breakdowns of one page
// read the 100,000 trades once.
//
// Trades are held as columns (typed arrays) in close order rather than one
// object each: an object per trade boxed its numbers separately and
// scattered them over the heap, and every later pass paid in cache misses
// and garbage collection. Trade objects are turned into columns first
// (columns.ts); the analytics store hands columns over directly.
import { columnsOf } from "./columns.ts";
import { EXACT_UNITS_LIMIT, readDecimal, rescaleUnits, type MoneyScale } from "./money.ts";
import { tradingDayNumber, wallWeekHour } from "./trading-day.ts";
import type { AnalyticsSource, CashMovement, TradeColumns } from "./types.ts";

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
  /** Id of trade i. */
  id(i: number): string;
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
  /** Codes into symbols / sessions, 1 = buy, and each trade's distinct tag codes (tagCode[tagStart[i] .. tagStart[i + 1])). */
  symbol: Uint32Array;
  symbols: string[];
  session: Uint32Array;
  sessions: (string | null)[];
  buy: Uint8Array;
  tagStart: Uint32Array;
  tagCode: Uint32Array;
  tagNames: string[];
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
function orderOf(length: number, compare: (a: number, b: number) => number): number[] | null {
  for (let i = 1; i < length; i++) {
    if (compare(i - 1, i) > 0) return Array.from({ length }, (_, j) => j).sort(compare);
  }
  return null;
}

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => 10 ** i);

const cache = new WeakMap<AnalyticsSource, Prepared>();

export function prepare(input: AnalyticsSource): Prepared {
  const cached = cache.get(input);
  if (cached) return cached;
  const columns: TradeColumns = "columns" in input ? input.columns : columnsOf(input.trades);
  const n = columns.count;

  // The scale: the most decimals any amount is written with, at least cents.
  const start = new Float64Array(1);
  const startDecimals = readDecimal(input.startingBalance, start, 0);
  const cashUnits = new Float64Array(input.cash.length);
  let decimals = Math.max(2, startDecimals);
  const cashDecimals = input.cash.map((c, i) => readDecimal(c.amount, cashUnits, i));
  for (const d of cashDecimals) if (d > decimals) decimals = d;
  for (let i = 0; i < n; i++) if (columns.decimals[i]! > decimals) decimals = columns.decimals[i]!;
  const scale: MoneyScale = { decimals };
  // Exactness (money.ts): every absolute amount of the set added up stays a safe integer at the scale.
  const startingBalance = rescaleUnits(start[0]!, startDecimals, decimals);
  let bound = Math.abs(startingBalance) + columns.amountBound * 10 ** (decimals - columns.boundDecimals);
  for (let i = 0; i < cashUnits.length; i++) bound += Math.abs((cashUnits[i] = rescaleUnits(cashUnits[i]!, cashDecimals[i]!, decimals)));
  if (!(bound <= EXACT_UNITS_LIMIT)) throw new RangeError(`amounts too large to add exactly at ${decimals} decimals`);

  const closeTimes = columns.closeMs;
  const order = orderOf(n, (a, b) => closeTimes[a]! - closeTimes[b]! || columns.compareIds(a, b));
  const from = (i: number) => (order ? order[i]! : i);

  const net = new Float64Array(n);
  const netValue = new Float64Array(n);
  const r = new Float64Array(n);
  const openMs = order ? new Float64Array(n) : columns.openMs;
  const closeMs = order ? new Float64Array(n) : closeTimes;
  const day = new Int32Array(n);
  const symbol = order ? new Uint32Array(n) : columns.symbol;
  const session = order ? new Uint32Array(n) : columns.session;
  const buy = order ? new Uint8Array(n) : columns.buy;
  const costs = { commission: 0, swap: 0, fee: 0 };
  const unit = POWERS_OF_TEN[decimals] ?? 10 ** decimals;
  for (let i = 0; i < n; i++) {
    const k = from(i);
    const up = POWERS_OF_TEN[decimals - columns.decimals[k]!]!;
    costs.commission += columns.commission[k]! * up;
    costs.swap += columns.swap[k]! * up;
    costs.fee += columns.fee[k]! * up;
    const units = columns.net[k]! * up;
    const value = units / unit;
    // A stored risk is > 0 (database check); anything else is treated as "no stop".
    const risk = columns.risk[k]!;
    net[i] = units;
    netValue[i] = value;
    r[i] = risk > 0 ? value / risk : NaN;
    if (order) {
      openMs[i] = columns.openMs[k]!;
      closeMs[i] = closeTimes[k]!;
      symbol[i] = columns.symbol[k]!;
      session[i] = columns.session[k]!;
      buy[i] = columns.buy[k]!;
    }
    day[i] = tradingDayNumber(closeMs[i]!, input.dayRule);
  }
  let tagStart = columns.tagStart;
  let tagCode = columns.tagCode;
  if (order) {
    tagStart = new Uint32Array(n + 1);
    tagCode = new Uint32Array(columns.tagCode.length);
    let at = 0;
    for (let i = 0; i < n; i++) {
      const k = order[i]!;
      for (let j = columns.tagStart[k]!; j < columns.tagStart[k + 1]!; j++) tagCode[at++] = columns.tagCode[j]!;
      tagStart[i + 1] = at;
    }
  }

  const cashOrder = Array.from({ length: input.cash.length }, (_, i) => i);
  const atOf = (i: number) => input.cash[i]!.at.getTime();
  if (orderOf(cashOrder.length, (a, b) => atOf(a) - atOf(b) || byIdText(input.cash[a]!.id, input.cash[b]!.id))) {
    cashOrder.sort((a, b) => atOf(a) - atOf(b) || byIdText(input.cash[a]!.id, input.cash[b]!.id));
  }
  const cash = cashOrder.map((k): PreparedCash => {
    const movement = input.cash[k]!;
    const ms = movement.at.getTime();
    return { movement, amount: cashUnits[k]!, ms, day: tradingDayNumber(ms, input.dayRule) };
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
    startingBalance,
    count: n,
    id: (i) => columns.id(from(i)),
    net,
    netValue,
    r,
    openMs,
    closeMs,
    day,
    symbol,
    symbols: columns.symbols,
    session,
    sessions: columns.sessions,
    buy,
    tagStart,
    tagCode,
    tagNames: columns.tagNames,
    costs,
    cash,
    events,
    openWeekHours: new Map(),
  };
  cache.set(input, prepared);
  return prepared;
}
