// Trades as columns (TradeColumns): the one form every figure is computed
// from. Trade objects are turned into columns here; the analytics store
// keeps the same columns packed per account and month (chunk.ts), so a page
// reads a few dozen rows instead of one per trade.
import { readDecimal, rescaleUnits } from "./money.ts";
import type { AnalyticsTrade, TradeColumns } from "./types.ts";

/** Codes for distinct values, in order of first appearance. */
export class Dictionary<T> {
  readonly values: T[] = [];
  private readonly codes = new Map<T, number>();

  code(value: T): number {
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(value);
      this.codes.set(value, code);
    }
    return code;
  }
}

export const byIdText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Trade objects (tags by name) as columns; amounts read exactly, or refused as money.ts does. */
export function columnsOf(trades: readonly AnalyticsTrade[]): TradeColumns {
  const n = trades.length;
  const raw = new Float64Array(n * 4);
  const rawDecimals = new Uint8Array(n * 4);
  const decimals = new Uint8Array(n);
  const openMs = new Float64Array(n);
  const closeMs = new Float64Array(n);
  const risk = new Float64Array(n);
  const symbol = new Uint32Array(n);
  const session = new Uint32Array(n);
  const buy = new Uint8Array(n);
  const tagStart = new Uint32Array(n + 1);
  const tagCodes: number[] = [];
  const symbols = new Dictionary<string>();
  const sessions = new Dictionary<string | null>();
  const tagNames = new Dictionary<string>();
  let boundDecimals = 0;
  for (let i = 0; i < n; i++) {
    const t = trades[i]!;
    const at = i * 4;
    decimals[i] = Math.max(
      (rawDecimals[at] = readDecimal(t.profit, raw, at)),
      (rawDecimals[at + 1] = readDecimal(t.commission, raw, at + 1)),
      (rawDecimals[at + 2] = readDecimal(t.swap, raw, at + 2)),
      (rawDecimals[at + 3] = readDecimal(t.fee, raw, at + 3)),
    );
    if (decimals[i]! > boundDecimals) boundDecimals = decimals[i]!;
    openMs[i] = t.openedAt.getTime();
    closeMs[i] = t.closedAt.getTime();
    risk[i] = t.initialRisk === null ? NaN : Number(t.initialRisk);
    symbol[i] = symbols.code(t.symbol);
    session[i] = sessions.code(t.session);
    buy[i] = t.direction === "buy" ? 1 : 0;
    const first = tagCodes.length;
    for (const name of t.tags) {
      const code = tagNames.code(name);
      if (tagCodes.indexOf(code, first) < 0) tagCodes.push(code); // a trade counts once per distinct tag
    }
    tagStart[i + 1] = tagCodes.length;
  }
  const net = new Float64Array(n);
  const commission = new Float64Array(n);
  const swap = new Float64Array(n);
  const fee = new Float64Array(n);
  let amountBound = 0;
  for (let i = 0; i < n; i++) {
    const at = i * 4;
    const d = decimals[i]!;
    const profit = rescaleUnits(raw[at]!, rawDecimals[at]!, d);
    commission[i] = rescaleUnits(raw[at + 1]!, rawDecimals[at + 1]!, d);
    swap[i] = rescaleUnits(raw[at + 2]!, rawDecimals[at + 2]!, d);
    fee[i] = rescaleUnits(raw[at + 3]!, rawDecimals[at + 3]!, d);
    net[i] = profit + commission[i]! + swap[i]! + fee[i]!;
    const absolute = Math.abs(profit) + Math.abs(commission[i]!) + Math.abs(swap[i]!) + Math.abs(fee[i]!);
    amountBound += absolute * 10 ** (boundDecimals - d);
  }
  const ids = trades.map((t) => t.id);
  return {
    count: n,
    id: (i) => ids[i]!,
    compareIds: (a, b) => byIdText(ids[a]!, ids[b]!),
    openMs,
    closeMs,
    net,
    commission,
    swap,
    fee,
    decimals,
    amountBound,
    boundDecimals,
    risk,
    symbol,
    symbols: symbols.values,
    session,
    sessions: sessions.values,
    buy,
    tagStart,
    tagCode: Uint32Array.from(tagCodes),
    tagNames: tagNames.values,
  };
}
