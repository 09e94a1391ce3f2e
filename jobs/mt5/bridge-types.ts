// The records the MT5 bridge answers with (mt5/PROTOCOL.md). Every float the
// terminal reports arrives as a decimal string; times are broker server-clock
// epochs, never UTC.

export type DecimalText = string;

export type BridgeErrorCode =
  | "auth_failed"
  | "timeout"
  | "terminal_crashed"
  | "trade_allowed"
  | "not_logged_in"
  | "invalid_params"
  | "not_found"
  | "unknown_method"
  | "internal";

export interface BridgeLogin {
  login: number;
  server: string;
  elapsed_ms: number;
  initialized: boolean;
  switched_server: boolean;
  trade_allowed: boolean;
  currency: string;
  company: string;
  name: string;
  trade_mode: number;
  trade_mode_name: "demo" | "contest" | "real" | null;
  margin_mode: number;
  margin_mode_name: "retail_netting" | "exchange" | "retail_hedging" | null;
}

export interface BridgeAccountInfo {
  login: number;
  trade_mode_name: "demo" | "contest" | "real" | null;
  margin_mode_name: "retail_netting" | "exchange" | "retail_hedging" | null;
  leverage: number;
  trade_allowed: boolean;
  currency: string;
  currency_digits: number;
  balance: DecimalText;
  credit: DecimalText;
  profit: DecimalText;
  equity: DecimalText;
  margin: DecimalText;
  margin_free: DecimalText;
  margin_level: DecimalText;
  name: string;
  server: string;
  company: string;
}

export interface BridgePosition {
  ticket: number;
  time: number;
  time_msc: number;
  time_update: number;
  type: number;
  type_name: "buy" | "sell" | null;
  magic: number;
  identifier: number;
  reason_name: string | null;
  volume: DecimalText;
  price_open: DecimalText;
  sl: DecimalText;
  tp: DecimalText;
  price_current: DecimalText;
  swap: DecimalText;
  profit: DecimalText;
  symbol: string;
  comment: string;
}

export interface BridgeDeal {
  ticket: number;
  order: number;
  time: number;
  time_msc: number;
  type: number;
  type_name: string | null;
  entry: number;
  entry_name: "in" | "out" | "inout" | "out_by" | null;
  magic: number;
  position_id: number;
  reason_name: string | null;
  volume: DecimalText;
  price: DecimalText;
  commission: DecimalText;
  swap: DecimalText;
  profit: DecimalText;
  fee: DecimalText;
  symbol: string;
  comment: string;
}

export interface BridgeOrder {
  ticket: number;
  time_setup: number;
  time_setup_msc: number;
  time_done: number;
  type_name: string | null;
  state_name: string | null;
  position_id: number;
  position_by_id: number;
  reason_name: string | null;
  volume_initial: DecimalText;
  price_open: DecimalText;
  sl: DecimalText;
  tp: DecimalText;
  symbol: string;
  comment: string;
}

export interface BridgeSymbolInfo {
  name: string;
  digits: number;
  point: DecimalText;
  trade_calc_mode_name: string | null;
  trade_tick_size: DecimalText;
  trade_tick_value: DecimalText;
  trade_contract_size: DecimalText;
  volume_min: DecimalText;
  volume_step: DecimalText;
  currency_base: string;
  currency_profit: string;
  currency_margin: string;
}

export interface BridgeRate {
  time: number;
  open: DecimalText;
  high: DecimalText;
  low: DecimalText;
  close: DecimalText;
  tick_volume: number;
  spread: number;
  real_volume: number;
}

export interface BridgeServerTimeOffset {
  offset_seconds: number;
  offset_minutes: number;
  symbol: string;
  tick_time: number;
  utc_now: number;
  residual_seconds: number;
}

export interface BridgePing {
  pong: boolean;
  initialized: boolean;
  login: number | null;
  server: string | null;
  connected?: boolean;
}

export type Timeframe = "M30" | "H1" | "H4" | "D1" | "W1";

/** Method → [params, result], the bridge's whole read-only surface. */
export interface BridgeMethods {
  login: [{ login: number; password: string; server: string; timeout_ms?: number }, BridgeLogin];
  account_info: [Record<string, never>, BridgeAccountInfo];
  positions: [{ symbol?: string }, BridgePosition[]];
  deals: [{ from: number; to: number; group?: string } | { position: number }, BridgeDeal[]];
  orders: [{ from: number; to: number; group?: string } | { position: number }, BridgeOrder[]];
  symbol_info: [{ symbol: string }, BridgeSymbolInfo];
  rates: [{ symbol: string; timeframe: Timeframe; from: number; to: number } | { symbol: string; timeframe: Timeframe; count: number }, BridgeRate[]];
  server_time_offset: [{ symbol?: string }, BridgeServerTimeOffset];
  ping: [Record<string, never>, BridgePing];
  shutdown: [Record<string, never>, { bye: boolean }];
  sim_advance: [{ seconds: number }, { elapsed: DecimalText; utc_now: number }];
}

export type BridgeMethod = keyof BridgeMethods;
