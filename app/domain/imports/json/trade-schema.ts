// Our JSON import schema (docs/imports/json-schema.md): an array of trades,
// money, prices and volumes as decimal strings (JSON numbers are accepted and
// read as the text they were written as), times as ISO 8601.
import * as z from "zod";

const DECIMAL = /^-?\d+(?:\.\d+)?$/;

export const decimalValue = z
  .union([z.string(), z.number()])
  .transform((value) => (typeof value === "number" ? String(value) : value.trim()))
  .refine((value) => DECIMAL.test(value), { message: 'must be a decimal number such as "1.12895" or "-2.5"' });

const positiveDecimal = decimalValue.refine((value) => Number(value) > 0, { message: "must be above zero" });

// The time text is checked here and converted later (it may need the server zone).
export const isoTime = z.string().regex(/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?$/, {
  message: 'must be an ISO 8601 time such as "2025-04-15T14:11:31Z"',
});

const side = z.enum(["buy", "sell"], { message: 'must be "buy" or "sell"' });
const optionalText = (max: number) => z.string().max(max).nullish();

export const jsonLegSchema = z.object({
  kind: z.enum(["entry", "exit"], { message: 'must be "entry" or "exit"' }),
  side,
  time: isoTime,
  volume: positiveDecimal,
  price: positiveDecimal,
  profit: decimalValue.optional(),
  commission: decimalValue.optional(),
  swap: decimalValue.optional(),
  fee: decimalValue.optional(),
  dealId: optionalText(100),
  orderId: optionalText(100),
  comment: optionalText(500),
});

export const jsonTradeSchema = z.object({
  positionId: z.string().min(1).max(100).nullish(),
  symbol: z.string().trim().min(1, { message: "is empty" }).max(40),
  side,
  openTime: isoTime,
  closeTime: isoTime.nullish(),
  volume: positiveDecimal,
  openPrice: positiveDecimal,
  closePrice: positiveDecimal.nullish(),
  stopLoss: decimalValue.nullish(),
  takeProfit: decimalValue.nullish(),
  profit: decimalValue.nullish(),
  commission: decimalValue.nullish(),
  swap: decimalValue.nullish(),
  fee: decimalValue.nullish(),
  comment: optionalText(500),
  legs: z.array(jsonLegSchema).min(1).nullish(),
});

export type JsonTrade = z.infer<typeof jsonTradeSchema>;
export type JsonLeg = z.infer<typeof jsonLegSchema>;
