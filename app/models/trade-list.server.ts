// The trade list: filtered, sorted, paginated trades of the signed-in user,
// and bulk delete. Everything runs as the user (RLS decides what exists);
// the SQL is built in ./trade-list-queries.ts.
import type { TradeFilterTag, TradeListAccount, TradeTag, TradeListRow } from "./trade-list.types.ts";
import type { DatabaseClaims, RequestDb } from "~/lib/db.server.ts";
import { TRADES_PAGE_SIZE, type TradeFilters } from "~/schemas/trade-filters.ts";
import type { DayRule } from "~/domain/analytics/types.ts";
import { dayRuleOf } from "~/domain/periods/trading-day.ts";
import { realisedR } from "~/domain/trades/r-multiple.ts";
import { metaQuery, pagePlan, pageQuery } from "./trade-list-queries.ts";

type Claims = DatabaseClaims & { sub: string };

export interface TradeListPage {
  trades: TradeListRow[];
  total: number;
  /** The page shown: the requested one, or the last page when the request ran past the end. */
  page: number;
  pageCount: number;
  pageSize: number;
  timeZone: string;
  accounts: TradeListAccount[];
  tags: TradeFilterTag[];
  symbols: string[];
}

interface TradeListDbRow {
  id: string;
  account_id: string;
  symbol: string;
  direction: "buy" | "sell";
  status: "open" | "closed";
  opened_at: Date;
  closed_at: Date | null;
  volume: string;
  entry_price: string;
  exit_price: string | null;
  net_profit: string;
  pips: string | null;
  session_tag: string | null;
  source: "manual" | "file" | "mt5";
  has_journal: boolean;
  tags: TradeTag[];
  initial_stop_loss: string | null;
  initial_risk_amount: string | null;
  gross_profit: string;
}

interface ListMetaRow {
  total: string;
  user_total: string;
  time_zone: string | null;
  accounts: TradeListAccount[];
  tags: TradeFilterTag[];
  symbols: string[];
}

function toListRow(row: TradeListDbRow): TradeListRow {
  return {
    id: row.id,
    accountId: row.account_id,
    symbol: row.symbol,
    direction: row.direction,
    status: row.status,
    openedAt: row.opened_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
    durationMs: row.closed_at ? row.closed_at.getTime() - row.opened_at.getTime() : null,
    volume: row.volume,
    entryPrice: row.entry_price,
    exitPrice: row.exit_price,
    netProfit: row.net_profit,
    pips: row.pips,
    sessionTag: row.session_tag,
    source: row.source,
    hasJournal: row.has_journal,
    tags: row.tags,
    realisedR: realisedR({
      direction: row.direction,
      entryPrice: row.entry_price,
      exitPrice: row.exit_price,
      initialStopLoss: row.initial_stop_loss,
      takeProfit: null,
      netProfit: row.net_profit,
      initialRiskAmount: row.initial_risk_amount,
      grossProfit: row.gross_profit,
      closed: row.status === "closed",
    }).value,
  };
}

/** The user's trading-day rule (docs/metrics.md#trading-day): a date filter's days are trading days. */
export async function readDayRule(db: RequestDb, userId: string): Promise<DayRule> {
  const { rows } = await db.query<{ time_zone: string; start_hour: number; day_zone: string | null }>(
    "select time_zone, trading_day_start_hour as start_hour, trading_day_time_zone as day_zone from public.user_settings where user_id = $1",
    [userId],
  );
  const row = rows[0];
  return dayRuleOf({ timeZone: row?.time_zone, startHour: row?.start_hour, dayZone: row?.day_zone });
}

export async function listTrades(db: RequestDb, claims: Claims, filters: TradeFilters): Promise<TradeListPage> {
  const dayRule = filters.from || filters.to ? await readDayRule(db, claims.sub) : undefined;
  // Counting first tells how selective the filters are (see pagePlan) and which page is the last.
  const meta = metaQuery(claims.sub, filters, dayRule);
  const found = (await db.query<ListMetaRow>(meta.text, meta.values)).rows[0]!;
  const total = Number(found.total);
  const pageCount = Math.max(1, Math.ceil(total / TRADES_PAGE_SIZE));
  const page = Math.min(filters.page, pageCount);
  let rows: TradeListDbRow[] = [];
  if (total > 0) {
    const plan = pagePlan(filters, { total, userTotal: Number(found.user_total), page });
    const query = pageQuery(claims.sub, filters, page, plan, { dayRule });
    rows = (await db.query<TradeListDbRow>(query.text, query.values)).rows;
  }
  return {
    trades: rows.map(toListRow),
    total,
    page,
    pageCount,
    pageSize: TRADES_PAGE_SIZE,
    timeZone: found.time_zone ?? "UTC",
    accounts: found.accounts,
    tags: found.tags,
    symbols: found.symbols,
  };
}

export const MAX_BULK_DELETE = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Deletes the user's trades among `ids`; ids of other users' trades (or made
 * up ones) match nothing under RLS. Journals, legs and tags go with each trade
 * (foreign keys cascade). Returns how many were deleted.
 */
export async function deleteTrades(db: RequestDb, claims: Claims, ids: readonly string[]): Promise<number> {
  const wanted = [...new Set(ids.filter((id) => UUID.test(id)).map((id) => id.toLowerCase()))].slice(0, MAX_BULK_DELETE);
  if (wanted.length === 0) return 0;
  const { rowCount } = await db.query("delete from public.trades where user_id = $1 and id = any($2::uuid[])", [claims.sub, wanted]);
  return rowCount ?? 0;
}

export type { TradeListAccount, TradeTag, TradeListRow };
