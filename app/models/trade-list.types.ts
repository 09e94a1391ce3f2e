// The shapes app/models/trade-list.server.ts returns, in a module of types only, so
// components can use them without importing server code.

export interface TradeListAccount {
  id: string;
  name: string;
  currency: string;
}

export interface TradeTag {
  id: string;
  name: string;
  color: string;
}

/** A tag in the filters bar, with its group (setup, mistake, emotion, general). */
export interface TradeFilterTag extends TradeTag {
  category: "setup" | "mistake" | "emotion" | "general";
}

export interface TradeListRow {
  id: string;
  accountId: string;
  symbol: string;
  direction: "buy" | "sell";
  status: "open" | "closed";
  openedAt: string;
  closedAt: string | null;
  durationMs: number | null;
  volume: string;
  entryPrice: string;
  exitPrice: string | null;
  netProfit: string;
  pips: string | null;
  sessionTag: string | null;
  source: "manual" | "file" | "mt5";
  hasJournal: boolean;
  tags: TradeTag[];
  /** Realised R as the trade page computes it (2 places); null while open or without a stop at entry. */
  realisedR: string | null;
}
