// What the pages show of a trade's MAE/MFE (app/domain/excursions): shared by
// the loaders and the components, so it holds no server code.

/** A trade's measurement as its page shows it; money in the account currency. */
export type TradeExcursionView =
  | { state: "pending" }
  | { state: "unknown_symbol" | "no_bars" }
  | {
      state: "measured";
      timeframe: "M1" | "M5";
      maePrice: string;
      mfePrice: string;
      maePips: string | null;
      mfePips: string | null;
      maeMoney: string | null;
      mfeMoney: string | null;
      maeR: string | null;
      mfeR: string | null;
      efficiency: string | null;
      maeAt: string | null;
      mfeAt: string | null;
    };

/** How far the backfill has got over the user's closed trades. */
export interface ExcursionProgress {
  closedTrades: number;
  /** Trades with a row: measured, or marked as impossible to measure. */
  processed: number;
  measured: number;
}

/** Averages over a breakdown row's measured trades; R and efficiency leave out trades without them. */
export interface ExcursionAverages {
  measured: number;
  maeR: number | null;
  mfeR: number | null;
  efficiency: number | null;
}

/** Breakdown dimension → row key (as the analytics breakdown rows key them) → averages. */
export type ExcursionBreakdowns = Record<string, Record<string, ExcursionAverages>>;
