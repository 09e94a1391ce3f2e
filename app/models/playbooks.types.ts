// The shapes app/models/playbooks.server.ts returns, for components (ADR 013).
import type { CurrencyFigures } from "~/domain/playbooks/figures.ts";

export interface PlaybookRule {
  id: string;
  text: string;
  position: number;
}

export interface PlaybookSummary {
  id: string;
  name: string;
  description: string | null;
  ruleCount: number;
  /** Linked trades, open ones included. */
  linkedTrades: number;
  /** Closed trades' figures, per currency. */
  figures: CurrencyFigures[];
}

export interface PlaybookTradeRow {
  id: string;
  symbol: string;
  direction: "buy" | "sell";
  status: "open" | "closed";
  openedAt: string;
  closedAt: string | null;
  netProfit: string;
  currency: string;
  /** The playbook's rules ticked for this trade. */
  checked: number;
  followedEveryRule: boolean;
}

export interface PlaybookDetail {
  id: string;
  name: string;
  description: string | null;
  rules: PlaybookRule[];
  figures: CurrencyFigures[];
  trades: PlaybookTradeRow[];
  /** All linked trades; `trades` holds at most the newest TRADE_ROWS_MAX. */
  linkedTrades: number;
  timeZone: string;
}

/** What the trade page's playbook panel shows and edits. */
export interface TradePlaybookPanelData {
  tradeId: string;
  playbooks: { id: string; name: string; rules: { id: string; text: string }[] }[];
  linkedPlaybookId: string | null;
  checkedRuleIds: string[];
}
