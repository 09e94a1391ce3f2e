// What the sync reads and writes in the database. Service role (RLS bypassed),
// so every statement names the user it acts for (docs/decisions/002); one
// transaction per sync step, so a failure leaves the previous state whole.
import type pg from "pg";
import { withServiceRole } from "~/lib/service-role.server.ts";
import type { Tier } from "~/domain/entitlements.ts";
import { USER_EVENTS, userTopic, type AccountPausedNotice, type TradeClosedNotice } from "~/domain/sync/realtime-contract.ts";
import type { CashMovementInput, MarginMode, TradeInput } from "~/domain/trades/types.ts";
import type { InstrumentOverrides } from "~/domain/instruments/catalogue.ts";
import { readInstrumentOverrides } from "~/models/instrument-overrides.server.ts";
import { storeTrades, type StoreResult } from "~/models/trade-store.server.ts";
import { liveCloseNotices } from "./close-notices.ts";
import type { AccountFigures, OpenPositionRow } from "./broker-records.ts";
import type { SyncKind } from "./cadence.ts";
import type { LoginFailureState, LoginFailureStep } from "./login-failures.ts";
import { balanceMoved, dealCheckWanted, recentlyTradedSymbols } from "./sync-follow-ups.ts";

type Db = Pick<pg.PoolClient, "query">;

/** What the scheduler needs of every MT5 account, whoever owns it. */
export interface SchedulerAccountRow {
  accountId: string;
  userId: string;
  tier: Tier;
  mt5Server: string;
  mt5Login: string;
  syncEnabled: boolean;
  firstSyncCompletedAt: Date | null;
  lastLightSyncAt: Date | null;
  lastFullSyncAt: Date | null;
  dealCheckRequestedAt: Date | null;
  pausedAt: Date | null;
  /** Symbols of the open positions and of the trades opened since `recentSince` (weekend cadence). */
  recentSymbols: string[];
}

export async function loadSchedulerAccounts(pool: pg.Pool, recentSince: Date): Promise<SchedulerAccountRow[]> {
  return withServiceRole(pool, null, async (db) => {
    const { rows } = await db.query<SchedulerAccountRow>(
      `select a.id as "accountId", a.user_id as "userId", public.user_tier(a.user_id) as tier,
              a.mt5_server as "mt5Server", a.mt5_login::text as "mt5Login",
              -- An MT5 account past the plan's limits (after a downgrade) is kept but not synced.
              a.sync_enabled and public.account_plan_access(a.id) = 'full' as "syncEnabled",
              s.first_sync_completed_at as "firstSyncCompletedAt", s.last_light_sync_at as "lastLightSyncAt",
              s.last_full_sync_at as "lastFullSyncAt", s.deal_check_requested_at as "dealCheckRequestedAt",
              s.paused_at as "pausedAt",
              array(select p.symbol from public.open_positions p where p.account_id = a.id
                    union
                    select t.symbol from public.trades t where t.account_id = a.id and t.opened_at >= $1) as "recentSymbols"
         from public.accounts a
         left join public.account_sync_state s on s.account_id = a.id
        where a.kind = 'mt5' and exists (select 1 from public.account_credentials c where c.account_id = a.id)`,
      [recentSince],
    );
    return rows;
  });
}

/** One MT5 account as a sync needs it. */
export interface SyncAccount {
  id: string;
  userId: string;
  name: string;
  mt5Server: string;
  mt5Login: string;
  currency: string;
  marginMode: MarginMode;
  serverTimeZone: string;
  serverTimeZoneConfirmed: boolean;
  syncEnabled: boolean;
  credentials: { ciphertext: Buffer; keyId: string } | null;
  lastDealTime: Date | null;
  lastDealTicket: string | null;
  firstSyncCompletedAt: Date | null;
  loginFailures: LoginFailureState;
  /** The account's corrections to the instrument catalogue (pips of synced trades use them). */
  instrumentOverrides: InstrumentOverrides;
}

export async function loadSyncAccount(pool: pg.Pool, accountId: string): Promise<SyncAccount | null> {
  return withServiceRole(pool, null, async (db) => {
    const { rows } = await db.query(
      `select a.id, a.user_id, a.name, a.mt5_server, a.mt5_login::text as mt5_login, a.currency, a.margin_mode,
              a.server_time_zone, a.server_time_zone_confirmed,
              a.sync_enabled and public.account_plan_access(a.id) = 'full' as sync_enabled,
              c.password_ciphertext, c.key_id,
              s.last_deal_time, s.last_deal_ticket::text as last_deal_ticket, s.first_sync_completed_at,
              coalesce(s.consecutive_login_failures, 0) as failures, s.paused_at, s.paused_reason
         from public.accounts a
         left join public.account_credentials c on c.account_id = a.id
         left join public.account_sync_state s on s.account_id = a.id
        where a.id = $1 and a.kind = 'mt5'`,
      [accountId],
    );
    const row = rows[0];
    if (!row) return null;
    const overrides = await readInstrumentOverrides(db, { accountId });
    return {
      id: row.id,
      userId: row.user_id,
      name: row.name,
      mt5Server: row.mt5_server,
      mt5Login: row.mt5_login,
      currency: row.currency,
      marginMode: row.margin_mode,
      serverTimeZone: row.server_time_zone,
      serverTimeZoneConfirmed: row.server_time_zone_confirmed,
      syncEnabled: row.sync_enabled,
      credentials: row.password_ciphertext ? { ciphertext: row.password_ciphertext, keyId: row.key_id } : null,
      lastDealTime: row.last_deal_time,
      lastDealTicket: row.last_deal_ticket,
      firstSyncCompletedAt: row.first_sync_completed_at,
      loginFailures: { consecutiveLoginFailures: row.failures, pausedAt: row.paused_at, pausedReason: row.paused_reason },
      instrumentOverrides: overrides[accountId] ?? {},
    };
  });
}

/** Cadences run start to start (docs/decisions/009): the attempt's start is recorded before it runs. */
export async function markSyncStarted(pool: pg.Pool, account: Pick<SyncAccount, "id" | "userId">, kind: SyncKind, at: Date): Promise<void> {
  const column = kind === "light" ? "last_light_sync_at" : "last_full_sync_at";
  await withServiceRole(pool, account.userId, async (db) => {
    await db.query(
      `insert into public.account_sync_state (account_id, user_id, ${column}) values ($1, $2, $3)
       on conflict (account_id) do update set ${column} = excluded.${column}`,
      [account.id, account.userId, at],
    );
    if (kind === "history") {
      await db.query("update public.accounts set sync_status = 'syncing', sync_error = null where id = $1 and user_id = $2", [
        account.id,
        account.userId,
      ]);
    }
  });
}

/** The account was disconnected, deleted or had sync turned off while its sync ran: nothing of it is saved. */
export class AccountNoLongerSynced extends Error {
  constructor(accountId: string) {
    super(`account ${accountId} was disconnected while it synced`);
  }
}

/**
 * Locks the account row for the rest of the transaction and checks it is still
 * connected, so a disconnect that lands during a sync is not undone by it.
 */
async function lockSyncedAccount(db: Db, account: Pick<SyncAccount, "id" | "userId">): Promise<{ balance: string | null }> {
  const { rows } = await db.query<{ balance: string | null }>(
    `select a.balance::text as balance from public.accounts a
      where a.id = $1 and a.user_id = $2 and a.kind = 'mt5' and a.sync_enabled
        and exists (select 1 from public.account_credentials c where c.account_id = a.id)
      for update`,
    [account.id, account.userId],
  );
  if (rows.length === 0) throw new AccountNoLongerSynced(account.id);
  return rows[0]!;
}

const OPEN_POSITION_RECORD = `position_id text, symbol text, broker_symbol text, direction text, opened_at timestamptz,
  volume numeric, entry_price numeric, current_price numeric, stop_loss numeric, take_profit numeric, swap numeric, floating_profit numeric`;

/**
 * Makes the account's open_positions exactly `positions`. Unchanged rows are
 * not touched, so Realtime carries only real changes to the dashboard.
 * Returns the position ids that disappeared and those whose volume changed.
 */
async function replaceOpenPositions(
  db: Db,
  account: Pick<SyncAccount, "id" | "userId">,
  positions: readonly OpenPositionRow[],
  at: Date,
): Promise<{ disappeared: string[]; volumeChanged: string[] }> {
  const input = JSON.stringify(
    positions.map((p) => ({
      position_id: p.positionId,
      symbol: p.symbol,
      broker_symbol: p.brokerSymbol,
      direction: p.direction,
      opened_at: p.openedAt,
      volume: p.volume,
      entry_price: p.entryPrice,
      current_price: p.currentPrice,
      stop_loss: p.stopLoss,
      take_profit: p.takeProfit,
      swap: p.swap,
      floating_profit: p.floatingProfit,
    })),
  );
  const { rows } = await db.query<{ disappeared: string[]; volume_changed: string[] }>(
    `with input as (select * from jsonb_to_recordset($3::jsonb) as i(${OPEN_POSITION_RECORD})),
     before as (select position_id, volume from public.open_positions where account_id = $2 and user_id = $1),
     gone as (
       delete from public.open_positions o where o.account_id = $2 and o.user_id = $1
          and not exists (select 1 from input i where i.position_id = o.position_id)
       returning o.position_id
     ),
     upserted as (
       insert into public.open_positions as o (user_id, account_id, position_id, symbol, broker_symbol, direction, opened_at,
         volume, entry_price, current_price, stop_loss, take_profit, swap, floating_profit, synced_at)
       select $1, $2, i.position_id, i.symbol, i.broker_symbol, i.direction, i.opened_at, i.volume, i.entry_price,
              i.current_price, i.stop_loss, i.take_profit, i.swap, i.floating_profit, $4
         from input i
       on conflict (account_id, position_id) do update set
         symbol = excluded.symbol, broker_symbol = excluded.broker_symbol, direction = excluded.direction,
         opened_at = excluded.opened_at, volume = excluded.volume, entry_price = excluded.entry_price,
         current_price = excluded.current_price, stop_loss = excluded.stop_loss, take_profit = excluded.take_profit,
         swap = excluded.swap, floating_profit = excluded.floating_profit, synced_at = excluded.synced_at
       where (o.volume, o.entry_price, o.current_price, o.stop_loss, o.take_profit, o.swap, o.floating_profit)
             is distinct from (excluded.volume, excluded.entry_price, excluded.current_price, excluded.stop_loss,
                               excluded.take_profit, excluded.swap, excluded.floating_profit)
       returning 1
     )
     select coalesce((select array_agg(position_id) from gone), '{}') as disappeared,
            coalesce((select array_agg(b.position_id) from before b join input i using (position_id) where b.volume <> i.volume), '{}') as volume_changed,
            (select count(*) from upserted) as n`,
    [account.userId, account.id, input, at],
  );
  return { disappeared: rows[0]!.disappeared, volumeChanged: rows[0]!.volume_changed };
}

async function updateAccountFigures(db: Db, account: Pick<SyncAccount, "id" | "userId">, figures: AccountFigures, at: Date): Promise<void> {
  await db.query(
    `update public.accounts set balance = $3, equity = $4, margin = $5, free_margin = $6, leverage = coalesce($7, leverage),
            sync_status = 'ok', sync_error = null, last_synced_at = $8
      where id = $2 and user_id = $1`,
    [account.userId, account.id, figures.balance, figures.equity, figures.margin, figures.freeMargin, figures.leverage, at],
  );
}

export interface LightSyncSaved {
  /** Positions gone since the previous sync (closed, or re-identified by a netting reversal). */
  disappeared: string[];
  volumeChanged: string[];
  /** The balance differs from the stored one: deals were booked since the last sync. */
  balanceMoved: boolean;
}

export async function saveLightSync(
  pool: pg.Pool,
  account: Pick<SyncAccount, "id" | "userId">,
  figures: AccountFigures,
  positions: readonly OpenPositionRow[],
  at: Date,
): Promise<LightSyncSaved> {
  return withServiceRole(pool, account.userId, async (db) => {
    const before = await lockSyncedAccount(db, account);
    const changes = await replaceOpenPositions(db, account, positions, at);
    const moved = balanceMoved(before.balance, figures.balance);
    await updateAccountFigures(db, account, figures, at);
    const wantsDealCheck = dealCheckWanted(changes, moved);
    await db.query(
      `update public.account_sync_state set consecutive_login_failures = 0,
              deal_check_requested_at = case when $3 then coalesce(deal_check_requested_at, $4) else deal_check_requested_at end
        where account_id = $1 and user_id = $2`,
      [account.id, account.userId, wantsDealCheck, at],
    );
    return { ...changes, balanceMoved: moved };
  });
}

export interface FullSyncInput {
  figures: AccountFigures;
  positions: readonly OpenPositionRow[];
  trades: TradeInput[];
  cash: CashMovementInput[];
  /** The newest deal fetched: the next query starts from it. Null when there were none. */
  cursor: { time: Date; ticket: string } | null;
  /** A detected server_time_zone to save (first sync, zone not confirmed by the user). */
  detectedTimeZone: string | null;
  measuredOffsetMinutes: number | null;
  /** Send trade_closed notices for trades this sync closed (not on the first, whole-history sync). */
  notify: boolean;
  at: Date;
}

export interface FullSyncSaved {
  store: StoreResult;
  closed: TradeClosedNotice[];
}

export async function saveFullSync(pool: pg.Pool, account: SyncAccount, input: FullSyncInput): Promise<FullSyncSaved> {
  return withServiceRole(pool, account.userId, async (db) => {
    await lockSyncedAccount(db, account);
    const positionIds = input.trades.map((trade) => trade.positionId);
    const before = await db.query<{ position_id: string }>(
      "select position_id from public.trades where account_id = $1 and position_id = any($2) and status = 'closed'",
      [account.id, positionIds],
    );
    const closedBefore = new Set(before.rows.map((row) => row.position_id));
    const store = await storeTrades(
      db,
      { userId: account.userId, accountId: account.id, source: "mt5", importBatchId: null, instrumentOverrides: account.instrumentOverrides },
      { trades: input.trades, cash: input.cash },
    );

    const justClosed = input.trades
      .filter((trade) => trade.status === "closed" && !closedBefore.has(trade.positionId))
      .map((trade) => trade.positionId);
    const { rows: closedRows } = await db.query<{
      id: string;
      position_id: string;
      symbol: string;
      direction: "buy" | "sell";
      net_profit: string;
      pips: string | null;
      closed_at: Date;
    }>(
      `select id, position_id, symbol, direction, net_profit::text, pips::text, closed_at
         from public.trades where account_id = $1 and position_id = any($2) and status = 'closed'
        order by closed_at desc`,
      [account.id, justClosed],
    );
    const closed: TradeClosedNotice[] = closedRows.map((row) => ({
      tradeId: row.id,
      accountId: account.id,
      symbol: row.symbol,
      direction: row.direction,
      netProfit: row.net_profit,
      currency: account.currency,
      pips: row.pips,
      closedAt: row.closed_at.toISOString(),
    }));

    await replaceOpenPositions(db, account, input.positions, input.at);
    await updateAccountFigures(db, account, input.figures, input.at);
    const recentSymbols = recentlyTradedSymbols(input.trades, input.at);
    if (recentSymbols.length) await touchHotSymbols(db, recentSymbols, input.at);
    if (input.detectedTimeZone) {
      await db.query(
        "update public.accounts set server_time_zone = $3, server_time_zone_confirmed = true where id = $2 and user_id = $1 and not server_time_zone_confirmed",
        [account.userId, account.id, input.detectedTimeZone],
      );
    }
    await db.query(`insert into public.account_sync_state (account_id, user_id) values ($1, $2) on conflict (account_id) do nothing`, [
      account.id,
      account.userId,
    ]);
    await db.query(
      `update public.account_sync_state set
              last_deal_time = coalesce($3, last_deal_time),
              last_deal_ticket = greatest(coalesce($4::bigint, last_deal_ticket), last_deal_ticket),
              first_sync_completed_at = coalesce(first_sync_completed_at, $5),
              deal_check_requested_at = null,
              consecutive_login_failures = 0,
              measured_server_offset_minutes = coalesce($6, measured_server_offset_minutes)
        where account_id = $1 and user_id = $2`,
      [account.id, account.userId, input.cursor?.time ?? null, input.cursor?.ticket ?? null, input.at, input.measuredOffsetMinutes],
    );
    if (input.notify) {
      for (const notice of liveCloseNotices(closed, input.at)) {
        await db.query("select realtime.send($1::jsonb, $2, $3, true)", [JSON.stringify(notice), USER_EVENTS.tradeClosed, userTopic(account.userId)]);
      }
    }
    return { store, closed };
  });
}

export { HOT_SYMBOL_WINDOW_MS } from "./sync-follow-ups.ts";

export async function touchHotSymbols(db: Db, symbols: readonly string[], at: Date): Promise<void> {
  await db.query(
    `insert into public.hot_symbols (symbol, last_active_at) select s, $2 from unnest($1::text[]) as s
     on conflict (symbol) do update set last_active_at = greatest(hot_symbols.last_active_at, excluded.last_active_at)`,
    [symbols, at],
  );
}

/** Records a login outcome; on the third refusal in a row the account is paused and the user told. */
export async function saveLoginOutcome(pool: pg.Pool, account: SyncAccount, step: LoginFailureStep): Promise<void> {
  await withServiceRole(pool, account.userId, async (db) => {
    await db.query(
      `insert into public.account_sync_state (account_id, user_id, consecutive_login_failures, paused_at, paused_reason)
       values ($1, $2, $3, $4, $5)
       on conflict (account_id) do update set consecutive_login_failures = excluded.consecutive_login_failures,
         paused_at = excluded.paused_at, paused_reason = excluded.paused_reason`,
      [account.id, account.userId, step.state.consecutiveLoginFailures, step.state.pausedAt, step.state.pausedReason],
    );
    if (step.userMessage) {
      await db.query("update public.accounts set sync_status = $3, sync_error = $4 where id = $2 and user_id = $1", [
        account.userId,
        account.id,
        step.state.pausedAt ? "paused" : "error",
        step.userMessage,
      ]);
    }
    if (step.justPaused) {
      const notice: AccountPausedNotice = { accountId: account.id, accountName: account.name, message: step.userMessage ?? "" };
      await db.query("select realtime.send($1::jsonb, $2, $3, true)", [JSON.stringify(notice), USER_EVENTS.accountPaused, userTopic(account.userId)]);
    }
  });
}

/** A sync that failed for another reason than the password: shown on the account, retried at the cadence. */
export async function saveSyncError(pool: pg.Pool, account: Pick<SyncAccount, "id" | "userId">, message: string): Promise<void> {
  await withServiceRole(pool, account.userId, (db) =>
    db.query("update public.accounts set sync_status = 'error', sync_error = $3 where id = $2 and user_id = $1", [
      account.userId,
      account.id,
      message.slice(0, 500),
    ]),
  );
}

/** Stored position ids of the account among `positionIds` (the unique (account_id, position_id) index answers it). */
export async function storedPositionIds(
  pool: pg.Pool,
  account: Pick<SyncAccount, "id" | "userId">,
  positionIds: readonly string[],
): Promise<Set<string>> {
  if (positionIds.length === 0) return new Set();
  return withServiceRole(pool, account.userId, async (db) => {
    const { rows } = await db.query<{ position_id: string }>(
      "select position_id from public.trades where account_id = $1 and position_id = any($2)",
      [account.id, positionIds],
    );
    return new Set(rows.map((row) => row.position_id));
  });
}
