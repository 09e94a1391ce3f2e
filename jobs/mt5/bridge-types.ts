// The bridge protocol's types (mt5/PROTOCOL.md). The records are derived from
// the zod schemas the client parses every answer with (bridge-answers.ts), so
// the type and the check cannot drift apart. Every float the terminal reports
// arrives as a decimal string; times are broker server-clock epochs, never UTC.
import type { z } from "zod";
import type {
  BridgeAnswer,
  BridgeMethod,
  bridgeAccountInfoSchema,
  bridgeDealSchema,
  bridgeLoginSchema,
  bridgeOrderSchema,
  bridgePingSchema,
  bridgePositionSchema,
  bridgeRateSchema,
  bridgeServerTimeOffsetSchema,
  bridgeSymbolInfoSchema,
} from "./bridge-answers.ts";

export type { BridgeMethod } from "./bridge-answers.ts";

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
  | "internal"
  /** Ours, not the bridge's: an answer that does not match its schema (bridge-answers.ts). */
  | "malformed_answer";

export type BridgeLogin = z.output<typeof bridgeLoginSchema>;
export type BridgeAccountInfo = z.output<typeof bridgeAccountInfoSchema>;
export type BridgePosition = z.output<typeof bridgePositionSchema>;
export type BridgeDeal = z.output<typeof bridgeDealSchema>;
export type BridgeOrder = z.output<typeof bridgeOrderSchema>;
export type BridgeSymbolInfo = z.output<typeof bridgeSymbolInfoSchema>;
export type BridgeRate = z.output<typeof bridgeRateSchema>;
export type BridgeServerTimeOffset = z.output<typeof bridgeServerTimeOffsetSchema>;
export type BridgePing = z.output<typeof bridgePingSchema>;

export type Timeframe = "M1" | "M5" | "M15" | "M30" | "H1" | "H4" | "D1" | "W1";

/** Method → its params. */
interface BridgeParams {
  login: { login: number; password: string; server: string; timeout_ms?: number };
  account_info: Record<string, never>;
  positions: { symbol?: string };
  deals: { from: number; to: number; group?: string } | { position: number };
  orders: { from: number; to: number; group?: string } | { position: number };
  symbol_info: { symbol: string };
  rates: { symbol: string; timeframe: Timeframe; from: number; to: number } | { symbol: string; timeframe: Timeframe; count: number };
  server_time_offset: { symbol?: string };
  ping: Record<string, never>;
  shutdown: Record<string, never>;
  sim_advance: { seconds: number };
}

/** Method → [params, result], the bridge's whole read-only surface. */
export type BridgeMethods = { [M in BridgeMethod]: [BridgeParams[M], BridgeAnswer<M>] };
