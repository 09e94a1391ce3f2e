// JSON import: an array of trades in our schema (or { "trades": [...] }).
// Each invalid trade becomes a rejected row naming its index and field path;
// valid ones become TradeInput with their legs, or one entry and one exit leg,
// built on demand (planJsonTrades).
import { dec, sum, toDecimalString, type BigNumber } from "../../decimal.ts";
import { normalizeSymbol } from "../../instruments/normalize-symbol.ts";
import type { RejectedRow, TradeInput, TradeLegInput } from "../../trades/types.ts";
import { closeReasonFromComment } from "../csv/cells.ts";
import { parseDateText, toUtc, type UtcTime } from "../csv/dates.ts";
import { tradeFingerprint } from "../fingerprint.ts";
import { formulaCellReason } from "../formula-cells.ts";
import { materialise, type ImportPlan, type SkippedTrade } from "../import-plan.ts";
import type { ImportFileError, ParseOutcome } from "../outcome.ts";
import type { ParseOptions } from "../parse-options.ts";
import { jsonTradeSchema, type JsonTrade } from "./trade-schema.ts";

/** True when the JSON text stops inside a string, array or object. */
export function isJsonCutOff(text: string): boolean {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (const char of text) {
    if (inString) {
      if (escaped) escaped = false;
      else if (char === "\\") escaped = true;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === "[" || char === "{") depth++;
    else if (char === "]" || char === "}") depth--;
  }
  return inString || depth > 0;
}

export function readJson(text: string): { ok: true; value: unknown } | { ok: false; error: ImportFileError } {
  try {
    return { ok: true, value: JSON.parse(text.startsWith("\ufeff") ? text.slice(1) : text) };
  } catch (error) {
    if (isJsonCutOff(text)) {
      return {
        ok: false,
        error: {
          code: "truncated",
          message:
            "The JSON file ends in the middle of a trade (an array, object or string is never closed), so it is cut off. Export it again and upload the complete file.",
        },
      };
    }
    const detail = error instanceof Error ? error.message.replace(/^JSON\.parse: /, "") : "unreadable";
    return {
      ok: false,
      error: { code: "invalid-json", message: `The file is not valid JSON (${detail}). Check the file against our JSON import schema.` },
    };
  }
}

function path(segments: PropertyKey[]): string {
  return segments.map((segment, index) => (typeof segment === "number" ? `[${segment}]` : `${index === 0 ? "" : "."}${String(segment)}`)).join("");
}

function stringValues(item: unknown, prefix = ""): Record<string, string> {
  const values: Record<string, string> = {};
  if (item === null || typeof item !== "object") {
    values[prefix || "value"] = JSON.stringify(item) ?? "";
    return values;
  }
  for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(value)) value.forEach((entry, index) => Object.assign(values, stringValues(entry, `${name}[${index}]`)));
    else if (value !== null && typeof value === "object") Object.assign(values, stringValues(value, name));
    else values[name] = value === null || value === undefined ? "" : String(value);
  }
  return values;
}

const money = (value: string | null | undefined) => dec(value ?? "0");

function buildTrade(trade: JsonTrade, options: ParseOptions): TradeInput | string {
  const time = (text: string, field: string): UtcTime | string => {
    const parsed = parseDateText(text, "dmy");
    return parsed ? toUtc(parsed, null, options.serverTimeZone) : `${field}: ${text} is not a real date`;
  };
  const opened = time(trade.openTime, "openTime");
  if (typeof opened === "string") return opened;
  const closed = trade.closeTime ? time(trade.closeTime, "closeTime") : null;
  if (typeof closed === "string") return closed;
  if (closed && !trade.closePrice) return "closePrice: is required when closeTime is given";
  if (!closed && trade.closePrice) return "closeTime: is required when closePrice is given";
  if (closed && closed.at < opened.at) return "closeTime: is before openTime";
  const direction = trade.side;
  const symbol = normalizeSymbol(trade.symbol);
  const volume = toDecimalString(dec(trade.volume));
  const entryPrice = toDecimalString(dec(trade.openPrice));
  let legs: TradeLegInput[];
  let totals: { profit: BigNumber; commission: BigNumber; swap: BigNumber; fee: BigNumber };
  if (trade.legs) {
    const converted: TradeLegInput[] = [];
    for (const [index, leg] of trade.legs.entries()) {
      const at = time(leg.time, `legs[${index}].time`);
      if (typeof at === "string") return at;
      const expected = leg.kind === "entry" ? direction : direction === "buy" ? "sell" : "buy";
      if (leg.side !== expected) return `legs[${index}].side: an ${leg.kind} leg of a ${direction} trade is "${expected}"`;
      converted.push({
        dealId: leg.dealId ?? null,
        orderId: leg.orderId ?? null,
        kind: leg.kind,
        direction: leg.side,
        executedAt: at.at,
        serverUtcOffsetMinutes: at.offsetMinutes,
        volume: toDecimalString(dec(leg.volume)),
        price: toDecimalString(dec(leg.price)),
        profit: toDecimalString(money(leg.profit)),
        commission: toDecimalString(money(leg.commission)),
        swap: toDecimalString(money(leg.swap)),
        fee: toDecimalString(money(leg.fee)),
        reason: null,
        comment: leg.comment ?? null,
      });
    }
    const entryVolume = sum(converted.filter((leg) => leg.kind === "entry").map((leg) => leg.volume));
    const exitVolume = sum(converted.filter((leg) => leg.kind === "exit").map((leg) => leg.volume));
    if (!entryVolume.eq(volume)) return `legs: entry legs add up to ${toDecimalString(entryVolume)} lots but volume is ${volume}`;
    if (closed && !exitVolume.eq(volume))
      return `legs: exit legs add up to ${toDecimalString(exitVolume)} lots but the closed trade's volume is ${volume}`;
    if (exitVolume.gt(volume)) return `legs: exit legs close ${toDecimalString(exitVolume)} lots, more than the ${volume} opened`;
    legs = converted;
    totals = {
      profit: sum(converted.map((leg) => leg.profit)),
      commission: sum(converted.map((leg) => leg.commission)),
      swap: sum(converted.map((leg) => leg.swap)),
      fee: sum(converted.map((leg) => leg.fee)),
    };
    for (const field of ["profit", "commission", "swap", "fee"] as const) {
      const stated = trade[field];
      if (stated !== null && stated !== undefined && !dec(stated).eq(totals[field])) {
        return `${field}: ${stated} differs from the legs' total ${toDecimalString(totals[field])}`;
      }
    }
  } else {
    totals = { profit: money(trade.profit), commission: money(trade.commission), swap: money(trade.swap), fee: money(trade.fee) };
    const text = {
      profit: toDecimalString(totals.profit),
      commission: toDecimalString(totals.commission),
      swap: toDecimalString(totals.swap),
      fee: toDecimalString(totals.fee),
    };
    const zero = { profit: "0", commission: "0", swap: "0", fee: "0" };
    legs = [
      {
        dealId: null,
        orderId: null,
        kind: "entry",
        direction,
        executedAt: opened.at,
        serverUtcOffsetMinutes: opened.offsetMinutes,
        volume,
        price: entryPrice,
        ...(closed ? zero : text),
        reason: null,
        comment: null,
      },
    ];
    if (closed) {
      legs.push({
        dealId: null,
        orderId: null,
        kind: "exit",
        direction: direction === "buy" ? "sell" : "buy",
        executedAt: closed.at,
        serverUtcOffsetMinutes: closed.offsetMinutes,
        volume,
        price: toDecimalString(dec(trade.closePrice!)),
        ...text,
        reason: null,
        comment: trade.comment ?? null,
      });
    }
  }
  const exitLegs = legs.filter((leg) => leg.kind === "exit");
  const closedVolume = sum(exitLegs.map((leg) => leg.volume));
  const positive = (value: string | null | undefined) => (value && dec(value).gt(0) ? toDecimalString(dec(value)) : null);
  return {
    positionId: trade.positionId ?? tradeFingerprint({ symbol, direction, openedAt: opened.at, volume, entryPrice }),
    symbol,
    brokerSymbol: trade.symbol,
    direction,
    status: closed ? "closed" : "open",
    openedAt: opened.at,
    closedAt: closed ? closed.at : null,
    openServerUtcOffsetMinutes: opened.offsetMinutes,
    closeServerUtcOffsetMinutes: closed ? closed.offsetMinutes : null,
    volume,
    closedVolume: toDecimalString(closedVolume),
    entryPrice,
    exitPrice: closed ? toDecimalString(dec(trade.closePrice!)) : null,
    initialStopLoss: null,
    stopLoss: positive(trade.stopLoss),
    takeProfit: positive(trade.takeProfit),
    grossProfit: toDecimalString(totals.profit),
    commission: toDecimalString(totals.commission),
    swap: toDecimalString(totals.swap),
    fee: toDecimalString(totals.fee),
    pnlSource: "broker",
    profitCurrency: null,
    conversionRate: null,
    pips: null,
    initialRiskAmount: null,
    closeReason: closeReasonFromComment(trade.comment ?? null),
    magic: null,
    comment: trade.comment ?? null,
    raw: null,
    legs,
  };
}

type JsonPlanOutcome = { ok: true; plan: ImportPlan } | { ok: false; error: ImportFileError; format: "json" };

/**
 * The file as a plan (import-plan.ts): every trade is validated and built
 * once up front — which decides what is rejected and each trade's identity —
 * and then dropped; the store asks for the trades again a chunk at a time,
 * and they are rebuilt from their validated fields. A 100,000-trade file
 * thus holds its schema-checked fields (a fraction of the built trades with
 * their legs and Dates) rather than every TradeInput at once, and a
 * re-import's stored positions are never built a second time.
 */
export function planJsonTrades(text: string, options: ParseOptions): JsonPlanOutcome {
  const read = readJson(text);
  if (!read.ok) return { ok: false, error: read.error, format: "json" };
  const value = read.value;
  const items = Array.isArray(value)
    ? value
    : value !== null && typeof value === "object" && Array.isArray((value as { trades?: unknown }).trades)
      ? (value as { trades: unknown[] }).trades
      : null;
  if (!items) {
    return {
      ok: false,
      format: "json",
      error: {
        code: "invalid-json",
        message: 'The JSON must be an array of trades (or an object with a "trades" array), as described in our JSON import schema.',
      },
    };
  }
  if (items.length === 0)
    return { ok: false, format: "json", error: { code: "no-trades", message: "The JSON array is empty, so there is nothing to import." } };
  const accepted: JsonTrade[] = [];
  const positionIds: string[] = [];
  let openCount = 0;
  const rejected: RejectedRow[] = [];
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const values = stringValues(item);
    const reject = (reason: string) => rejected.push({ row: index + 1, reason: `trades[${index}].${reason}`, values });
    const formula = formulaCellReason(values);
    if (formula) {
      rejected.push({ row: index + 1, reason: `trades[${index}]: ${formula}`, values });
      return;
    }
    const result = jsonTradeSchema.safeParse(item);
    if (!result.success) {
      const issues = result.error.issues.map((issue) => `${path(issue.path) || "(trade)"}: ${issue.message}`);
      rejected.push({ row: index + 1, reason: `trades[${index}]: ${issues.join("; ")}`, values });
      return;
    }
    const trade = buildTrade(result.data, options);
    if (typeof trade === "string") {
      reject(trade);
      return;
    }
    const earlier = seen.get(trade.positionId);
    if (earlier !== undefined) {
      rejected.push({ row: index + 1, reason: `trades[${index}]: the same position as trades[${earlier}]; it is imported once`, values });
      return;
    }
    seen.set(trade.positionId, index);
    accepted.push(result.data);
    positionIds.push(trade.positionId);
    if (trade.status === "open") openCount++;
  });
  // The same fields built the same way a second time: they were valid the first.
  const rebuild = (position: number): TradeInput => {
    const trade = buildTrade(accepted[position]!, options);
    if (typeof trade === "string") throw new Error(`trade ${position} of a validated JSON file failed to build again: ${trade}`);
    return trade;
  };
  return {
    ok: true,
    plan: {
      format: "json",
      language: null,
      account: null,
      cash: [],
      rejected,
      warnings: [],
      sourceRowCount: items.length,
      tradeCount: accepted.length,
      openCount,
      positionIds,
      firstTrades: (count) => Array.from({ length: Math.min(count, accepted.length) }, (_, position) => rebuild(position)),
      *tradeChunks(size, skip) {
        for (let start = 0; start < accepted.length; start += size) {
          const end = Math.min(start + size, accepted.length);
          const chunk = new Array<TradeInput | SkippedTrade>(end - start);
          for (let position = start; position < end; position++) {
            const positionId = positionIds[position]!;
            chunk[position - start] = skip?.(positionId) ? { skipped: true, positionId } : rebuild(position);
          }
          yield chunk;
        }
      },
    },
  };
}

/** Every trade at once (tests and the synchronous callers). */
export function parseJsonTrades(text: string, options: ParseOptions): ParseOutcome {
  const outcome = planJsonTrades(text, options);
  return outcome.ok ? { ok: true, parsed: materialise(outcome.plan) } : outcome;
}
