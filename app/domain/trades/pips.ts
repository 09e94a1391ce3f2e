// Pips a trade moved, from its volume-weighted entry and exit, for trades the
// broker reports without them (sync and file imports). Manual entry computes
// the same figure in manual-trade.ts.
import { toDecimalString } from "../decimal.ts";
import { resolveInstrument, type InstrumentOverrides } from "../instruments/catalogue.ts";
import { pipsGained } from "./pnl.ts";
import type { TradeInput } from "./types.ts";

/** One decimal more than a tenth of a pip is noise from VWAP division. */
const PIP_DECIMALS = 1;

export function tradePips(
  trade: Pick<TradeInput, "symbol" | "direction" | "entryPrice" | "exitPrice">,
  overrides?: InstrumentOverrides,
): string | null {
  if (!trade.exitPrice) return null;
  const spec = resolveInstrument(trade.symbol, overrides);
  if (!spec) return null;
  return toDecimalString(pipsGained(spec, trade.direction, trade.entryPrice, trade.exitPrice).round(PIP_DECIMALS));
}
