// The CSV export of the trade list: every trade matching the list's filters
// (all pages, in the list's order), streamed from the database as the user.
// Cells a spreadsheet would run as formulas are neutralised
// (app/domain/trades/csv-export.ts).
import type pg from "pg";
import { tradeCsvHeader, tradeCsvRow, type TradeCsvRecord } from "~/domain/trades/csv-export.ts";
import { withRlsTransaction, type DatabaseClaims } from "~/lib/db.server.ts";
import type { TradeFilters } from "~/schemas/trade-filters.ts";
import { exportQuery } from "./trade-list-queries.ts";

type Claims = DatabaseClaims & { sub: string };

interface ExportDbRow {
  id: string;
  account_name: string;
  account_currency: string;
  position_id: string;
  symbol: string;
  broker_symbol: string | null;
  direction: string;
  status: string;
  opened_at: Date;
  closed_at: Date | null;
  volume: string;
  closed_volume: string;
  entry_price: string;
  exit_price: string | null;
  initial_stop_loss: string | null;
  stop_loss: string | null;
  take_profit: string | null;
  gross_profit: string;
  commission: string;
  swap: string;
  fee: string;
  net_profit: string;
  pnl_source: string;
  profit_currency: string | null;
  conversion_rate: string | null;
  pips: string | null;
  session_tag: string | null;
  close_reason: string | null;
  source: string;
  tags: string[];
  has_journal: boolean;
  comment: string | null;
}

function toCsvRecord(row: ExportDbRow): TradeCsvRecord {
  return {
    id: row.id,
    accountName: row.account_name,
    accountCurrency: row.account_currency,
    positionId: row.position_id,
    symbol: row.symbol,
    brokerSymbol: row.broker_symbol,
    direction: row.direction,
    status: row.status,
    openedAt: row.opened_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
    volume: row.volume,
    closedVolume: row.closed_volume,
    entryPrice: row.entry_price,
    exitPrice: row.exit_price,
    initialStopLoss: row.initial_stop_loss,
    stopLoss: row.stop_loss,
    takeProfit: row.take_profit,
    grossProfit: row.gross_profit,
    commission: row.commission,
    swap: row.swap,
    fee: row.fee,
    netProfit: row.net_profit,
    pnlSource: row.pnl_source,
    profitCurrency: row.profit_currency,
    conversionRate: row.conversion_rate,
    pips: row.pips,
    sessionTag: row.session_tag,
    closeReason: row.close_reason,
    source: row.source,
    tags: row.tags,
    hasJournal: row.has_journal,
    comment: row.comment,
  };
}

const EXPORT_BATCH = 2000;

/**
 * The CSV of every trade matching `filters` (all pages, in the list's order),
 * streamed: rows are read through a cursor 2,000 at a time inside one RLS
 * transaction, and the next batch is read only when the reader wants more.
 * Starts with a UTF-8 BOM so spreadsheet apps read the text as UTF-8.
 */
export function exportTradesCsv(pool: pg.Pool, claims: Claims, filters: TradeFilters): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let wantMore: (() => void) | null = null;
  let cancelled = false;
  const demand = () => new Promise<void>((resolve) => (wantMore = resolve));

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(`\uFEFF${tradeCsvHeader()}`));
        withRlsTransaction(pool, claims, async (db) => {
          const query = exportQuery(claims.sub, filters);
          await db.query(`declare trade_export no scroll cursor for ${query.text}`, query.values);
          for (;;) {
            if (cancelled) return;
            const { rows } = await db.query<ExportDbRow>(`fetch ${EXPORT_BATCH} from trade_export`);
            if (rows.length > 0) controller.enqueue(encoder.encode(rows.map((row) => tradeCsvRow(toCsvRecord(row))).join("")));
            if (rows.length < EXPORT_BATCH) return;
            if ((controller.desiredSize ?? 1) <= 0) await demand();
          }
        }).then(
          () => {
            if (!cancelled) controller.close();
          },
          (error: unknown) => {
            if (!cancelled) controller.error(error);
          },
        );
      },
      pull() {
        const resume = wantMore;
        wantMore = null;
        resume?.();
      },
      cancel() {
        cancelled = true;
        const resume = wantMore;
        wantMore = null;
        resume?.();
      },
    },
    // Roughly three batches buffered before the reader must catch up.
    { highWaterMark: 3 },
  );
}
