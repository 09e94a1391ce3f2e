// Maximum adverse and favourable excursion (MAE / MFE) of a closed trade and
// its exit efficiency, from the broker's own bars (docs/metrics.md#mae-mfe).
//
// Definitions (the one place they are written in code):
//  - The trade lives from its first entry (opened_at) to its last exit
//    (closed_at); excursions are measured from the volume-weighted entry price
//    over that whole span, partial exits included (the position is open until
//    its last exit).
//  - MFE = the furthest price went in the trade's favour: highest high − entry
//    for a buy, entry − lowest low for a sell. MAE = the furthest against it:
//    entry − lowest low for a buy, highest high − entry for a sell. Both are
//    distances ≥ 0 (the entry itself was a price during the trade).
//  - Which prices count: every bar that lies wholly inside the trade counts
//    with its high and low. A bar the trade covers only in part — the entry
//    bar, the exit bar, and the one bar of a trade that opened and closed
//    inside it — counts only through the prices known to have traded during
//    the trade: the entry, the exit legs (or the average exit when the legs
//    are not known). Its high or low may have been printed before the entry or
//    after the exit, so using it would claim an excursion the bars cannot
//    prove; the figure errs low by at most one bar at each end (a minute on M1).
//  - Missing bars (a data gap, the FX weekend) add nothing; the first bar after
//    a gap carries the jump in its own high/low, so a weekend gap against the
//    trade is in its MAE.
//  - Exit efficiency = captured ÷ MFE, where captured is the favourable move
//    from the average entry to the average exit (volume-weighted over the exit
//    legs). At most 1 (every exit price is among the prices measured), negative
//    for a trade closed beyond its entry against it; none when MFE is 0.
//  - Account currency: the price distance × the trade's own money per unit of
//    price — gross profit ÷ captured move, the rate R already divides by
//    (r-multiple.ts, impliedRiskAmount) — or, when the exit equals the entry,
//    the instrument's value per price unit the caller passes. Pips: distance ÷
//    the instrument's pip. R: the money ÷ the recorded money at risk, else the
//    distance ÷ the initial stop's distance; no initial stop → no R (null, not 0).
import { Big, dec, toDecimalString, type BigNumber } from "~/domain/decimal.ts";
import type { Direction } from "~/domain/trades/types.ts";

export type ExcursionTimeframe = "M1" | "M5";

export const TIMEFRAME_MS: Record<ExcursionTimeframe, number> = { M1: 60_000, M5: 300_000 };

/** One bar, its open time already converted to UTC; prices as the broker's decimal text. */
export interface ExcursionBar {
  openMs: number;
  high: string;
  low: string;
  /**
   * The time the bar spans when it is not the measuring timeframe's: an M5 bar
   * standing for its five M1 bars in the middle of a long trade (fetch-plan.ts).
   * Bars of a series never overlap.
   */
  spanMs?: number;
}

export interface ExcursionTrade {
  direction: Direction;
  openedMs: number;
  closedMs: number;
  /** Volume-weighted entry and exit. */
  entryPrice: string;
  exitPrice: string;
  /** Prices of the exit legs when known (partial exits); the average exit stands in otherwise. */
  exitLegPrices?: readonly string[];
  /** Account currency, before costs: what the price move itself earned. */
  grossProfit: string;
  initialStopLoss: string | null;
  initialRiskAmount: string | null;
  /** The instrument's pip (0.0001, 0.01 for JPY quotes); null when the symbol is unknown. */
  pipSize: string | null;
  /** Account money per 1.0 of price for the whole position, for a trade whose exit equals its entry. */
  fallbackMoneyPerPrice?: string | null;
}

export interface Excursion {
  timeframe: ExcursionTimeframe;
  maePrice: string;
  mfePrice: string;
  maePips: string | null;
  mfePips: string | null;
  /** Account currency, 2 decimals, ≥ 0. */
  maeMoney: string | null;
  mfeMoney: string | null;
  maeR: string | null;
  mfeR: string | null;
  /** captured ÷ MFE, 4 decimals. */
  efficiency: string | null;
  /** When each extreme was printed: the bar's open, or the entry/exit instant. */
  maeAtMs: number;
  mfeAtMs: number;
  /** Bars that overlapped the trade (full and partial). */
  barsOverlapping: number;
}

const PIP_PLACES = 1;
const MONEY_PLACES = 2;
const R_PLACES = 2;
const EFFICIENCY_PLACES = 4;

function plain(value: BigNumber, places: number): string {
  return toDecimalString(value.round(places, Big.roundHalfUp));
}

/** Index of the first bar that ends after `ms` (bars sorted by open time, never overlapping, so their ends are sorted too). */
function firstBarEndingAfter(bars: readonly ExcursionBar[], ms: number, barMs: number): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bars[mid]!.openMs + (bars[mid]!.spanMs ?? barMs) <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Whether a series can measure the trade: its history reaches back to the
 * entry (within one bar) and some bar overlaps the trade. A terminal that
 * keeps too little M1 history answers a range with its later part only.
 */
export function seriesCovers(
  bars: readonly ExcursionBar[],
  timeframe: ExcursionTimeframe,
  trade: Pick<ExcursionTrade, "openedMs" | "closedMs">,
): boolean {
  const barMs = TIMEFRAME_MS[timeframe];
  if (bars.length === 0 || bars[0]!.openMs > trade.openedMs + barMs) return false;
  const first = firstBarEndingAfter(bars, trade.openedMs, barMs);
  return first < bars.length && bars[first]!.openMs <= trade.closedMs;
}

/** MAE/MFE of one closed trade from bars sorted by open time; null when no bar overlaps the trade. */
export function excursionOf(trade: ExcursionTrade, bars: readonly ExcursionBar[], timeframe: ExcursionTimeframe): Excursion | null {
  const barMs = TIMEFRAME_MS[timeframe];
  const buy = trade.direction === "buy";
  const entry = Number(trade.entryPrice);
  // Extremes found by comparing doubles (a decimal text of ≤ 15 digits keeps its order as a double); the distances
  // themselves are then computed exactly from the winning texts.
  let highText = trade.entryPrice;
  let high = entry;
  let highAt = trade.openedMs;
  let lowText = trade.entryPrice;
  let low = entry;
  let lowAt = trade.openedMs;
  const known = (text: string, at: number) => {
    const price = Number(text);
    if (price > high) [high, highText, highAt] = [price, text, at];
    if (price < low) [low, lowText, lowAt] = [price, text, at];
  };
  const exits = trade.exitLegPrices?.length ? trade.exitLegPrices : [trade.exitPrice];
  for (const price of exits) known(price, trade.closedMs);

  let overlapping = 0;
  for (let i = firstBarEndingAfter(bars, trade.openedMs, barMs); i < bars.length; i++) {
    const bar = bars[i]!;
    if (bar.openMs > trade.closedMs) break;
    overlapping++;
    if (bar.openMs < trade.openedMs || bar.openMs + (bar.spanMs ?? barMs) > trade.closedMs) continue;
    const barHigh = Number(bar.high);
    const barLow = Number(bar.low);
    if (barHigh > high) [high, highText, highAt] = [barHigh, bar.high, bar.openMs];
    if (barLow < low) [low, lowText, lowAt] = [barLow, bar.low, bar.openMs];
  }
  if (overlapping === 0) return null;

  const entryPrice = dec(trade.entryPrice);
  const mfePrice = buy ? dec(highText).minus(entryPrice) : entryPrice.minus(lowText);
  const maePrice = buy ? entryPrice.minus(lowText) : dec(highText).minus(entryPrice);
  const captured = buy ? dec(trade.exitPrice).minus(entryPrice) : entryPrice.minus(trade.exitPrice);

  const moneyPerPrice = moneyPerPriceOf(trade, captured);
  const rOf = rScale(trade, entryPrice, moneyPerPrice);
  const pips = (distance: BigNumber) => (trade.pipSize && dec(trade.pipSize).gt(0) ? plain(distance.div(trade.pipSize), PIP_PLACES) : null);
  return {
    timeframe,
    maePrice: toDecimalString(maePrice),
    mfePrice: toDecimalString(mfePrice),
    maePips: pips(maePrice),
    mfePips: pips(mfePrice),
    maeMoney: moneyPerPrice ? plain(maePrice.times(moneyPerPrice), MONEY_PLACES) : null,
    mfeMoney: moneyPerPrice ? plain(mfePrice.times(moneyPerPrice), MONEY_PLACES) : null,
    maeR: rOf ? plain(rOf(maePrice), R_PLACES) : null,
    mfeR: rOf ? plain(rOf(mfePrice), R_PLACES) : null,
    efficiency: mfePrice.gt(0) ? plain(captured.div(mfePrice), EFFICIENCY_PLACES) : null,
    maeAtMs: buy ? lowAt : highAt,
    mfeAtMs: buy ? highAt : lowAt,
    barsOverlapping: overlapping,
  };
}

/** The trade's own account money per 1.0 of price: gross profit ÷ captured move; the caller's fallback when that cannot be read. */
function moneyPerPriceOf(trade: ExcursionTrade, captured: BigNumber): BigNumber | null {
  if (!captured.eq(0)) {
    const rate = dec(trade.grossProfit).div(captured);
    if (rate.gt(0)) return rate;
  }
  return trade.fallbackMoneyPerPrice && dec(trade.fallbackMoneyPerPrice).gt(0) ? dec(trade.fallbackMoneyPerPrice) : null;
}

/** Price distance → R, as realised R divides (r-multiple.ts); null without an initial stop or recorded risk. */
function rScale(trade: ExcursionTrade, entry: BigNumber, moneyPerPrice: BigNumber | null): ((distance: BigNumber) => BigNumber) | null {
  if (trade.initialRiskAmount && dec(trade.initialRiskAmount).gt(0) && moneyPerPrice) {
    const risk = dec(trade.initialRiskAmount);
    return (distance) => distance.times(moneyPerPrice).div(risk);
  }
  if (!trade.initialStopLoss) return null;
  const stopDistance = trade.direction === "buy" ? entry.minus(trade.initialStopLoss) : dec(trade.initialStopLoss).minus(entry);
  if (stopDistance.lte(0)) return null;
  return (distance) => distance.div(stopDistance);
}
