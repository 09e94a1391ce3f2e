import { bootstrapMeanInterval } from "./bootstrap.ts";
import { NeutralisedDrawdown } from "./drawdown.ts";
import { divideMoney, formatEstimate, formatMoney } from "./money.ts";
import { prepare } from "./prepare.ts";
import { profitFactor, ratioOf } from "./ratios.ts";
import { dailyReturns, holdingPeriodReturns, sharpeRatio, sortinoRatio, tradeReturns } from "./returns.ts";
import { longestStreaks, runsTest, systemQualityNumber } from "./sequences.ts";
import { mean, sampleStandardDeviation, wilsonInterval } from "./statistics.ts";
import type { AnalyticsInput, Summary } from "./types.ts";

/** Every headline figure of docs/metrics.md for one period of one account. */
export function summarize(input: AnalyticsInput): Summary {
  const prepared = prepare(input);
  const { trades, scale } = prepared;
  const n = trades.length;

  let wins = 0;
  let losses = 0;
  let grossProfit = 0;
  let grossLoss = 0;
  let commission = 0;
  let swap = 0;
  let fee = 0;
  let winDurationMs = 0;
  let lossDurationMs = 0;
  let best = trades[0];
  let worst = trades[0];
  const nets = new Float64Array(n);
  const rs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = trades[i]!;
    nets[i] = t.netValue;
    commission += t.commission;
    swap += t.swap;
    fee += t.fee;
    if (t.net > 0) {
      wins++;
      grossProfit += t.net;
      winDurationMs += t.closeMs - t.openMs;
    } else if (t.net < 0) {
      losses++;
      grossLoss += t.net;
      lossDurationMs += t.closeMs - t.openMs;
    }
    if (t.net > best!.net) best = t;
    if (t.net < worst!.net) worst = t;
    if (t.r !== null) rs.push(t.r);
  }
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
    if (event.kind === "cash") walk.cash(event.amount);
    else walk.trade(event.net);
    noteDrawdown();
  }

  const streaks = longestStreaks(trades);
  const runs = runsTest(trades);
  const { ahpr, ghpr } = holdingPeriodReturns(tradeReturns(prepared));
  const daily = dailyReturns(prepared, input);
  const interval = bootstrapMeanInterval(nets);

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
    largestWin: wins ? formatMoney(best!.net, scale) : null,
    largestLoss: losses ? formatMoney(worst!.net, scale) : null,
    standardDeviation: sampleStandardDeviation(nets),
    costs: { commission: formatMoney(commission, scale), swap: formatMoney(swap, scale), fee: formatMoney(fee, scale) },
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
    bestTrade: best ? best.trade.id : null,
    worstTrade: worst ? worst.trade.id : null,
  };
}
