// The CSV export of the trade list: every trade matching the list's filters
// (all pages, in the list's order), streamed from the database as the user.
// Cells a spreadsheet would run as formulas are neutralised
// (app/domain/trades/csv-export.ts).
import type pg from "pg";
import { tradeCsvHeader, tradeCsvRow, type TradeCsvRecord } from "~/domain/trades/csv-export.ts";
import { withRlsTransaction, type DatabaseClaims } from "~/lib/db.server.ts";
import type { TradeFilters } from "~/schemas/trade-filters.ts";
import { exportQuery } from "./trade-list-queries.ts";
import { readDayRule } from "./trade-list.server.ts";
import { toTradeRow, type TradeDbRow } from "./trade-row.ts";

type Claims = DatabaseClaims & { sub: string };

interface ExportDbRow extends TradeDbRow {
  account_name: string;
  account_currency: string;
  tags: string[];
  has_journal: boolean;
}

function toCsvRecord(row: ExportDbRow): TradeCsvRecord {
  return { ...toTradeRow(row), accountName: row.account_name, accountCurrency: row.account_currency, tags: row.tags, hasJournal: row.has_journal };
}

const EXPORT_BATCH = 2000;

/**
 * The CSV of every trade matching `filters` (all pages, in the list's order),
 * streamed: rows are read through a cursor 2,000 at a time inside one RLS
 * transaction, and the next batch is read only when the reader wants more.
 * That transaction is the export's own, not the request's (requireUserDb): the
 * body streams after the loader has answered and its transaction has ended.
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
          const dayRule = filters.from || filters.to ? await readDayRule(db, claims.sub) : undefined;
          const query = exportQuery(claims.sub, filters, { dayRule });
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
