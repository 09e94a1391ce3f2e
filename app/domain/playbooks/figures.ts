// A playbook's figures (issue 13): its closed trades' count, win rate with
// its 95 % interval, expectancy in money and in R — and the same for the
// trades where every rule of its checklist was ticked against those where
// not. Each figure is the one docs/metrics.md defines, computed by the
// analytics summary itself (app/domain/analytics), so "win rate" on a
// playbook means what it means on the dashboard.
import { summarize } from "~/domain/analytics/summarize.ts";
import { MIN_SAMPLE } from "~/domain/analytics/sequences.ts";
import type { AnalyticsTrade, Interval } from "~/domain/analytics/types.ts";

/** Below this many trades a group's figures say little (metrics.md: "small sample"). */
export const SMALL_SAMPLE = MIN_SAMPLE;

export interface PlaybookTrade extends AnalyticsTrade {
  /** The trade's account currency: money figures never mix currencies (metrics.md). */
  currency: string;
  /** Rules of the playbook the trader ticked for this trade. */
  checkedRuleIds: readonly string[];
}

export interface GroupFigures {
  trades: number;
  wins: number;
  losses: number;
  breakevens: number;
  /** wins / trades, breakevens in the denominator; null without trades. */
  winRate: number | null;
  /** Wilson score interval at 95 %. */
  winRateInterval: Interval<number> | null;
  /** Σ net, decimal text in the currency. */
  netTotal: string;
  /** Σ net / trades (decimal text); null without trades. */
  expectancy: string | null;
  /** Percentile bootstrap of the mean net at 95 % (decimal text). */
  expectancyInterval: Interval<string> | null;
  /** Mean realised R (= average R) over the trades with an initial stop. */
  expectancyR: number | null;
  /** Trades with an R, and those left out of R for want of a stop. */
  rTrades: number;
  rMissing: number;
  /** Fewer than SMALL_SAMPLE trades: too few to read anything into. */
  smallSample: boolean;
}

export interface RuleComparison {
  /** Trades with every rule of the checklist ticked. */
  everyRule: GroupFigures;
  /** Trades with at least one rule not ticked. */
  notEveryRule: GroupFigures;
}

export interface CurrencyFigures {
  currency: string;
  all: GroupFigures;
  /** Null when the playbook has no rules: there is nothing to follow or skip. */
  comparison: RuleComparison | null;
}

/** True when every one of the playbook's rules is among the ticked ones (a playbook without rules: false). */
export function followedEveryRule(checkedRuleIds: readonly string[], ruleIds: readonly string[]): boolean {
  if (ruleIds.length === 0) return false;
  const checked = new Set(checkedRuleIds);
  return ruleIds.every((id) => checked.has(id));
}

/** The docs/metrics.md figures of one group of closed trades in one currency. */
export function groupFigures(trades: readonly AnalyticsTrade[]): GroupFigures {
  // Only per-trade figures are read, so no balance, cash or calendar is needed.
  const summary = summarize({
    trades: [...trades],
    cash: [],
    startingBalance: "0",
    dayRule: { timeZone: "UTC", dayStartMinutes: 0 },
    period: { from: null, to: null },
  });
  return {
    trades: summary.trades,
    wins: summary.wins,
    losses: summary.losses,
    breakevens: summary.breakevens,
    winRate: summary.winRate,
    winRateInterval: summary.winRateInterval,
    netTotal: summary.netTotal,
    expectancy: summary.expectancy,
    expectancyInterval: summary.expectancyInterval,
    expectancyR: summary.expectancyR,
    rTrades: summary.rTrades,
    rMissing: summary.rMissing,
    smallSample: summary.trades < SMALL_SAMPLE,
  };
}

/**
 * A playbook's figures, one block per currency its trades were taken in
 * (most trades first, then by code): with the comparison of trades that
 * followed every rule against those that did not, when it has rules and
 * `compare` is on (a list of playbooks leaves it off: each group's summary
 * resamples its trades for the expectancy interval, which costs milliseconds).
 */
export function playbookFigures(trades: readonly PlaybookTrade[], ruleIds: readonly string[], { compare = true } = {}): CurrencyFigures[] {
  const byCurrency = new Map<string, PlaybookTrade[]>();
  for (const trade of trades) {
    const group = byCurrency.get(trade.currency);
    if (group) group.push(trade);
    else byCurrency.set(trade.currency, [trade]);
  }
  return [...byCurrency.entries()]
    .sort(([a, x], [b, y]) => y.length - x.length || (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, group]) => {
      if (ruleIds.length === 0 || !compare) return { currency, all: groupFigures(group), comparison: null };
      const everyRule: PlaybookTrade[] = [];
      const notEveryRule: PlaybookTrade[] = [];
      for (const trade of group) (followedEveryRule(trade.checkedRuleIds, ruleIds) ? everyRule : notEveryRule).push(trade);
      return {
        currency,
        all: groupFigures(group),
        comparison: { everyRule: groupFigures(everyRule), notEveryRule: groupFigures(notEveryRule) },
      };
    });
}
