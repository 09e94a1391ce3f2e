// Expectancy 95 % interval (docs/metrics.md#expectancy-interval): percentile
// bootstrap of the mean net, 10,000 resamples, fixed seed, so the same data
// always gives the same interval.
//
// Cost: 10,000 resamples × n draws. Up to EXACT_BOOTSTRAP_MAX_TRADES trades
// the resamples are drawn (mulberry32 written out in the loop over a
// Float64Array, the two percentiles selected rather than sorted: 5e6 draws
// at the limit, timed by bench/analytics-domain.ts). Above it the draws would
// dominate everything else (1e9 at 100,000 trades), so the percentiles are
// taken from the bootstrap distribution itself: the mean of n draws from the
// trades has exactly mean x̄, variance m2/n and skewness g1/√n (m2, g1 the
// trades' population variance and skewness), and its 2.5 % / 97.5 %
// quantiles follow from the Cornish–Fisher expansion. Above 500 trades the
// neglected O(1/n) terms (kurtosis, skewness²) stay below 0.02 bootstrap
// standard deviations even for P&L with skewness 3 and excess kurtosis 10,
// under the Monte-Carlo noise of 10,000 resamples itself (≈ 0.03 at the
// 2.5 % tail): both methods give the same interval to display precision
// (views.test.ts compares them at the limit).
import { Z_95 } from "./statistics.ts";

export const BOOTSTRAP_RESAMPLES = 10_000;
export const BOOTSTRAP_SEED = 20_261_206;
export const EXACT_BOOTSTRAP_MAX_TRADES = 500;

/** mulberry32: a fast 32-bit PRNG, uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The k-th smallest of values[from, to) into place (Hoare's selection; reorders that part). */
function select(values: Float64Array, k: number, from: number, to: number): number {
  let low = from;
  let high = to - 1;
  while (low < high) {
    const pivot = values[(low + high) >>> 1]!;
    let i = low;
    let j = high;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i++] = values[j]!;
        values[j--] = swap;
      }
    }
    if (k <= j) high = j;
    else if (k >= i) low = i;
    else break;
  }
  return values[k]!;
}

/**
 * Linear interpolation between order statistics (Hyndman–Fan type 7): the
 * two it needs selected, not the whole array sorted (the same values).
 */
function quantile(values: Float64Array, p: number): number {
  const position = p * (values.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, values.length - 1);
  const lower = select(values, below, 0, values.length);
  // Everything after `below` is now ≥ it: the next order statistic is their least.
  let upper = lower;
  if (above > below) {
    upper = Infinity;
    for (let i = above; i < values.length; i++) if (values[i]! < upper) upper = values[i]!;
  }
  return lower + (upper - lower) * (position - below);
}

function resampledInterval(values: Float64Array): { low: number; high: number } {
  const n = values.length;
  const means = new Float64Array(BOOTSTRAP_RESAMPLES);
  // mulberry32(BOOTSTRAP_SEED), its steps written out: the same draws, the state in a local rather than
  // a closure's slot and no call per draw (5e6 draws at 500 trades).
  let state = BOOTSTRAP_SEED >>> 0;
  for (let b = 0; b < BOOTSTRAP_RESAMPLES; b++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      total += values[((((t ^ (t >>> 14)) >>> 0) / 4_294_967_296) * n) | 0]!;
    }
    means[b] = total / n;
  }
  return { low: quantile(means, 0.025), high: quantile(means, 0.975) };
}

function cornishFisherInterval(values: Float64Array): { low: number; high: number } {
  const n = values.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += values[i]!;
  const average = total / n;
  let m2 = 0;
  let m3 = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - average;
    m2 += d * d;
    m3 += d * d * d;
  }
  m2 /= n;
  m3 /= n;
  if (m2 === 0) return { low: average, high: average };
  const sd = Math.sqrt(m2 / n);
  const skew = m3 / Math.pow(m2, 1.5) / Math.sqrt(n);
  const at = (z: number) => average + sd * (z + ((z * z - 1) * skew) / 6);
  return { low: at(-Z_95), high: at(Z_95) };
}

/** 95 % interval of the mean of `values`; null for an empty sample. */
export function bootstrapMeanInterval(values: Float64Array): { low: number; high: number } | null {
  if (values.length === 0) return null;
  return values.length <= EXACT_BOOTSTRAP_MAX_TRADES ? resampledInterval(values) : cornishFisherInterval(values);
}
