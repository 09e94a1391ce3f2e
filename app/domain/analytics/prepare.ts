// One pass over an input that every figure shares: amounts read into exact
// integer units, trades and cash ordered, events merged. Memoised per input
// object (inputs are treated as immutable), so summarize, balanceCurve and
// the breakdowns of one page read the 100,000 trades once.
import { decimalsOf, EXACT_UNITS_LIMIT, toUnits, type MoneyScale } from "./money.ts";
import { tradingDayNumber, wallWeekHour } from "./trading-day.ts";
import type { AnalyticsInput, AnalyticsTrade, CashMovement } from "./types.ts";

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

/** The database usually hands the trades over in order already: one pass to check saves the sort. */
function sortUnlessSorted<T>(items: T[], compare: (a: T, b: T) => number): void {
  for (let i = 1; i < items.length; i++) {
    if (compare(items[i - 1]!, items[i]!) > 0) {
      items.sort(compare);
      return;
    }
  }
}

function scaleOf(input: AnalyticsInput): MoneyScale {
  let decimals = Math.max(2, decimalsOf(input.startingBalance));
  for (const t of input.trades) {
    decimals = Math.max(decimals, decimalsOf(t.profit), decimalsOf(t.commission), decimalsOf(t.swap), decimalsOf(t.fee));
  }
  for (const c of input.cash) decimals = Math.max(decimals, decimalsOf(c.amount));
  return { decimals };
}

function prepareTrade(trade: AnalyticsTrade, input: AnalyticsInput, scale: MoneyScale): PreparedTrade {
  const commission = toUnits(trade.commission, scale);
  const swap = toUnits(trade.swap, scale);
  const fee = toUnits(trade.fee, scale);
  const net = toUnits(trade.profit, scale) + commission + swap + fee;
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
    day: tradingDayNumber(closeMs, input.dayRule),
  };
}

const cache = new WeakMap<AnalyticsInput, Prepared>();

export function prepare(input: AnalyticsInput): Prepared {
  const cached = cache.get(input);
  if (cached) return cached;
  const scale = scaleOf(input);
  const trades = input.trades.map((t) => prepareTrade(t, input, scale));
  sortUnlessSorted(trades, (a, b) => a.closeMs - b.closeMs || byIdText(a.trade.id, b.trade.id));
  const cash = input.cash.map(
    (movement): PreparedCash => {
      const ms = movement.at.getTime();
      return { kind: "cash", movement, amount: toUnits(movement.amount, scale), ms, day: tradingDayNumber(ms, input.dayRule) };
    },
  );
  sortUnlessSorted(cash, (a, b) => a.ms - b.ms || byIdText(a.movement.id, b.movement.id));
  const events: PreparedEvent[] = [];
  let c = 0;
  for (const trade of trades) {
    while (c < cash.length && cash[c]!.ms <= trade.closeMs) events.push(cash[c++]!);
    events.push(trade);
  }
  while (c < cash.length) events.push(cash[c++]!);
  const startingBalance = toUnits(input.startingBalance, scale);
  // Every sum of any subset is exact when the absolute amounts add up to a safe integer.
  let bound = Math.abs(startingBalance);
  for (const t of input.trades) bound += Math.abs(toUnits(t.profit, scale));
  for (const t of trades) bound += Math.abs(t.commission) + Math.abs(t.swap) + Math.abs(t.fee);
  for (const c of cash) bound += Math.abs(c.amount);
  if (!(bound <= EXACT_UNITS_LIMIT)) {
    throw new RangeError(`amounts too large to add exactly at ${scale.decimals} decimals`);
  }
  const prepared: Prepared = { scale, startingBalance, trades, cash, events, openWeekHours: new Map() };
  cache.set(input, prepared);
  return prepared;
}
