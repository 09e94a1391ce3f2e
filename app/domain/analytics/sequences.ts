// Figures on the close-ordered sequence of outcomes (docs/metrics.md#streaks, #z-score).
import { finite } from "./statistics.ts";

/** Longest runs of consecutive wins and losses; a breakeven ends both. */
export function longestStreaks(nets: Float64Array): { wins: number; losses: number } {
  let wins = 0;
  let losses = 0;
  let winRun = 0;
  let lossRun = 0;
  for (const net of nets) {
    winRun = net > 0 ? winRun + 1 : 0;
    lossRun = net < 0 ? lossRun + 1 : 0;
    if (winRun > wins) wins = winRun;
    if (lossRun > losses) losses = lossRun;
  }
  return { wins, losses };
}

export const MIN_SAMPLE = 30;

/**
 * Runs test, breakevens left out: N = W + L, R runs, P = 2WL,
 * Z = (N(R − 0.5) − P) / √(P(P − N)/(N − 1)). Only when N ≥ 30; null when
 * all outcomes are alike (no variance). |Z| ≥ 1.96: Z < 0 "streaky"
 * (fewer runs than chance), Z > 0 "alternating".
 */
export function runsTest(nets: Float64Array): { zScore: number | null; zLabel: "streaky" | "alternating" | null } {
  let wins = 0;
  let losses = 0;
  let runs = 0;
  let previous = 0;
  for (const net of nets) {
    const outcome = net > 0 ? 1 : net < 0 ? -1 : 0;
    if (outcome === 0) continue;
    if (outcome > 0) wins++;
    else losses++;
    if (outcome !== previous) runs++;
    previous = outcome;
  }
  const n = wins + losses;
  const p = 2 * wins * losses;
  const variance = (p * (p - n)) / (n - 1);
  if (n < MIN_SAMPLE || !(variance > 0)) return { zScore: null, zLabel: null };
  const z = finite((n * (runs - 0.5) - p) / Math.sqrt(variance));
  if (z === null) return { zScore: null, zLabel: null };
  const label = Math.abs(z) >= 1.96 ? (z < 0 ? "streaky" : "alternating") : null;
  return { zScore: z, zLabel: label };
}

/** Van Tharp's SQN = √min(N, 100) × mean(R) / sample sd(R); only when N ≥ 30. */
export function systemQualityNumber(rs: ArrayLike<number>): number | null {
  const n = rs.length;
  if (n < MIN_SAMPLE) return null;
  let total = 0;
  for (let i = 0; i < n; i++) total += rs[i]!;
  const average = total / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (rs[i]! - average) ** 2;
  const sd = Math.sqrt(squares / (n - 1));
  if (sd === 0) return null;
  return finite((Math.sqrt(Math.min(n, 100)) * average) / sd);
}
