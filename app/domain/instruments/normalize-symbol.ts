// Broker symbols carry suffixes and prefixes ("EURUSD.Z", "eurusd.p",
// "m.EURUSD", "XAUUSDm", "US30.cash"); trades are stored under the canonical
// name so statistics per symbol do not split by broker naming.
// FIRST VERSION (stub): app/domain/instruments owns the full rules.

const SIX_LETTER_PAIR = /^[A-Z]{6}$/;

export function normalizeSymbol(brokerSymbol: string): string {
  const upper = brokerSymbol.trim().toUpperCase();
  const withoutPrefix = upper.replace(/^[A-Z]{1,2}[._]/, "");
  const base = withoutPrefix.split(/[._#!+\-]/)[0] ?? withoutPrefix;
  if (SIX_LETTER_PAIR.test(base)) return base;
  const pair = /^([A-Z]{6})[A-Z]{1,3}$/.exec(base);
  if (pair && /^(?:[A-Z]{3})(?:USD|EUR|JPY|GBP|CHF|CAD|AUD|NZD)$/.test(pair[1]!)) return pair[1]!;
  return base || upper;
}
