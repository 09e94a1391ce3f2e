// One trade with everything its detail page shows: legs (every deal of the
// position, in execution order, through loadTradeLegs), the account it belongs to, its import batch,
// journal presence and tags, read as the user (RLS decides). Another user's
// trade id reads as "not found", never as "forbidden".
import type { TradeLeg } from "./trade-detail.types.ts";
import { dayRuleOf, tradingDayOf } from "~/domain/periods/trading-day.ts";
import type { DatabaseClaims, RequestDb } from "~/lib/db.server.ts";
import { loadTradeLegs } from "./trade-legs.server.ts";
import type { TradeTag } from "./trade-list.server.ts";
import { toTradeRow, TRADE_ROW_COLUMNS, type TradeDbRow, type TradeRow } from "./trade-row.ts";

type Claims = DatabaseClaims & { sub: string };

export interface TradeDetail extends TradeRow {
  importBatch: { id: string; fileName: string | null; createdAt: string } | null;
  account: { id: string; name: string; currency: string; serverTimeZone: string; kind: "manual" | "mt5" };
  legs: TradeLeg[];
  hasJournal: boolean;
  tags: TradeTag[];
}

export interface TradeDetailPage {
  trade: TradeDetail;
  timeZone: string;
  /** The trading day the trade closed in (the calendar's and the trade list's day); null while open. */
  tradingDay: string | null;
}

interface TradeDetailDbRow extends TradeDbRow {
  import_batch_id: string | null;
  batch_file_name: string | null;
  batch_created_at: Date | null;
  account_id: string;
  account_name: string;
  account_currency: string;
  account_server_time_zone: string;
  account_kind: "manual" | "mt5";
  has_journal: boolean;
  time_zone: string | null;
  day_start_hour: number | null;
  day_zone: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The trade, or null when it does not exist for this user. */
export async function loadTradeDetail(db: RequestDb, claims: Claims, tradeId: string): Promise<TradeDetailPage | null> {
  if (!UUID.test(tradeId)) return null;
  const { rows } = await db.query<TradeDetailDbRow>(
    `select ${TRADE_ROW_COLUMNS}, t.import_batch_id, b.file_name as batch_file_name, b.created_at as batch_created_at,
            a.id as account_id, a.name as account_name, a.currency as account_currency,
            a.server_time_zone as account_server_time_zone, a.kind as account_kind,
            exists (select 1 from public.journals j where j.trade_id = t.id and public.journal_is_written(j)) as has_journal,
            s.time_zone, s.trading_day_start_hour as day_start_hour, s.trading_day_time_zone as day_zone
       from public.trades t
       join public.accounts a on a.id = t.account_id
       left join public.import_batches b on b.id = t.import_batch_id
       left join public.user_settings s on s.user_id = $2
      where t.id = $1 and t.user_id = $2`,
    [tradeId, claims.sub],
  );
  const row = rows[0];
  if (!row) return null;
  const legs = await loadTradeLegs(db, tradeId);
  const tags = await db.query<TradeTag>(
    `select g.id, g.name, g.color from public.trade_tags tt join public.tags g on g.id = tt.tag_id
      where tt.trade_id = $1 order by lower(g.name)`,
    [tradeId],
  );
  const timeZone = row.time_zone ?? "UTC";
  return {
    timeZone,
    tradingDay: row.closed_at ? tradingDayOf(row.closed_at, dayRuleOf({ timeZone, startHour: row.day_start_hour, dayZone: row.day_zone })) : null,
    trade: {
      ...toTradeRow(row),
      importBatch: row.import_batch_id
        ? { id: row.import_batch_id, fileName: row.batch_file_name, createdAt: row.batch_created_at?.toISOString() ?? "" }
        : null,
      account: {
        id: row.account_id,
        name: row.account_name,
        currency: row.account_currency,
        serverTimeZone: row.account_server_time_zone,
        kind: row.account_kind,
      },
      legs,
      hasJournal: row.has_journal,
      tags: tags.rows,
    },
  };
}

export type { TradeLeg };
