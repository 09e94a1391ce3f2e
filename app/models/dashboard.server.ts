// What the dashboard shows first, read in one RLS-scoped transaction: each
// account's figures and sync state, the open positions, the latest closed
// trades and the user's time zone. The page keeps them current through
// Realtime afterwards; every figure here is decimal text, as stored.
import type { DashboardAccount, DashboardData } from "./dashboard.types.ts";
import { RECENT_TRADES } from "~/domain/sync/live-rows.ts";
import type { AccountSyncStatus } from "~/domain/sync/sync-indicator.ts";
import type { DatabaseClaims, RequestDb } from "~/lib/db.server.ts";

type Claims = DatabaseClaims & { sub: string };

export async function loadDashboard(db: RequestDb, claims: Claims): Promise<DashboardData> {
  const accounts = await db.query<{
    id: string;
    name: string;
    kind: "manual" | "mt5";
    currency: string;
    balance: string | null;
    equity: string | null;
    margin: string | null;
    free_margin: string | null;
    ledger_balance: string | null;
    sync_enabled: boolean;
    sync_status: AccountSyncStatus;
    sync_error: string | null;
    last_synced_at: Date | null;
    paused_reason: string | null;
  }>(
    // public.account_ledger_balance (the Accounts page's public.account_balance uses it too) is summed only
    // where it is shown: manual accounts, and MT5 accounts the broker has not reported on yet. CASE evaluates
    // it lazily, so a synced account with a long history costs nothing here.
    `select a.id, a.name, a.kind, a.currency, a.balance::text, a.equity::text, a.margin::text, a.free_margin::text,
            case when a.kind = 'manual' or a.balance is null then public.account_ledger_balance(a)::text end as ledger_balance,
            a.sync_enabled, a.sync_status, a.sync_error, a.last_synced_at, s.paused_reason
       from public.accounts a
       left join public.account_sync_state s on s.account_id = a.id
      where a.user_id = $1
      order by a.kind desc, a.created_at, a.name`,
    [claims.sub],
  );
  const positions = await db.query<{
    id: string;
    account_id: string;
    position_id: string;
    symbol: string;
    direction: "buy" | "sell";
    volume: string;
    entry_price: string;
    current_price: string | null;
    stop_loss: string | null;
    take_profit: string | null;
    swap: string;
    floating_profit: string | null;
    opened_at: Date;
  }>(
    `select id, account_id, position_id, symbol, direction, volume::text, entry_price::text, current_price::text,
            stop_loss::text, take_profit::text, swap::text, floating_profit::text, opened_at
       from public.open_positions where user_id = $1
      order by opened_at desc, id`,
    [claims.sub],
  );
  const trades = await db.query<{
    id: string;
    account_id: string;
    symbol: string;
    direction: "buy" | "sell";
    net_profit: string;
    pips: string | null;
    closed_at: Date;
  }>(
    `select id, account_id, symbol, direction, net_profit::text, pips::text, closed_at
       from public.trades where user_id = $1 and status = 'closed'
      order by closed_at desc, id limit $2`,
    [claims.sub, RECENT_TRADES],
  );
  const extra = await db.query<{ time_zone: string | null; has_trades: boolean }>(
    `select (select time_zone from public.user_settings where user_id = $1) as time_zone,
            exists (select 1 from public.trades where user_id = $1) as has_trades`,
    [claims.sub],
  );
  return {
    accounts: accounts.rows.map((a) => ({
      id: a.id,
      name: a.name,
      kind: a.kind,
      currency: a.currency,
      balance: a.balance,
      equity: a.equity,
      margin: a.margin,
      freeMargin: a.free_margin,
      ledgerBalance: a.ledger_balance ?? a.balance ?? "0",
      syncEnabled: a.sync_enabled,
      syncStatus: a.sync_status,
      syncError: a.sync_error,
      lastSyncedAt: a.last_synced_at?.toISOString() ?? null,
      pausedReason: a.paused_reason,
    })),
    positions: positions.rows.map((p) => ({
      id: p.id,
      accountId: p.account_id,
      positionId: p.position_id,
      symbol: p.symbol,
      direction: p.direction,
      volume: p.volume,
      entryPrice: p.entry_price,
      currentPrice: p.current_price,
      stopLoss: p.stop_loss,
      takeProfit: p.take_profit,
      swap: p.swap,
      floatingProfit: p.floating_profit,
      openedAt: p.opened_at.toISOString(),
    })),
    recentTrades: trades.rows.map((t) => ({
      id: t.id,
      accountId: t.account_id,
      symbol: t.symbol,
      direction: t.direction,
      netProfit: t.net_profit,
      pips: t.pips,
      closedAt: t.closed_at.toISOString(),
    })),
    hasTrades: extra.rows[0]?.has_trades ?? false,
    timeZone: extra.rows[0]?.time_zone ?? "UTC",
  };
}

export type { DashboardAccount, DashboardData };
