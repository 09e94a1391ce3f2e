// Account money per 1.0 of price for a whole position, from the instrument
// alone: what prices an excursion when the trade's own P&L cannot (a trade
// closed exactly at its entry has no gross profit ÷ move to read). The same
// rules as pnl.ts, and only where the trade itself implies the rate (profit
// currency = account currency, or the account currency is the pair's base);
// otherwise null, and the money columns stay empty.
import { dec, toDecimalString } from "~/domain/decimal.ts";
import type { InstrumentSpec } from "~/domain/instruments/types.ts";
import { impliedConversionRate } from "~/domain/trades/pnl.ts";

export function valuePerPriceUnit(spec: InstrumentSpec | null, accountCurrency: string, volume: string, price: string): string | null {
  if (!spec || !(Number(volume) > 0)) return null;
  if (spec.calculationMode === "futures") {
    if (!spec.tickValue || !(Number(spec.tickSize) > 0)) return null;
    return toDecimalString(dec(spec.tickValue).div(spec.tickSize).times(volume));
  }
  const rate = impliedConversionRate(spec, accountCurrency, price);
  return rate ? toDecimalString(dec(spec.contractSize).times(volume).times(rate.rate)) : null;
}
