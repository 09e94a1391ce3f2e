// The answer the jobs process writes to public.mt5_connection_checks after
// trying an investor login (docs/decisions/011). The app reads it to create
// the account (status 'ok') or to tell the user what went wrong ('failed').

export type ConnectionCheckStatus = "pending" | "running" | "ok" | "failed";

export type ConnectionCheckErrorCode =
  /** Wrong login, password or server (MT5 AUTH_FAILED). */
  | "auth_failed"
  /** The password can trade: it is the master password, not the investor one. */
  | "trade_allowed"
  /** The broker did not answer in time. */
  | "timeout"
  /** No such server, or it cannot be reached from our terminals. */
  | "server_unreachable"
  /** Our terminal died while trying; the user may simply retry. */
  | "terminal_crashed"
  /** No terminal worker picked the check up before it expired (jobs not running or overloaded). */
  | "expired"
  | "internal";

/** `result` of a check with status 'ok': what the broker reported, as reported. */
export interface ConnectionCheckResult {
  login: number;
  server: string;
  /** The account holder's name at the broker. */
  name: string;
  currency: string;
  company: string;
  marginMode: "hedging" | "netting";
  leverage: number | null;
  tradeMode: "demo" | "contest" | "real";
  balance: string;
  equity: string;
  /** Broker clock minus UTC, measured from a live tick; null when the market was closed. */
  serverUtcOffsetMinutes: number | null;
  /** The server_time_zone (accounts column) that offset implies now, e.g. "NY+7"; null when unknown. */
  detectedTimeZone: string | null;
}
