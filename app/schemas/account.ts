// One schema per form on the accounts pages (account details, delete
// confirmation, instrument override, override removal), shared by the page
// (checked before submitting) and its action (checked again, always).
import * as z from "zod/mini";
import { parseBrokerNumber, toDecimalString } from "~/domain/decimal.ts";
import { normalizeSymbol } from "~/domain/instruments/normalize-symbol.ts";
import { isTimeZone } from "./fields.ts";

/** The hint a refused form answers with when the plan's limit is reached: show the upgrade prompt. */
export const UPGRADE_HINT = "upgrade";

/** Most MT5 brokers' clock: New York + 7 hours (GMT+2 in winter, GMT+3 in summer). */
export const NEW_YORK_CLOSE_ZONE = "NY+7";

export const MARGIN_MODES = ["hedging", "netting"] as const;
export type MarginMode = (typeof MARGIN_MODES)[number];

/** app/domain/instruments/types.ts CalculationMode, as the database accepts it. */
export const CALCULATION_MODES = ["forex", "forex-no-leverage", "cfd", "cfd-index", "cfd-leverage", "futures"] as const;

/** Suggestions for the currency field; any 3–4 capital letters are accepted (the database's rule). */
export const COMMON_CURRENCIES = [
  "USD",
  "EUR",
  "GBP",
  "JPY",
  "CHF",
  "CAD",
  "AUD",
  "NZD",
  "SGD",
  "HKD",
  "ZAR",
  "PLN",
  "CZK",
  "HUF",
  "SEK",
  "NOK",
  "DKK",
  "MXN",
  "TRY",
  "INR",
  "USC",
  "EUC",
  "USDT",
  "BTC",
  "ETH",
] as const;

/** Anything but missing: form fields arrive as strings, absent ones as undefined. */
const text = z.pipe(
  z.optional(z.string()),
  z.transform((value: string | undefined) => (value ?? "").trim()),
);

function exactDecimal(value: string): string | null {
  const parsed = parseBrokerNumber(value);
  return parsed === null ? null : toDecimalString(parsed);
}

/** Up to 15 digits before the point and 10 after: enough for any balance or contract spec. */
function isReasonableDecimal(value: string): boolean {
  const exact = exactDecimal(value);
  return exact !== null && /^-?\d{1,15}(\.\d{1,10})?$/.test(exact);
}

export function isServerTimeZone(value: string): boolean {
  return value === NEW_YORK_CLOSE_ZONE || isTimeZone(value);
}

const CURRENCY = /^[A-Z]{3,4}$/;

export const accountSchema = z.object({
  name: z.pipe(text, z.string().check(z.minLength(1, "Name the account."), z.maxLength(80, "Keep the name under 80 characters."))),
  broker: z.pipe(
    text,
    z.pipe(
      z.string().check(z.maxLength(120, "Keep the broker name under 120 characters.")),
      z.transform((value: string) => value || null),
    ),
  ),
  currency: z.pipe(
    z.pipe(
      text,
      z.transform((value: string) => value.toUpperCase()),
    ),
    z.string().check(
      z.minLength(1, "Enter the account currency, like USD."),
      z.refine((value: string) => value === "" || CURRENCY.test(value), "Use a 3- or 4-letter currency code, like USD, EUR or USC."),
    ),
  ),
  initialBalance: z.pipe(
    z.pipe(
      text,
      z.transform((value: string) => value || "0"),
    ),
    z.pipe(
      z.string().check(
        z.refine(isReasonableDecimal, "Enter the starting balance as a number, like 10000 or 2500.50."),
        z.refine((value: string) => !isReasonableDecimal(value) || !exactDecimal(value)!.startsWith("-"), "The starting balance can't be negative."),
      ),
      z.transform((value: string) => exactDecimal(value)!),
    ),
  ),
  serverTimeZone: z.pipe(text, z.string().check(z.refine(isServerTimeZone, "Choose the broker's server time zone from the list."))),
  marginMode: z.enum(MARGIN_MODES, { error: "Choose hedging or netting." }),
});

export type AccountInput = z.output<typeof accountSchema>;

export const deleteAccountConfirmationSchema = z.object({
  confirmed: z.literal("yes", { error: "Tick the box to confirm that everything listed will be deleted." }),
});

function optionalPositiveDecimal(label: string) {
  return z.pipe(
    text,
    z.pipe(
      z.string().check(
        z.refine((value: string) => value === "" || isReasonableDecimal(value), `Enter the ${label} as a number, like 0.0001.`),
        z.refine(
          (value: string) => value === "" || !isReasonableDecimal(value) || Number(exactDecimal(value)) > 0,
          `The ${label} must be greater than 0.`,
        ),
      ),
      z.transform((value: string) => (value === "" ? null : exactDecimal(value)!)),
    ),
  );
}

const OVERRIDE_FIELDS = ["contractSize", "point", "pipSize", "tickSize", "tickValue", "digits", "profitCurrency", "calculationMode"] as const;

export const instrumentOverrideSchema = z
  .object({
    symbol: z.pipe(
      text,
      z.pipe(
        z.string().check(
          z.minLength(1, "Enter the symbol, like EURUSD or XAUUSD."),
          z.maxLength(60, "That symbol is too long."),
          z.refine((value: string) => value === "" || /^[\w.#!+-]+$/.test(value), "Use the symbol as your broker shows it, like EURUSD.z."),
        ),
        z.transform((value: string) => (value === "" ? "" : normalizeSymbol(value))),
      ),
    ),
    contractSize: optionalPositiveDecimal("contract size"),
    point: optionalPositiveDecimal("point"),
    pipSize: optionalPositiveDecimal("pip size"),
    tickSize: optionalPositiveDecimal("tick size"),
    tickValue: optionalPositiveDecimal("tick value"),
    digits: z.pipe(
      text,
      z.pipe(
        z
          .string()
          .check(
            z.refine((value: string) => value === "" || (/^\d{1,2}$/.test(value) && Number(value) <= 10), "Digits is a whole number from 0 to 10."),
          ),
        z.transform((value: string) => (value === "" ? null : Number(value))),
      ),
    ),
    profitCurrency: z.pipe(
      z.pipe(
        text,
        z.transform((value: string) => value.toUpperCase()),
      ),
      z.pipe(
        z.string().check(z.refine((value: string) => value === "" || CURRENCY.test(value), "Use a 3- or 4-letter currency code, like USD or JPY.")),
        z.transform((value: string) => value || null),
      ),
    ),
    calculationMode: z.pipe(
      text,
      z.pipe(
        z
          .string()
          .check(
            z.refine(
              (value: string) => value === "" || (CALCULATION_MODES as readonly string[]).includes(value),
              "Choose a calculation mode from the list.",
            ),
          ),
        z.transform((value: string) => (value === "" ? null : (value as (typeof CALCULATION_MODES)[number]))),
      ),
    ),
  })
  .check(
    z.refine((form) => OVERRIDE_FIELDS.some((field) => form[field] !== null), {
      path: ["contractSize"],
      message: "Fill in at least one value to override; leave the rest empty to keep the catalogue's.",
    }),
  );

export type InstrumentOverrideInput = z.output<typeof instrumentOverrideSchema>;

export const removeInstrumentOverrideSchema = z.object({
  symbol: z.pipe(text, z.string().check(z.minLength(1, "Choose the symbol to remove."), z.maxLength(40))),
});
