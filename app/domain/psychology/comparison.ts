// Results of flagged vs unflagged trades: the /analytics breakdown. Figures
// as metrics.md defines them: win rate = wins / trades (breakevens in the
// denominator), expectancy = total net / trades.
import { dec, toDecimalString, ZERO, type BigNumber } from "../decimal.ts";
import { tradingDayOf, type DayRule } from "../periods/trading-day.ts";
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
  const totals = new Map<SignalGroup, { trades: number; wins: number; losses: number; net: BigNumber }>(
    SIGNAL_GROUPS.map((group) => [group, { trades: 0, wins: 0, losses: 0, net: ZERO }]),
  );
  const add = (group: SignalGroup, net: BigNumber) => {
    const total = totals.get(group)!;
    total.trades++;
    if (net.gt(0)) total.wins++;
    else if (net.lt(0)) total.losses++;
    total.net = total.net.plus(net);
  };
  for (const trade of trades) {
    if (trade.closedMs === null) continue;
    const net = dec(trade.net);
    const revenge = flags.revenge.has(trade.id);
    const overtrading = flags.overtradingDays.size > 0 && flags.overtradingDays.has(tradingDayOf(trade.closedMs, flags.dayRule));
    if (revenge) add("revenge", net);
    if (overtrading) add("overtrading", net);
    add(revenge || overtrading ? "flagged" : "unflagged", net);
  }
  return SIGNAL_GROUPS.map((group) => {
    const total = totals.get(group)!;
    return {
      group,
      trades: total.trades,
      wins: total.wins,
      losses: total.losses,
      net: toDecimalString(total.net),
      winRate: total.trades ? total.wins / total.trades : null,
      expectancy: total.trades ? toDecimalString(total.net.div(total.trades)) : null,
    };
  });
}
