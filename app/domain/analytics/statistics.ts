// Plain-number statistics. Every function returns null rather than NaN or
// Infinity when the figure is undefined for the sample.

/** A finite number or null. */
export function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

export function mean(values: ArrayLike<number>): number | null {
  if (values.length === 0) return null;
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return total / values.length;
}

/** Sample standard deviation (divides by n − 1); null below two values. */
export function sampleStandardDeviation(values: ArrayLike<number>): number | null {
  const n = values.length;
  if (n < 2) return null;
  const average = mean(values)!;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - average;
    squares += d * d;
  }
  return Math.sqrt(squares / (n - 1));
}

/** Two-sided 95 % normal quantile. */
export const Z_95 = 1.959963984540054;

/** Wilson score interval for successes / trials at 95 %; null without trials. */
export function wilsonInterval(successes: number, trials: number): { low: number; high: number } | null {
  if (trials === 0) return null;
  const p = successes / trials;
  const z2 = Z_95 * Z_95;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (Z_95 * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
