// The bridge's answers (mt5/PROTOCOL.md) as zod schemas: the one description
// of each record, from which bridge-types.ts derives the TypeScript types. The
// client parses every answer here, so a malformed broker answer becomes a
// BridgeError naming the method, the record and the field — not a crash deep
// in the pairing. Only the fields the jobs use are declared; the rest are
// dropped. Every schema is built once, at import (zod compiles object
// parsers on first use): a first sync parses 100 000 deals in one answer.
import { z } from "zod";

/** A float as the bridge sends it: Python's shortest repr, never exponent notation ("11.91", "0.00001", "-3.5"). */
const decimal = z.string().regex(/^-?\d+(?:\.\d+)?$/, "expected a decimal string");
/**
 * An account figure: a decimal string, or a whole JSON number taken as its
 * exact decimal text — the simulator's sums over no open positions stay
 * Python ints (`"profit": 0`). Only for one-object answers: the record
 * arrays (100 000 deals) keep the cheaper strict check.
 */
const figure = z.preprocess((value) => (typeof value === "number" && Number.isSafeInteger(value) ? String(value) : value), decimal);
/** Tickets, identifiers, epochs: exact in a double only up to 2^53, so larger ones are refused rather than rounded. */
const integer = z.int();
/** Enum `<field>_name`s are null when the module does not know the value. */
const name = z.string().nullable();

const tradeModeName = z.enum(["demo", "contest", "real"]).nullable();
const marginModeName = z.enum(["retail_netting", "exchange", "retail_hedging"]).nullable();

export const bridgeLoginSchema = z.object({
  login: integer,
  server: z.string(),
  elapsed_ms: integer,
  initialized: z.boolean(),
  switched_server: z.boolean(),
  trade_allowed: z.boolean(),
  currency: z.string(),
  company: z.string(),
  name: z.string(),
  trade_mode: integer,
  trade_mode_name: tradeModeName,
  margin_mode: integer,
  margin_mode_name: marginModeName,
});

export const bridgeAccountInfoSchema = z.object({
  login: integer,
  trade_mode_name: tradeModeName,
  margin_mode_name: marginModeName,
  leverage: integer,
  trade_allowed: z.boolean(),
  currency: z.string(),
  currency_digits: integer,
  balance: figure,
  credit: figure,
  profit: figure,
  equity: figure,
  margin: figure,
  margin_free: figure,
  // Undefined without margin on some builds (NaN → null); nothing reads it.
  margin_level: figure.nullable(),
  name: z.string(),
  server: z.string(),
  company: z.string(),
});

export const bridgePositionSchema = z.object({
  ticket: integer,
  time: integer,
  time_msc: integer,
  time_update: integer,
  type: integer,
  type_name: z.enum(["buy", "sell"]).nullable(),
  // An EA's magic is a 64-bit number: kept as the double it arrives as.
  magic: z.number(),
  identifier: integer,
  reason_name: name,
  volume: decimal,
  price_open: decimal,
  sl: decimal,
  tp: decimal,
  price_current: decimal,
  swap: decimal,
  profit: decimal,
  symbol: z.string(),
  comment: z.string(),
});

export const bridgeDealSchema = z.object({
  ticket: integer,
  order: integer,
  time: integer,
  time_msc: integer,
  type: integer,
  type_name: name,
  entry: integer,
  entry_name: z.enum(["in", "out", "inout", "out_by"]).nullable(),
  magic: z.number(),
  position_id: integer,
  reason_name: name,
  volume: decimal,
  price: decimal,
  commission: decimal,
  swap: decimal,
  profit: decimal,
  fee: decimal,
  symbol: z.string(),
  comment: z.string(),
});

export const bridgeOrderSchema = z.object({
  ticket: integer,
  time_setup: integer,
  time_setup_msc: integer,
  time_done: integer,
  type_name: name,
  state_name: name,
  position_id: integer,
  position_by_id: integer,
  reason_name: name,
  volume_initial: decimal,
  price_open: decimal,
  sl: decimal,
  tp: decimal,
  symbol: z.string(),
  comment: z.string(),
});

export const bridgeSymbolInfoSchema = z.object({
  name: z.string(),
  digits: integer,
  point: decimal,
  trade_calc_mode_name: name,
  trade_tick_size: decimal,
  trade_tick_value: decimal,
  trade_contract_size: decimal,
  volume_min: decimal,
  volume_step: decimal,
  currency_base: z.string(),
  currency_profit: z.string(),
  currency_margin: z.string(),
});

export const bridgeRateSchema = z.object({
  time: integer,
  open: decimal,
  high: decimal,
  low: decimal,
  close: decimal,
  tick_volume: integer,
  spread: integer,
  real_volume: integer,
});

export const bridgeServerTimeOffsetSchema = z.object({
  offset_seconds: integer,
  offset_minutes: integer,
  symbol: z.string(),
  tick_time: integer,
  utc_now: integer,
  residual_seconds: z.number(),
});

export const bridgePingSchema = z.object({
  pong: z.boolean(),
  initialized: z.boolean(),
  login: integer.nullable(),
  server: z.string().nullable(),
  connected: z.boolean().optional(),
});

/** Method → the schema of its `result`: the bridge's whole read-only surface. */
export const BRIDGE_ANSWERS = {
  login: bridgeLoginSchema,
  account_info: bridgeAccountInfoSchema,
  positions: z.array(bridgePositionSchema),
  deals: z.array(bridgeDealSchema),
  orders: z.array(bridgeOrderSchema),
  symbol_info: bridgeSymbolInfoSchema,
  rates: z.array(bridgeRateSchema),
  server_time_offset: bridgeServerTimeOffsetSchema,
  ping: bridgePingSchema,
  shutdown: z.object({ bye: z.boolean() }),
  sim_advance: z.object({ elapsed: decimal, utc_now: integer }),
};

export type BridgeMethod = keyof typeof BRIDGE_ANSWERS;
export type BridgeAnswer<M extends BridgeMethod> = z.output<(typeof BRIDGE_ANSWERS)[M]>;

/** One protocol line: an answer, or a refusal with its code. */
export const bridgeLineSchema = z.discriminatedUnion("ok", [
  z.object({ id: z.union([integer, z.string(), z.null()]), ok: z.literal(true), result: z.unknown() }),
  z.object({
    id: z.union([integer, z.string(), z.null()]),
    ok: z.literal(false),
    error: z.object({ code: z.string(), message: z.string(), mt5_code: integer.nullable().optional() }),
  }),
]);

export const bridgeHelloSchema = z.object({
  event: z.literal("hello"),
  pid: integer,
  simulator: z.boolean(),
  methods: z.array(z.string()),
});

export type ParsedAnswer<T> = { ok: true; value: T } | { ok: false; message: string };

/** The answer to `method`, or what is wrong with it. */
export function parseAnswer<M extends BridgeMethod>(method: M, result: unknown): ParsedAnswer<BridgeAnswer<M>> {
  const schema = BRIDGE_ANSWERS[method] as z.ZodType | undefined;
  // A method off the list (a caller's cast) has no schema: refused, not thrown inside the stdout reader.
  if (!schema) return { ok: false, message: `the MT5 bridge answered ${String(method)}, a method with no answer schema` };
  const parsed = schema.safeParse(result);
  if (parsed.success) return { ok: true, value: parsed.data as BridgeAnswer<M> };
  return { ok: false, message: describeMalformed(`the MT5 bridge's ${method} answer`, result, parsed.error.issues) };
}

/**
 * "the MT5 bridge's deals answer is malformed: record 41 (ticket 28000041),
 * field price: Invalid input: expected string, received null (and 2 more
 * problems)" — the first problem, located; the count of the others.
 */
export function describeMalformed(subject: string, result: unknown, issues: readonly z.core.$ZodIssue[]): string {
  const [first] = issues;
  if (!first) return `${subject} is malformed`;
  const [head, ...rest] = first.path;
  let where: string;
  if (typeof head === "number" && Array.isArray(result)) {
    const ticket = (result[head] as { ticket?: unknown } | null)?.ticket;
    const record = `record ${head}${typeof ticket === "number" ? ` (ticket ${ticket})` : ""}`;
    where = rest.length ? `${record}, field ${rest.join(".")}` : record;
  } else {
    where = first.path.length ? `field ${first.path.join(".")}` : "the answer itself";
  }
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : "";
  return `${subject} is malformed: ${where}: ${first.message}${more}`;
}
