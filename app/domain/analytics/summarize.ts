import { bootstrapMeanInterval } from "./bootstrap.ts";
import { NeutralisedDrawdown } from "./drawdown.ts";
import { divideMoney, formatEstimate, formatMoney } from "./money.ts";
import { prepare } from "./prepare.ts";
import { profitFactor, ratioOf } from "./ratios.ts";
import { dailyReturns, holdingPeriodReturns, sharpeRatio, sortinoRatio, tradeReturns } from "./returns.ts";
import { longestStreaks, runsTest, systemQualityNumber } from "./sequences.ts";
import { mean, sampleStandardDeviation, wilsonInterval } from "./statistics.ts";
import type { AnalyticsSource, Summary } from "./types.ts";

/** Every headline figure of docs/metrics.md for one period of one account. */
export function summarize(input: AnalyticsSource): Summary {
  const prepared = prepare(input);
  const { count: n, net, netValue, r, openMs, closeMs, scale, costs } = prepared;

  let wins = 0;
  let losses = 0;
  let grossProfit = 0;
  let grossLoss = 0;
  let winDurationMs = 0;
  let lossDurationMs = 0;
  let best = 0;
  let worst = 0;
  // The R of the trades that have one, in close order (a typed array: no per-load array growth to collect).
  const rValues = new Float64Array(n);
  let rCount = 0;
  for (let i = 0; i < n; i++) {
    const units = net[i]!;
    if (units > 0) {
      wins++;
      grossProfit += units;
      winDurationMs += closeMs[i]! - openMs[i]!;
    } else if (units < 0) {
      losses++;
      grossLoss += units;
      lossDurationMs += closeMs[i]! - openMs[i]!;
    }
    // Strict comparisons: the first in close order wins a tie.
    if (units > net[best]!) best = i;
    if (units < net[worst]!) worst = i;
    if (r[i] === r[i]) rValues[rCount++] = r[i]!; // not NaN: the trade has an R
  }
  const rs = rValues.subarray(0, rCount);
  const netTotal = grossProfit + grossLoss;

  let maxDrawdown = 0;
  let maxDrawdownShare: number | null = null;
  const walk = new NeutralisedDrawdown(prepared.startingBalance);
  const noteDrawdown = () => {
    if (walk.drawdown > maxDrawdown) maxDrawdown = walk.drawdown;
    const share = walk.drawdownShare;
    if (share !== null && (maxDrawdownShare === null || share > maxDrawdownShare)) maxDrawdownShare = share;
  };
  noteDrawdown();
  for (const event of prepared.events) {
    walk.apply(prepared, event);
    noteDrawdown();
  }

  const streaks = longestStreaks(net);
  const runs = runsTest(net);
  const { ahpr, ghpr } = holdingPeriodReturns(tradeReturns(prepared));
  const daily = dailyReturns(prepared, input);
  const interval = bootstrapMeanInterval(netValue);

  return {
    trades: n,
    wins,
    losses,
    breakevens: n - wins - losses,
    winRate: n ? wins / n : null,
    winRateInterval: wilsonInterval(wins, n),
    grossProfit: formatMoney(grossProfit, scale),
    grossLoss: formatMoney(grossLoss, scale),
    netTotal: formatMoney(netTotal, scale),
    profitFactor: n ? profitFactor(grossProfit, grossLoss) : null,
    averageWin: wins ? divideMoney(grossProfit, wins, scale) : null,
    averageLoss: losses ? divideMoney(grossLoss, losses, scale) : null,
    payoffRatio: wins && losses ? ratioOf(grossProfit / wins, -grossLoss / losses) : null,
    expectancy: n ? divideMoney(netTotal, n, scale) : null,
    expectancyInterval: interval && { low: formatEstimate(interval.low, scale), high: formatEstimate(interval.high, scale) },
    expectancyR: mean(rs),
    rTrades: rs.length,
    rMissing: n - rs.length,
    largestWin: wins ? formatMoney(net[best]!, scale) : null,
    largestLoss: losses ? formatMoney(net[worst]!, scale) : null,
    standardDeviation: sampleStandardDeviation(netValue),
    costs: { commission: formatMoney(costs.commission, scale), swap: formatMoney(costs.swap, scale), fee: formatMoney(costs.fee, scale) },
    averageDurationWinMs: wins ? winDurationMs / wins : null,
    averageDurationLossMs: losses ? lossDurationMs / losses : null,
    maxDrawdown: formatMoney(maxDrawdown, scale),
    maxDrawdownPercent: maxDrawdownShare === null ? null : maxDrawdownShare * 100,
    recoveryFactor: ratioOf(netTotal, maxDrawdown),
    longestWinStreak: streaks.wins,
    longestLossStreak: streaks.losses,
    sqn: systemQualityNumber(rs),
    ahpr,
    ghpr,
    sharpe: sharpeRatio(daily),
    sortino: sortinoRatio(daily),
    zScore: runs.zScore,
    zLabel: runs.zLabel,
    bestTrade: n ? prepared.id(best) : null,
    worstTrade: n ? prepared.id(worst) : null,
  };
}
