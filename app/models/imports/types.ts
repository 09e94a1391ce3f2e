// Shapes the import pages render (plain data, safe to send to the browser).
import type { ImportFormat, RejectedRow } from "~/domain/trades/types.ts";
import type { MappingRequest } from "~/domain/imports/parse-import.ts";

export interface ImportAccountOption {
  id: string;
  name: string;
  currency: string;
  mt5Login: string | null;
  /** The broker server clock the account's files are read in ("NY+7" or an IANA zone). */
  serverTimeZone: string;
}

export interface PreviewTrade {
  positionId: string;
  symbol: string;
  direction: "buy" | "sell";
  status: "open" | "closed";
  openedAt: string;
  closedAt: string | null;
  volume: string;
  entryPrice: string;
  exitPrice: string | null;
  netProfit: string;
}

export type ImportPreview =
  | {
      kind: "ready";
      format: ImportFormat;
      language: string | null;
      headerAccount: { login: string | null; name: string | null; currency: string | null; server: string | null; company: string | null } | null;
      firstTrades: PreviewTrade[];
      tradeCount: number;
      openCount: number;
      cashCount: number;
      /** Of cashCount, the broker's financing rows (a holding cost, not money moved). */
      financingCount: number;
      rejected: RejectedRow[];
      rejectedCount: number;
      warnings: string[];
      alreadyImported: number;
      /** Free plan: trades still allowed this month (null = unlimited). */
      monthlyAllowanceLeft: number | null;
    }
  | { kind: "needs-mapping"; mapping: MappingRequest; message: string }
  | { kind: "error"; code: string; message: string };

export interface ImportProgress {
  phase: "staged" | "parsing" | "storing" | "done" | "failed";
  done: number;
  total: number;
  error: string | null;
  batchId: string | null;
}

export interface ImportBatchSummary {
  id: string;
  createdAt: string;
  fileName: string | null;
  format: ImportFormat;
  accountId: string;
  accountName: string;
  status: "running" | "completed" | "failed" | "undone";
  imported: number;
  duplicates: number;
  updated: number;
  rejected: number;
  cashImported: number;
  undoneAt: string | null;
}
