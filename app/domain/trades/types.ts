// The normalised shapes every trade source produces: file importers, manual
// entry and the MT5 sync all hand these to the same storage code, so a
// position is one row whichever way it arrives (docs/decisions/006).
//
// Money, prices and volumes are decimal strings ("-22.35", "1.12895"): never
// binary floats. Times are UTC `Date`s plus the broker-server offset that was
// used to convert them, so every stored time can be traced back to what the
// broker printed.
import type { ReportSummary } from "../imports/report-summary.ts";

export type Direction = "buy" | "sell";
export type TradeStatus = "open" | "closed";
export type TradeSource = "manual" | "file" | "mt5";
export type PnlSource = "broker" | "computed" | "user";
export type MarginMode = "hedging" | "netting";
export type CloseReason = "client" | "mobile" | "web" | "expert" | "sl" | "tp" | "so" | "rollover" | "vmargin" | "split" | "other";

/** A decimal number as text, e.g. "-1434.86". Parse with app/domain/decimal.ts. */
export type DecimalString = string;

export interface TradeLegInput {
  /** Broker deal ticket; null for manual legs and files without deals. */
  dealId: string | null;
  orderId: string | null;
  kind: "entry" | "exit";
  direction: Direction;
  executedAt: Date;
  serverUtcOffsetMinutes: number | null;
  volume: DecimalString;
  price: DecimalString;
  profit: DecimalString;
  commission: DecimalString;
  swap: DecimalString;
  fee: DecimalString;
  reason: string | null;
  comment: string | null;
}

export interface TradeInput {
  /** Broker position id (MT5 POSITION_IDENTIFIER, MT4 ticket, `<id>#<n>` after a netting reversal), `manual:<uuid>` or `fp:<sha256>`. */
  positionId: string;
  /** Canonical symbol ("EURUSD") from app/domain/instruments. */
  symbol: string;
  /** The symbol exactly as the broker printed it ("EURUSD.Z"). */
  brokerSymbol: string | null;
  direction: Direction;
  status: TradeStatus;
  openedAt: Date;
  closedAt: Date | null;
  openServerUtcOffsetMinutes: number | null;
  closeServerUtcOffsetMinutes: number | null;
  /** Lots entered in total (scale-ins included). */
  volume: DecimalString;
  /** Lots closed so far. */
  closedVolume: DecimalString;
  entryPrice: DecimalString;
  exitPrice: DecimalString | null;
  initialStopLoss: DecimalString | null;
  stopLoss: DecimalString | null;
  takeProfit: DecimalString | null;
  /** Account-currency money. */
  grossProfit: DecimalString;
  commission: DecimalString;
  swap: DecimalString;
  fee: DecimalString;
  pnlSource: PnlSource;
  profitCurrency: string | null;
  conversionRate: DecimalString | null;
  pips: DecimalString | null;
  initialRiskAmount: DecimalString | null;
  closeReason: CloseReason | null;
  magic: string | null;
  comment: string | null;
  /** The broker's own fields for this position (for traceability). */
  raw: Record<string, unknown> | null;
  legs: TradeLegInput[];
}

export type CashMovementKind =
  "deposit" | "withdrawal" | "credit" | "bonus" | "commission" | "charge" | "correction" | "interest" | "dividend" | "tax" | "financing" | "other";

export interface CashMovementInput {
  dealId: string | null;
  kind: CashMovementKind;
  amount: DecimalString;
  occurredAt: Date;
  serverUtcOffsetMinutes: number | null;
  comment: string | null;
}

/**
 * One executed deal as MT5 reports it (report Deals section or the API's
 * history_deals_get), already converted to UTC. Pairing turns these into
 * TradeInput + CashMovementInput (app/domain/trades/pair-deals.ts).
 */
export interface DealInput {
  ticket: string;
  orderId: string | null;
  /** Epoch milliseconds in UTC; ties keep input order. */
  executedAt: Date;
  serverUtcOffsetMinutes: number | null;
  /** DEAL_TYPE name: buy, sell, balance, credit, charge, correction, bonus, commission, … */
  type: string;
  /** DEAL_ENTRY: in, out, inout, out_by; null for cash deals. */
  entry: "in" | "out" | "inout" | "out_by" | null;
  positionId: string | null;
  brokerSymbol: string | null;
  volume: DecimalString;
  price: DecimalString;
  commission: DecimalString;
  fee: DecimalString;
  swap: DecimalString;
  profit: DecimalString;
  /** DEAL_REASON name when known: client, mobile, web, expert, sl, tp, so, rollover, vmargin, split. */
  reason: string | null;
  comment: string | null;
  magic: string | null;
}

export type ImportFormat = "mt5-html" | "mt5-xlsx" | "mt4-html" | "mt5-positions-csv" | "ctrader-csv" | "generic-csv" | "json";

/** A source row that could not become a trade, with a reason a person can act on. */
export interface RejectedRow {
  /** 1-based row number as the user sees it in the file (section-relative rows say so in `section`). */
  row: number;
  section?: string;
  reason: string;
  values: Record<string, string>;
}

/** What the file header says about the account, when it says anything. */
export interface ReportAccountInfo {
  login: string | null;
  name: string | null;
  currency: string | null;
  server: string | null;
  company: string | null;
  marginMode: MarginMode | null;
  leverage: number | null;
}

export interface ParsedImport {
  format: ImportFormat;
  /** Terminal UI language of the headers, when detected ("en", "de", …). */
  language: string | null;
  account: ReportAccountInfo | null;
  trades: TradeInput[];
  cash: CashMovementInput[];
  rejected: RejectedRow[];
  /** Non-fatal notes for the preview ("12 deals were clipped by the report period"). */
  warnings: string[];
  /** Rows read from the file (for "first rows" previews and counts). */
  sourceRowCount: number;
  /** Reports only: the balance and net profit the file prints (imports/report-summary.ts). */
  summary?: ReportSummary | null;
}
