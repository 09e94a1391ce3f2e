// One pass over an input that every figure shares: amounts read into exact
// integer units, trades and cash ordered, events merged. Memoised per input
// object (inputs are treated as immutable), so summarize, balanceCurve and
// the breakdowns of one page read the 100,000 trades once.
import { EXACT_UNITS_LIMIT, readDecimal, rescaleUnits, type MoneyScale } from "./money.ts";
import { tradingDayNumber, wallWeekHour } from "./trading-day.ts";
import type { AnalyticsInput, AnalyticsTrade, CashMovement, DayRule } from "./types.ts";

export interface PreparedTrade {
  kind: "trade";
  trade: AnalyticsTrade;
  /** Net in integer units of the scale (an exact safe integer, see money.ts). */
  net: number;
  /** Net as a number, for statistics only. */
  netValue: number;
  commission: number;
  swap: number;
  fee: number;
  openMs: number;
  closeMs: number;
  /** Realised R = net / initial risk; null without a positive initial risk. */
  r: number | null;
  /** Trading day of the close, days since 1970-01-01, under input.dayRule. */
  day: number;
  // The breakdown keys, copied while the trade object is in the cache anyway
  // (each breakdown would otherwise chase 100,000 scattered input objects).
  symbol: string;
  direction: "buy" | "sell";
  session: string | null;
  tags: string[];
}

export interface PreparedCash {
  kind: "cash";
  movement: CashMovement;
  amount: number;
  ms: number;
  day: number;
}

/** Time order of the balance curve: by instant; at the same instant cash before trades. */
export type PreparedEvent = PreparedCash | PreparedTrade;

export interface Prepared {
  scale: MoneyScale;
  startingBalance: number;
  /** Ordered by close time, then id. */
  trades: PreparedTrade[];
  /** Ordered by time, then id. */
  cash: PreparedCash[];
  events: PreparedEvent[];
  /** Per zone: each trade's open weekday × 24 + hour on that wall clock, in `trades` order. */
  openWeekHours: Map<string, Uint8Array>;
}

/** Open weekday × 24 + hour of every trade on the zone's wall clock (computed once per zone). */
export function openWeekHours(prepared: Prepared, zone: string): Uint8Array {
  let cells = prepared.openWeekHours.get(zone);
  if (!cells) {
    cells = new Uint8Array(prepared.trades.length);
    for (let i = 0; i < cells.length; i++) cells[i] = wallWeekHour(prepared.trades[i]!.openMs, zone);
    prepared.openWeekHours.set(zone, cells);
  }
  return cells;
}

const byIdText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The database usually hands the trades over in order already: one pass to
 * check saves the sort. True when the items had to be sorted.
 */
function sortUnlessSorted<T>(items: T[], compare: (a: T, b: T) => number): boolean {
  for (let i = 1; i < items.length; i++) {
    if (compare(items[i - 1]!, items[i]!) > 0) {
      items.sort(compare);
      return true;
    }
  }
  return false;
}

/**
 * Fresh copies in the new order: after a sort the objects lie scattered in
 * memory, and every later pass over 100,000 of them then misses the cache
 * (breakdowns ran 4× slower); copies allocated in order lie side by side.
 */
function inMemoryOrder(trades: PreparedTrade[]): PreparedTrade[] {
  return trades.map((t) => ({
    kind: "trade",
    trade: t.trade,
    net: t.net,
    netValue: t.netValue,
    commission: t.commission,
    swap: t.swap,
    fee: t.fee,
    openMs: t.openMs,
    closeMs: t.closeMs,
    r: t.r,
    day: t.day,
    symbol: t.symbol,
    direction: t.direction,
    session: t.session,
    tags: t.tags,
  }));
}

/**
 * Every amount of the set read once: raw digits and decimals, then scaled to
 * the most decimals any amount has. Also checks the exactness bound of
 * money.ts (the absolute amounts add up to a safe integer).
 */
function readAmounts(input: AnalyticsInput): { scale: MoneyScale; trades: Float64Array; cash: Float64Array; startingBalance: number } {
  const trades = new Float64Array(input.trades.length * 4);
  const tradeDecimals = new Uint8Array(trades.length);
  const cash = new Float64Array(input.cash.length);
  const cashDecimals = new Uint8Array(cash.length);
  const start = new Float64Array(1);
  let decimals = Math.max(2, readDecimal(input.startingBalance, start, 0));
  for (let i = 0; i < input.trades.length; i++) {
    const t = input.trades[i]!;
    const at = i * 4;
    decimals = Math.max(
      decimals,
      (tradeDecimals[at] = readDecimal(t.profit, trades, at)),
      (tradeDecimals[at + 1] = readDecimal(t.commission, trades, at + 1)),
      (tradeDecimals[at + 2] = readDecimal(t.swap, trades, at + 2)),
      (tradeDecimals[at + 3] = readDecimal(t.fee, trades, at + 3)),
    );
  }
  for (let i = 0; i < input.cash.length; i++) decimals = Math.max(decimals, (cashDecimals[i] = readDecimal(input.cash[i]!.amount, cash, i)));
  const startingBalance = rescaleUnits(start[0]!, readDecimal(input.startingBalance, start, 0), decimals);
  let bound = Math.abs(startingBalance);
  for (let i = 0; i < trades.length; i++) bound += Math.abs((trades[i] = rescaleUnits(trades[i]!, tradeDecimals[i]!, decimals)));
  for (let i = 0; i < cash.length; i++) bound += Math.abs((cash[i] = rescaleUnits(cash[i]!, cashDecimals[i]!, decimals)));
  if (!(bound <= EXACT_UNITS_LIMIT)) throw new RangeError(`amounts too large to add exactly at ${decimals} decimals`);
  return { scale: { decimals }, trades, cash, startingBalance };
}

function prepareTrade(trade: AnalyticsTrade, amounts: Float64Array, at: number, scale: MoneyScale, rule: DayRule): PreparedTrade {
  const commission = amounts[at + 1]!;
  const swap = amounts[at + 2]!;
  const fee = amounts[at + 3]!;
  const net = amounts[at]! + commission + swap + fee;
  const netValue = net / 10 ** scale.decimals;
  const risk = trade.initialRisk === null ? NaN : Number(trade.initialRisk);
  const closeMs = trade.closedAt.getTime();
  return {
    kind: "trade",
    trade,
    net,
    netValue,
    commission,
    swap,
    fee,
    openMs: trade.openedAt.getTime(),
    closeMs,
    // A stored risk is > 0 (database check); anything else is treated as "no stop".
    r: risk > 0 ? netValue / risk : null,
    day: tradingDayNumber(closeMs, rule),
    symbol: trade.symbol,
    direction: trade.direction,
    session: trade.session,
    tags: trade.tags,
  };
}

const cache = new WeakMap<AnalyticsInput, Prepared>();

export function prepare(input: AnalyticsInput): Prepared {
  const cached = cache.get(input);
  if (cached) return cached;
  const amounts = readAmounts(input);
  const { scale, startingBalance } = amounts;
  let trades = input.trades.map((t, i) => prepareTrade(t, amounts.trades, i * 4, scale, input.dayRule));
  if (sortUnlessSorted(trades, (a, b) => a.closeMs - b.closeMs || byIdText(a.trade.id, b.trade.id))) trades = inMemoryOrder(trades);
  const cash = input.cash.map((movement, i): PreparedCash => {
    const ms = movement.at.getTime();
    return { kind: "cash", movement, amount: amounts.cash[i]!, ms, day: tradingDayNumber(ms, input.dayRule) };
  });
  sortUnlessSorted(cash, (a, b) => a.ms - b.ms || byIdText(a.movement.id, b.movement.id));
  const events: PreparedEvent[] = [];
  let c = 0;
  for (const trade of trades) {
    while (c < cash.length && cash[c]!.ms <= trade.closeMs) events.push(cash[c++]!);
    events.push(trade);
  }
  while (c < cash.length) events.push(cash[c++]!);
  const prepared: Prepared = { scale, startingBalance, trades, cash, events, openWeekHours: new Map() };
  cache.set(input, prepared);
  return prepared;
}
