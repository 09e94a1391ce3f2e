// Ratios of exact money sums, shared by the summary and the breakdown rows.

/**
 * Profit factor = gross profit / |gross loss|: "infinite" (∞) with profit
 * and no loss; null (—) without trades or with neither profit nor loss.
 */
export function profitFactor(grossProfit: number, grossLoss: number): number | "infinite" | null {
  if (grossLoss === 0) return grossProfit > 0 ? "infinite" : null;
  return ratioOf(grossProfit, -grossLoss);
}

/** a / b of two amounts at the same scale (exact operands, one rounding); null when b is 0. */
export function ratioOf(a: number, b: number): number | null {
  if (b === 0) return null;
  const value = a / b;
  return Number.isFinite(value) ? value : null;
}
