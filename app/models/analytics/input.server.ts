// The trades, cash movements and starting balance of one analytics view, as
// the pure figures (app/domain/analytics) take them. Money stays decimal text
// exactly as stored; a closed trade counts in the period its close time falls
// in (metrics.md).
import type { AnalyticsInput, AnalyticsTrade, CashMovement } from "~/domain/analytics/index.ts";
import { impliedRiskAmount } from "~/domain/trades/r-multiple.ts";
import type { RequestDb } from "~/lib/db.server.ts";
import type { AnalyticsFilters } from "~/schemas/analytics-filters.ts";
import type { AnalyticsScope } from "./scope.server.ts";

export interface InputRange {
  from: Date | null;
  to: Date | null;
}

/** The narrowing filters as SQL conditions on `t`, parameters from $first on (also the psychology signals' view). */
export function narrowing(filters: AnalyticsFilters, first: number): { sql: string; values: unknown[] } {
  const conditions: string[] = [];
  const values: unknown[] = [];
  const add = (condition: (n: number) => string, value: unknown) => {
    values.push(value);
    conditions.push(condition(first + values.length - 1));
  };
  if (filters.symbol) add((n) => `t.symbol = $${n}`, filters.symbol);
  if (filters.session) add((n) => `t.session_tag = $${n}`, filters.session);
  if (filters.direction) add((n) => `t.direction = $${n}`, filters.direction);
  if (filters.tag) add((n) => `exists (select 1 from public.trade_tags tt where tt.trade_id = t.id and tt.tag_id = $${n})`, filters.tag);
  return { sql: conditions.map((c) => ` and ${c}`).join(""), values };
}

/** A closed trade row as the analytics read it (times as epoch milliseconds, money as text). */
export interface TradeRow {
  id: string;
  opened_ms: number;
  closed_ms: number;
  gross_profit: string;
  commission: string;
  swap: string;
  fee: string;
  initial_risk_amount: string | null;
  entry_price: string;
  exit_price: string | null;
  initial_stop_loss: string | null;
  symbol: string;
  direction: "buy" | "sell";
  session_tag: string | null;
  tags?: string[];
}

// Times as epoch milliseconds: node-postgres parses a timestamptz text far more slowly (about half the
// read time of 100,000 rows went there).
export const TRADE_ROW_COLUMNS = `t.id, (extract(epoch from t.opened_at) * 1000)::float8 as opened_ms, (extract(epoch from t.closed_at) * 1000)::float8 as closed_ms,
              t.gross_profit::text, t.commission::text, t.swap::text, t.fee::text,
              t.initial_risk_amount::text, t.entry_price::text, t.exit_price::text, t.initial_stop_loss::text, t.symbol, t.direction, t.session_tag`;

export function analyticsTradeOf(t: TradeRow): AnalyticsTrade {
  return {
    id: t.id,
    openedAt: new Date(t.opened_ms),
    closedAt: new Date(t.closed_ms),
    profit: t.gross_profit,
    commission: t.commission,
    swap: t.swap,
    fee: t.fee,
    // Recorded for manual trades; for synced and imported ones read from the trade's own P&L.
    initialRisk:
      t.initial_risk_amount ??
      impliedRiskAmount({
        direction: t.direction,
        entryPrice: t.entry_price,
        exitPrice: t.exit_price,
        initialStopLoss: t.initial_stop_loss,
        grossProfit: t.gross_profit,
      }),
    symbol: t.symbol,
    direction: t.direction,
    session: t.session_tag,
    tags: t.tags ?? [],
  };
}

/** Σ net of the closed trades before $2, row by row. */
const EARLIER_TRADES = `(select coalesce(sum(t.net_profit), 0) from public.trades t
                 where t.account_id = any($1::uuid[]) and t.status = 'closed' and t.closed_at < $2)`;

/**
 * The same sum from the analytics store's month totals (store.server.ts):
 * each earlier month whose stored total is current, plus, row by row, the
 * trades of the other earlier months and of the period's first month before
 * $2. Exact (numeric sums) and of the same scale as EARLIER_TRADES (a
 * month's total has its trades' largest scale).
 */
const EARLIER_TRADES_BY_MONTH = `(with months as (
                   select m.account_id, m.month, m.built_version = m.version and m.net_total is not null as current, m.net_total
                     from public.analytics_trade_months m
                    where m.account_id = any($1::uuid[]) and m.month < date_trunc('month', $2::timestamptz at time zone 'UTC')::date),
                 by_rows as (
                   select m.account_id, m.month from months m where not m.current
                   union all
                   select a.id, date_trunc('month', $2::timestamptz at time zone 'UTC')::date from unnest($1::uuid[]) a(id))
               select (select coalesce(sum(m.net_total), 0) from months m where m.current)
                    -- One index range scan per month read by rows (a plain join scanned every trade).
                    + (select coalesce(sum(s.total), 0) from by_rows r
                         cross join lateral (
                           select sum(t.net_profit) as total from public.trades t
                            where t.account_id = r.account_id and t.status = 'closed'
                              and t.closed_at >= r.month::timestamp at time zone 'UTC'
                              and t.closed_at < least($2::timestamptz, (r.month + interval '1 month')::timestamp at time zone 'UTC')) s))`;

/** The period's cash movements and the balance at its start: everything of a view but its trades. */
export async function loadCashAndStart(
  db: RequestDb,
  scope: AnalyticsScope,
  range: InputRange,
  { monthTotals = false }: { monthTotals?: boolean } = {},
): Promise<Pick<AnalyticsInput, "cash" | "startingBalance" | "dayRule" | "period">> {
  const accounts = scope.accountIds;
  const from = range.from ?? new Date(0);
  const to = range.to ?? new Date(8.64e15);
  // One round trip: the period's cash movements (times as whole epoch milliseconds, as node-postgres
  // reads a timestamptz) and the balance at the period start: opening balances, every earlier closed
  // trade and cash movement (of every trade, not only the narrowed ones: the balance is the account's).
  const { rows } = await db.query<{ cash: { id: string; ms: number; amount: string; kind: string }[]; balance: string }>(
    `select (select coalesce(json_agg(json_build_object('id', c.id, 'ms', floor(extract(epoch from c.occurred_at) * 1000),
                                                        'amount', c.amount::text, 'kind', c.kind) order by c.occurred_at, c.id), '[]')
               from public.cash_movements c
              where c.account_id = any($1::uuid[]) and c.occurred_at >= $2 and c.occurred_at < $3) as cash,
            ((select coalesce(sum(a.initial_balance), 0) from public.accounts a where a.id = any($1::uuid[]))
             + ${monthTotals ? EARLIER_TRADES_BY_MONTH : EARLIER_TRADES}
             + (select coalesce(sum(c.amount), 0) from public.cash_movements c
                 where c.account_id = any($1::uuid[]) and c.occurred_at < $2))::text as balance`,
    [accounts, from, to],
  );
  return {
    cash: rows[0]!.cash.map((c): CashMovement => ({ id: c.id, at: new Date(c.ms), amount: c.amount, kind: c.kind })),
    startingBalance: rows[0]!.balance,
    dayRule: scope.dayRule,
    period: { from: range.from, to: range.to },
  };
}

/**
 * One view's input, its trades read row by row. The views read their trades
 * from the analytics store (store.server.ts) and come here only for a data
 * set too large to add exactly from it. `withTags` reads each trade's tag
 * names (the tag breakdown needs them; the dashboard does not, and skips the join).
 */
export async function loadAnalyticsInput(
  db: RequestDb,
  scope: AnalyticsScope,
  filters: AnalyticsFilters,
  range: InputRange,
  { withTags = false }: { withTags?: boolean } = {},
): Promise<AnalyticsInput> {
  const accounts = scope.accountIds;
  const from = range.from ?? new Date(0);
  const to = range.to ?? new Date(8.64e15);
  const narrow = narrowing(filters, 4);
  const tagsColumn = withTags
    ? `, coalesce((select array_agg(g.name order by g.name) from public.trade_tags tt join public.tags g on g.id = tt.tag_id
                    where tt.trade_id = t.id), '{}') as tags`
    : "";
  const trades = await db.query<TradeRow>(
    `select ${TRADE_ROW_COLUMNS}${tagsColumn}
         from public.trades t
        where t.account_id = any($1::uuid[]) and t.status = 'closed' and t.closed_at >= $2 and t.closed_at < $3${narrow.sql}
        order by t.closed_at, t.id`,
    [accounts, from, to, ...narrow.values],
  );
  return { trades: trades.rows.map(analyticsTradeOf), ...(await loadCashAndStart(db, scope, range)) };
}
