// Results of flagged vs unflagged trades: the /analytics breakdown. Figures
// as metrics.md defines them: win rate = wins / trades (breakevens in the
// denominator), expectancy = total net / trades.
import { dec, toDecimalString } from "../decimal.ts";
import { tradingDayOf, type DayRule } from "../periods/trading-day.ts";
import { decimalsOf, unitsOfAll, unitsToText } from "./exact.ts";
import type { PsychologyTrade } from "./types.ts";

export type SignalGroup = "revenge" | "overtrading" | "flagged" | "unflagged";

export const SIGNAL_GROUPS: readonly SignalGroup[] = ["revenge", "overtrading", "flagged", "unflagged"];

export interface SignalGroupFigures {
  group: SignalGroup;
  trades: number;
  wins: number;
  losses: number;
  net: string; // decimal text
  /** wins / trades; null without trades. */
  winRate: number | null;
  /** net / trades, decimal text; null without trades. */
  expectancy: string | null;
}

export interface SignalFlags {
  revenge: ReadonlySet<string> | ReadonlyMap<string, unknown>;
  overtradingDays: ReadonlySet<string>;
  dayRule: DayRule;
}

/** The trades of `trades` that are closed, split by signal. A trade with both signals counts in each of their rows once. */
export function compareFlagged(trades: readonly PsychologyTrade[], flags: SignalFlags): SignalGroupFigures[] {
  const closed = trades.filter((trade) => trade.closedMs !== null);
  // Every net in units of the most decimals any of them has: sums stay exact
  // (in doubles while they can, BigInt beyond).
  let scale = 0;
  for (const trade of closed) scale = Math.max(scale, decimalsOf(trade.net));
  const units = unitsOfAll(
    closed.map((trade) => trade.net),
    scale,
  );
  const big = typeof units[0] === "bigint";
  // One running total per row, in SIGNAL_GROUPS order.
  const totals = SIGNAL_GROUPS.map(() => ({ trades: 0, wins: 0, losses: 0, net: big ? (0n as number | bigint) : 0 }));
  const [REVENGE, OVERTRADING, FLAGGED, UNFLAGGED] = [0, 1, 2, 3];
  const add = (row: number, net: number | bigint) => {
    const total = totals[row]!;
    total.trades++;
    if (net > 0) total.wins++;
    else if (net < 0) total.losses++;
    total.net = big ? (total.net as bigint) + (net as bigint) : (total.net as number) + (net as number);
  };
  const judgeDays = flags.overtradingDays.size > 0;
  for (let index = 0; index < closed.length; index++) {
    const trade = closed[index]!;
    const net = units[index]!;
    const revenge = flags.revenge.has(trade.id);
    const overtrading = judgeDays && flags.overtradingDays.has(tradingDayOf(trade.closedMs!, flags.dayRule));
    if (revenge) add(REVENGE, net);
    if (overtrading) add(OVERTRADING, net);
    add(revenge || overtrading ? FLAGGED : UNFLAGGED, net);
  }
  return SIGNAL_GROUPS.map((group, row) => {
    const total = totals[row]!;
    const net = unitsToText(BigInt(total.net), scale);
    return {
      group,
      trades: total.trades,
      wins: total.wins,
      losses: total.losses,
      net,
      winRate: total.trades ? total.wins / total.trades : null,
      expectancy: total.trades ? toDecimalString(dec(net).div(total.trades)) : null,
    };
  });
}
