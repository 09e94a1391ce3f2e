// What the jobs process and the browser say to each other through Supabase
// Realtime (docs/decisions/011). Shared by both sides so a rename breaks the
// type check, not production.
//
// - Presence: every open tab of a signed-in user tracks itself on the private
//   topic `presence:<user id>`; the jobs process (service role) is the only
//   reader of those rosters and syncs the user's MT5 accounts while anyone is there.
// - postgres_changes on public.open_positions, public.accounts and public.trades
//   (RLS decides who receives what) carry live rows to the dashboard.
// - Broadcasts on the private topic `user:<user id>` carry notices the jobs
//   process sends with realtime.send(): a synced trade closing, an account paused.

export function presenceTopic(userId: string): string {
  return `presence:${userId}`;
}

export function userTopic(userId: string): string {
  return `user:${userId}`;
}

/** Broadcast event names on the user topic. */
export const USER_EVENTS = {
  tradeClosed: "trade_closed",
  accountPaused: "account_paused",
} as const;

/** Payload of `trade_closed`: one synced trade that has just closed. Money and pips are decimal strings. */
export interface TradeClosedNotice {
  tradeId: string;
  accountId: string;
  symbol: string;
  direction: "buy" | "sell";
  /** Net P&L in the account currency (gross + commission + swap + fee), as stored. */
  netProfit: string;
  currency: string;
  /** Null when the instrument's pip size is unknown. */
  pips: string | null;
  /** ISO-8601 UTC. */
  closedAt: string;
}

/** Payload of `account_paused`: sync stopped after repeated login failures. */
export interface AccountPausedNotice {
  accountId: string;
  accountName: string;
  message: string;
}
