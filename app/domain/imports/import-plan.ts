// A parsed import whose trades are built on demand: everything the preview
// and the batch need up front (counts, position ids, cash, rejected rows,
// warnings), and the trades themselves a chunk at a time, so a 100 000-trade
// file never holds 100 000 TradeInputs (and their legs) at once — the store
// writes one chunk while the next is built.
//
// Parsers that naturally produce every trade at once (CSV, JSON, MT4) are
// wrapped by planOf(); the MT5 report builds its trades lazily.
import type { CashMovementInput, ImportFormat, ParsedImport, RejectedRow, ReportAccountInfo, TradeInput } from "../trades/types.ts";
import type { ReportSummary } from "./report-summary.ts";

/** A trade the consumer said it does not need built (its position is stored already): just its id. */
export interface SkippedTrade {
  skipped: true;
  positionId: string;
}

export interface ImportPlan {
  format: ImportFormat;
  language: string | null;
  account: ReportAccountInfo | null;
  cash: CashMovementInput[];
  rejected: RejectedRow[];
  warnings: string[];
  sourceRowCount: number;
  /** The figures the report prints about itself, for the reconciliation after storing (reports only). */
  summary?: ReportSummary | null;
  tradeCount: number;
  openCount: number;
  /** Every trade's position id, in file order. */
  positionIds: string[];
  /** The first `count` trades, in file order. */
  firstTrades(count: number): TradeInput[];
  /**
   * All trades in file order, `size` at a time; each chunk is built when it
   * is asked for. Positions `skip` accepts may come back as SkippedTrade,
   * unbuilt (a re-import's duplicates).
   */
  tradeChunks(size: number, skip?: (positionId: string) => boolean): Iterable<(TradeInput | SkippedTrade)[]>;
}

export function planOf(parsed: ParsedImport): ImportPlan {
  const { trades } = parsed;
  return {
    format: parsed.format,
    language: parsed.language,
    account: parsed.account,
    cash: parsed.cash,
    rejected: parsed.rejected,
    warnings: parsed.warnings,
    sourceRowCount: parsed.sourceRowCount,
    summary: parsed.summary ?? null,
    tradeCount: trades.length,
    openCount: trades.filter((trade) => trade.status === "open").length,
    positionIds: trades.map((trade) => trade.positionId),
    firstTrades: (count) => trades.slice(0, count),
    *tradeChunks(size) {
      for (let start = 0; start < trades.length; start += size) yield trades.slice(start, start + size);
    },
  };
}

/** Every trade at once (the synchronous parsers' ParsedImport). */
export function materialise(plan: ImportPlan): ParsedImport {
  const trades: TradeInput[] = [];
  for (const chunk of plan.tradeChunks(10_000)) for (const trade of chunk) if (!("skipped" in trade)) trades.push(trade);
  return {
    format: plan.format,
    language: plan.language,
    account: plan.account,
    trades,
    cash: plan.cash,
    rejected: plan.rejected,
    warnings: plan.warnings,
    sourceRowCount: plan.sourceRowCount,
    summary: plan.summary ?? null,
  };
}
