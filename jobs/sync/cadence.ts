// What sync each MT5 account needs, and when, given its owner's presence.
//
// - Coming online: a catch-up at once (the very first sync of an account reads
//   its whole history).
// - Online or in grace: a light sync (positions, balance, equity) every 15 s and
//   a full deal check every 60 s; a full check at once when a light sync saw a
//   position disappear (it closed, so its deals are waiting).
// - Offline: nothing. Paused (login failures) or sync disabled: nothing, until
//   the user reconnects.
// - Weekend mode (the FX week is closed, Friday 17:00 → Sunday 17:00 New York):
//   one full sync every 30 minutes on a single worker — except for an account
//   that trades around the clock (an open crypto position, or a crypto trade
//   opened in the last 14 days): its prices and deals still move, so it keeps
//   the normal cadence, on that single worker.
//
// A full sync also refreshes positions and balance, so it replaces the light
// sync that would be due at the same time. The last_*_sync_at times are when
// the previous attempt STARTED, successful or not: cadences then run start to
// start (a 15 s cadence stays 15 s however long the login takes), and a failing
// account is retried at the cadence rather than in a tight loop. Its deal
// cursor (last_deal_time) only moves on success, so nothing is skipped.
import type { Tier } from "~/domain/entitlements.ts";
import { isFxWeekendClosed, nextFxWeekBoundary } from "~/domain/market-hours.ts";
import type { PresenceState } from "./presence.ts";

export const LIGHT_SYNC_INTERVAL_MS = 15_000;
export const FULL_SYNC_INTERVAL_MS = 60_000;
export const WEEKEND_SYNC_INTERVAL_MS = 30 * 60_000;
export const WEEKEND_TRADE_WORKERS = 1;

export type SyncKind =
  /** First sync ever: the account's whole deal history. */
  | "history"
  /** Deals since the cursor, plus positions, balance and equity. */
  | "full"
  /** Positions, balance and equity only. */
  | "light";

export type SyncReason = "first_sync" | "catch_up" | "position_closed" | "cadence" | "weekend";

/** What the scheduler knows about one MT5 account (accounts + account_sync_state + sync_presence). */
export interface AccountSyncInput {
  accountId: string;
  userId: string;
  tier: Tier;
  mt5Server: string;
  mt5Login: string;
  syncEnabled: boolean;
  /** The owner's presence state and when the current online stretch began. */
  presence: PresenceState;
  onlineSince: Date | null;
  firstSyncCompletedAt: Date | null;
  lastLightSyncAt: Date | null;
  lastFullSyncAt: Date | null;
  /** Set when a light sync saw a position disappear; cleared by the next full sync. */
  dealCheckRequestedAt: Date | null;
  /** Set after repeated login failures; only reconnecting clears it. */
  pausedAt: Date | null;
  /** Holds or recently traded instruments open at the weekend (crypto CFDs): no weekend slowdown. */
  tradesAroundTheClock?: boolean;
}

export interface SyncJob {
  accountId: string;
  userId: string;
  tier: Tier;
  mt5Server: string;
  mt5Login: string;
  kind: SyncKind;
  reason: SyncReason;
  /** pg-boss priority: higher runs first. Elite before Pro, then urgency. */
  priority: number;
  /**
   * The job must not start before this moment (pg-boss `startAfter`); for a job
   * already due, the moment it became due.
   */
  notBefore: Date;
}

export interface SyncMode {
  weekend: boolean;
  lightIntervalMs: number | null;
  fullIntervalMs: number;
  /** Trade workers allowed to run sync jobs; null = the whole pool. */
  tradeWorkers: number | null;
}

/** Days back a crypto trade still marks an account as trading around the clock. */
export const AROUND_THE_CLOCK_LOOKBACK_DAYS = 14;

/**
 * The sync mode at `at`, for one account when given: while the FX week is
 * closed an account trading around the clock keeps the normal intervals, but
 * the whole pool still shrinks to the weekend's single worker.
 */
export function syncModeAt(at: Date, account?: Pick<AccountSyncInput, "tradesAroundTheClock">): SyncMode {
  if (!isFxWeekendClosed(at)) {
    return { weekend: false, lightIntervalMs: LIGHT_SYNC_INTERVAL_MS, fullIntervalMs: FULL_SYNC_INTERVAL_MS, tradeWorkers: null };
  }
  return account?.tradesAroundTheClock
    ? { weekend: true, lightIntervalMs: LIGHT_SYNC_INTERVAL_MS, fullIntervalMs: FULL_SYNC_INTERVAL_MS, tradeWorkers: WEEKEND_TRADE_WORKERS }
    : { weekend: true, lightIntervalMs: null, fullIntervalMs: WEEKEND_SYNC_INTERVAL_MS, tradeWorkers: WEEKEND_TRADE_WORKERS };
}

// ---------------------------------------------------------------------------
// Per-account plan.

const TIER_PRIORITY: Record<Tier, number> = { elite: 20, pro: 10, free: 0 };
const REASON_PRIORITY: Record<SyncReason, number> = {
  first_sync: 4,
  catch_up: 4,
  position_closed: 3,
  cadence: 1,
  weekend: 1,
};

export function syncPriority(tier: Tier, reason: SyncReason): number {
  return TIER_PRIORITY[tier] + REASON_PRIORITY[reason];
}

function job(account: AccountSyncInput, kind: SyncKind, reason: SyncReason, notBefore: Date): SyncJob {
  return {
    accountId: account.accountId,
    userId: account.userId,
    tier: account.tier,
    mt5Server: account.mt5Server,
    mt5Login: account.mt5Login,
    kind,
    reason,
    priority: syncPriority(account.tier, reason),
    notBefore,
  };
}

function plus(at: Date | null, ms: number): Date | null {
  return at ? new Date(at.getTime() + ms) : null;
}

/**
 * The next sync an account needs, possibly in the future (`notBefore > at`),
 * or null when none is scheduled (offline, paused, disabled).
 */
export function nextSync(account: AccountSyncInput, at: Date, mode: SyncMode = syncModeAt(at, account)): SyncJob | null {
  if (!account.syncEnabled || account.pausedAt || account.presence === "offline") return null;

  // Jobs already due carry the moment they became due, so the longest waiting goes first.
  const sinceOnline = account.onlineSince && account.onlineSince < at ? account.onlineSince : at;

  if (!account.firstSyncCompletedAt) {
    // A failed attempt is retried at the full cadence, not in a tight loop.
    const retryAt = plus(account.lastFullSyncAt, mode.fullIntervalMs);
    return job(account, "history", "first_sync", retryAt && retryAt > sinceOnline ? retryAt : sinceOnline);
  }

  const lastFull = account.lastFullSyncAt;
  if (!lastFull || (account.onlineSince && lastFull < account.onlineSince)) {
    return job(account, "full", "catch_up", sinceOnline);
  }

  if (account.dealCheckRequestedAt && account.dealCheckRequestedAt > lastFull) {
    return job(account, "full", "position_closed", account.dealCheckRequestedAt);
  }
  if (account.dealCheckRequestedAt) {
    // The check started after the request and did not clear it, so it failed (a
    // success clears it): the deals are still owed. The next slot of the light
    // cadence retries the full check instead of another light sync.
    return job(account, "full", "position_closed", new Date(lastFull.getTime() + (mode.lightIntervalMs ?? mode.fullIntervalMs)));
  }

  const fullAt = new Date(lastFull.getTime() + mode.fullIntervalMs);
  if (mode.lightIntervalMs === null) return job(account, "full", "weekend", fullAt);

  // A full sync refreshes what a light one does, so it counts as a light sync too.
  const lastLight = account.lastLightSyncAt && account.lastLightSyncAt > lastFull ? account.lastLightSyncAt : lastFull;
  const lightAt = new Date(lastLight.getTime() + mode.lightIntervalMs);
  // When both are due, the full sync does the light one's work as well.
  const fullDueFirst = fullAt.getTime() <= Math.max(lightAt.getTime(), at.getTime());
  return fullDueFirst ? job(account, "full", "cadence", fullAt) : job(account, "light", "cadence", lightAt);
}

/** Orders jobs as workers should take them: priority, then the longest waiting. */
export function compareJobs(a: SyncJob, b: SyncJob): number {
  return b.priority - a.priority || a.notBefore.getTime() - b.notBefore.getTime() || a.accountId.localeCompare(b.accountId);
}

/** Every job due at `at`, in the order workers should take them (each account in its own mode unless one is given). */
export function dueSyncs(accounts: readonly AccountSyncInput[], at: Date, mode?: SyncMode): SyncJob[] {
  const due: SyncJob[] = [];
  for (const account of accounts) {
    const next = nextSync(account, at, mode ?? syncModeAt(at, account));
    if (next && next.notBefore <= at) due.push(next);
  }
  return due.sort(compareJobs);
}

/** When the caller must tick again: the earliest future job or FX week switch. */
export function nextWakeUp(accounts: readonly AccountSyncInput[], at: Date, mode?: SyncMode): Date {
  let wake = nextFxWeekBoundary(at);
  for (const account of accounts) {
    const next = nextSync(account, at, mode ?? syncModeAt(at, account));
    if (next && next.notBefore > at && next.notBefore < wake) wake = next.notBefore;
  }
  return wake;
}

/**
 * Position identifiers a light sync no longer sees: each closed (fully or by a
 * netting reversal's new identifier), so its deals need a full check now.
 */
export function disappearedPositions(previous: Iterable<string>, current: Iterable<string>): string[] {
  const now = new Set(current);
  return [...new Set(previous)].filter((id) => !now.has(id));
}
