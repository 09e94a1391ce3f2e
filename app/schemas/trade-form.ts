// The manual trade form (/trades/new and /trades/<id>/edit): one schema, run
// by the browser before submitting and by the action always. What it needs to
// know beyond the typed values — the user's accounts and their currencies, the
// user's time zone, whether the initial stop is already fixed — comes in as
// context, so both sides build the same schema from the same facts.
//
// Times are typed in the user's time zone (datetime-local) and come out as UTC.
import * as z from "zod/mini";
import { dec, toDecimalString } from "~/domain/decimal.ts";
import { resolveInstrument, type InstrumentOverrides } from "~/domain/instruments/catalogue.ts";
import { normalizeSymbol } from "~/domain/instruments/normalize-symbol.ts";
import { impliedConversionRate, parseConversionRate, stopIsOnRiskSide, targetIsOnProfitSide } from "~/domain/trades/pnl.ts";
import { rateFromQuotes, type ManualTradeValues } from "~/domain/trades/manual-trade.ts";
import { serverTimeToUtc } from "~/domain/server-time.ts";

/** FormResult.hint when the free plan's monthly limit stops a new trade; the form shows the upgrade prompt. */
export const MONTHLY_LIMIT_HINT = "monthly_trade_limit";
/** Where the upgrade prompt sends people: the plans on the landing page (there is no billing page yet). */
export const UPGRADE_PATH = "/pricing";

export interface TradeFormContext {
  accounts: readonly { id: string; currency: string }[];
  /** IANA zone the date-time fields are typed in. */
  timeZone: string;
  /** Per-account instrument overrides, keyed by account id then canonical symbol. */
  overrides?: Readonly<Record<string, InstrumentOverrides>>;
  /**
   * Editing a trade whose initial stop is already stored (write-once): the
   * stop-loss field is then the CURRENT stop, which may have trailed past the
   * entry, so only the stored initial stop is held to the risk side.
   */
  lockedInitialStopLoss?: string | null;
  /** Latest cached FX closes (symbol → price): a blank rate falls back to them, as the form prefills it. */
  quotes?: Readonly<Record<string, string>>;
  /** For the "not in the future" check; tests pin it. */
  now?: Date;
}

export const TRADE_FORM_FIELDS = [
  "accountId",
  "symbol",
  "side",
  "openedAt",
  "entryPrice",
  "closedAt",
  "exitPrice",
  "lots",
  "stopLoss",
  "takeProfit",
  "commission",
  "swap",
  "fee",
  "brokerProfit",
  "conversionRate",
  "contractSize",
  "profitCurrency",
  "comment",
] as const;
export type TradeFormField = (typeof TRADE_FORM_FIELDS)[number];

/** What the form yields: the domain's ManualTradeValues. */
export type TradeFormValues = ManualTradeValues;

const MAX_PRICE_LENGTH = 24;
const DECIMAL = /^\d+(?:\.\d+)?$/;
const SIGNED_DECIMAL = /^-?\d+(?:\.\d+)?$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** "1,08250" → "1.08250"; "− 2.50" → "-2.50"; "" → null. */
function cleanNumber(value: string | undefined): string | null {
  const text = (value ?? "")
    .trim()
    .replace(/[\s\u00a0]/g, "")
    .replace(/\u2212/g, "-")
    .replace(",", ".");
  return text === "" ? null : text;
}

function parseLocalDateTime(value: string, timeZone: string): Date | null {
  const match = DATE_TIME.exec(value.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as number[];
  const probe = new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!));
  if (probe.getUTCMonth() !== month! - 1 || probe.getUTCDate() !== day! || hour! > 23 || minute! > 59 || second! > 59) return null;
  return serverTimeToUtc({ year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: second! }, timeZone).at;
}

const rawField = z.optional(z.string());

export function tradeFormSchema(context: TradeFormContext) {
  return z.pipe(
    z.object(Object.fromEntries(TRADE_FORM_FIELDS.map((field) => [field, rawField])) as Record<TradeFormField, typeof rawField>),
    z.transform((raw, payload): TradeFormValues => {
      const fail = (field: TradeFormField, message: string) => {
        payload.issues.push({ code: "custom", message, path: [field], input: raw[field] });
      };
      const now = context.now ?? new Date();

      const account = context.accounts.find((candidate) => candidate.id === raw.accountId);
      if (!account) fail("accountId", context.accounts.length ? "Choose one of your accounts." : "Add an account first, then record trades in it.");

      const typedSymbol = (raw.symbol ?? "").trim();
      const symbol = normalizeSymbol(typedSymbol);
      if (!typedSymbol) fail("symbol", "Enter the symbol, like EURUSD.");
      else if (typedSymbol.length > 40 || !/^[A-Za-z0-9._#!+\-/ ]+$/.test(typedSymbol))
        fail("symbol", "Use the symbol as your broker writes it, like EURUSD or US30.cash.");

      const direction = raw.side === "buy" || raw.side === "sell" ? raw.side : null;
      if (!direction) fail("side", "Choose buy or sell.");

      const positive = (field: TradeFormField, label: string, required: boolean): string | null => {
        const text = cleanNumber(raw[field]);
        if (text === null) {
          if (required) fail(field, `Enter the ${label}.`);
          return null;
        }
        if (text.length > MAX_PRICE_LENGTH || !DECIMAL.test(text) || dec(text).lte(0)) {
          fail(field, `Enter the ${label} as a positive number, like 1.08250.`);
          return null;
        }
        // Kept as typed: prices show the digits the broker quoted ("1.08250").
        return text;
      };
      const signed = (field: TradeFormField, label: string): string | null => {
        const text = cleanNumber(raw[field]);
        if (text === null) return null;
        if (text.length > MAX_PRICE_LENGTH || !SIGNED_DECIMAL.test(text)) {
          fail(field, `Enter the ${label} as a number, like -3.50.`);
          return null;
        }
        return text === "-0" ? "0" : text;
      };
      const dateTime = (field: TradeFormField, label: string, required: boolean): Date | null => {
        const text = (raw[field] ?? "").trim();
        if (!text) {
          if (required) fail(field, `Enter the ${label}.`);
          return null;
        }
        const at = parseLocalDateTime(text, context.timeZone);
        if (!at) fail(field, `Enter the ${label} as a date and time.`);
        else if (at.getTime() > now.getTime() + 60_000) fail(field, `The ${label} can't be in the future.`);
        return at;
      };

      const openedAt = dateTime("openedAt", "open date and time", true);
      const entryPrice = positive("entryPrice", "entry price", true);
      const closedAt = dateTime("closedAt", "close date and time", false);
      const exitPrice = positive("exitPrice", "exit price", false);
      const hasClose = Boolean((raw.closedAt ?? "").trim());
      const hasExit = cleanNumber(raw.exitPrice) !== null;
      if (hasClose && !hasExit) fail("exitPrice", "Enter the exit price too, or clear the close time for an open trade.");
      if (hasExit && !hasClose) fail("closedAt", "Enter the close time too, or clear the exit price for an open trade.");
      if (openedAt && closedAt && closedAt < openedAt) fail("closedAt", "The close can't be before the open.");

      let lots: string | null = null;
      const lotsText = cleanNumber(raw.lots);
      if (lotsText === null) fail("lots", "Enter the volume in lots.");
      else if (!DECIMAL.test(lotsText) || lotsText.length > 12) fail("lots", "Enter the volume in lots, like 0.10.");
      else if (dec(lotsText).lt("0.01") || dec(lotsText).gt(100)) fail("lots", "Lots go from 0.01 to 100.");
      else if (!dec(lotsText).times(100).mod(1).eq(0)) fail("lots", "Use steps of 0.01 lots.");
      else lots = lotsText;

      const stopLoss = positive("stopLoss", "stop loss", false);
      const takeProfit = positive("takeProfit", "take profit", false);
      if (direction && entryPrice) {
        const locked = context.lockedInitialStopLoss ?? null;
        if (stopLoss && !locked && !stopIsOnRiskSide(direction, entryPrice, stopLoss)) {
          fail(
            "stopLoss",
            direction === "buy" ? "On a buy the stop loss goes below the entry price." : "On a sell the stop loss goes above the entry price.",
          );
        }
        if (takeProfit && !targetIsOnProfitSide(direction, entryPrice, takeProfit)) {
          fail(
            "takeProfit",
            direction === "buy" ? "On a buy the take profit goes above the entry price." : "On a sell the take profit goes below the entry price.",
          );
        }
      }

      const commission = signed("commission", "commission") ?? "0";
      const swap = signed("swap", "swap") ?? "0";
      const fee = signed("fee", "fee") ?? "0";
      const brokerProfit = signed("brokerProfit", "broker-reported profit");

      const rateText = (raw.conversionRate ?? "").trim();
      const rate = rateText ? parseConversionRate(rateText) : null;
      if (rateText && !rate) fail("conversionRate", "Enter the rate as a positive number, like 1.0842 or 1/141.5.");

      const contractSize = positive("contractSize", "contract size", false);
      const profitCurrencyText = (raw.profitCurrency ?? "").trim().toUpperCase();
      if (profitCurrencyText && !/^[A-Z]{3,4}$/.test(profitCurrencyText)) fail("profitCurrency", "Enter a currency code, like USD.");
      const typedOverride = {
        ...(contractSize ? { contractSize } : {}),
        ...(/^[A-Z]{3,4}$/.test(profitCurrencyText) ? { profitCurrency: profitCurrencyText } : {}),
      };
      const accountOverrides = (account && context.overrides?.[account.id]) || {};
      const spec = symbol ? resolveInstrument(symbol, { ...accountOverrides, [symbol]: { ...accountOverrides[symbol], ...typedOverride } }) : null;

      const comment = (raw.comment ?? "").trim();
      if (comment.length > 500) fail("comment", "Keep the comment under 500 characters.");

      const quotedRate = () => {
        const quoted = spec && account && context.quotes ? rateFromQuotes(spec.profitCurrency, account.currency, context.quotes) : null;
        return quoted ? parseConversionRate(quoted) : null;
      };

      // What the P&L needs: a closed trade without the broker's figure is computed,
      // which takes the instrument and, unless the trade implies it, a rate.
      const closed = hasClose && hasExit;
      if (closed && brokerProfit === null && symbol && account) {
        if (!spec) {
          if (!contractSize) fail("contractSize", `We don't know ${symbol}'s contract size. Enter it, or the broker-reported profit.`);
          if (!profitCurrencyText) fail("profitCurrency", `Enter the currency ${symbol}'s profit is paid in.`);
        } else if (!rate && !impliedConversionRate(spec, account.currency, exitPrice) && !quotedRate()) {
          fail(
            "conversionRate",
            `Enter the ${spec.profitCurrency} → ${account.currency} rate at the close (1 ${spec.profitCurrency} = ? ${account.currency}), or the broker-reported profit.`,
          );
        }
      }

      return {
        accountId: account?.id ?? "",
        accountCurrency: account?.currency ?? "",
        symbol,
        brokerSymbol: typedSymbol,
        direction: direction ?? "buy",
        openedAt: openedAt ?? new Date(0),
        closedAt: closed ? closedAt : null,
        entryPrice: entryPrice ?? "0",
        exitPrice: closed ? exitPrice : null,
        lots: lots ?? "0",
        stopLoss,
        takeProfit,
        commission,
        swap,
        fee,
        brokerProfit,
        conversionRate: rate
          ? toDecimalString(rate)
          : closed && brokerProfit === null && spec && account && !impliedConversionRate(spec, account.currency, exitPrice)
            ? (quotedRate() && toDecimalString(quotedRate()!)) || null
            : null,
        spec,
        comment: comment || null,
      };
    }),
  );
}

/** Formats a UTC instant for a datetime-local input in the user's zone ("2026-03-02T10:15"). */
export function toLocalDateTimeInput(at: Date | string | null | undefined, timeZone: string): string {
  if (!at) return "";
  const date = typeof at === "string" ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) return "";
  const parts: Record<string, string> = {};
  for (const part of new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  }).formatToParts(date)) {
    parts[part.type] = part.value;
  }
  const seconds = parts.second && parts.second !== "00" ? `:${parts.second}` : "";
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}${seconds}`;
}
