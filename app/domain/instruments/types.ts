// Symbol metadata the P&L, pip and R calculations need, as MT5's symbol_info
// reports it (docs: ../shared/reference/mt5.md §1, §5).

/** MT5 SYMBOL_TRADE_CALC_MODE names used here. */
export type CalculationMode = "forex" | "forex-no-leverage" | "cfd" | "cfd-index" | "cfd-leverage" | "futures";

export type InstrumentClass = "forex-major" | "forex-minor" | "forex-cross" | "metal" | "index" | "crypto" | "energy" | "other";

export interface InstrumentSpec {
  /** Canonical name ("EURUSD", "XAUUSD", "US30"). */
  symbol: string;
  description: string;
  class: InstrumentClass;
  calculationMode: CalculationMode;
  /** Units per 1.00 lot (100 000 for FX, 100 for gold, 1 for most index CFDs). */
  contractSize: string;
  /** Smallest price step the quote shows (0.00001 on 5-digit FX). */
  point: string;
  /** What traders call a pip (0.0001, 0.01 for JPY quotes). */
  pipSize: string;
  tickSize: string;
  /** Futures only: account-currency value of one tick per lot, when fixed. */
  tickValue: string | null;
  digits: number;
  baseCurrency: string | null;
  profitCurrency: string;
}
