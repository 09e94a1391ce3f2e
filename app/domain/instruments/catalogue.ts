// Symbol metadata for the markets retail MT5 traders trade most, as a typical
// broker's symbol_info reports it (../shared/reference/mt5.md §1). Brokers
// differ — contract sizes of index and crypto CFDs above all — so every value
// here can be overridden per account (InstrumentOverride); the comments say
// where the differences are. Unknown symbols resolve to null and the caller
// asks the user for what it needs.
import { decimalPlaces } from "../decimal.ts";
import type { CalculationMode, InstrumentClass, InstrumentSpec } from "./types.ts";
import { normalizeSymbol } from "./normalize-symbol.ts";

/** Per-account corrections to the catalogue, keyed by canonical symbol. */
export type InstrumentOverride = Partial<InstrumentSpec>;
export type InstrumentOverrides = Readonly<Record<string, InstrumentOverride>>;

const CURRENCY_NAMES: Record<string, string> = {
  EUR: "Euro",
  GBP: "British Pound",
  AUD: "Australian Dollar",
  NZD: "New Zealand Dollar",
  USD: "US Dollar",
  CAD: "Canadian Dollar",
  CHF: "Swiss Franc",
  JPY: "Japanese Yen",
  SEK: "Swedish Krona",
  NOK: "Norwegian Krone",
  DKK: "Danish Krone",
  PLN: "Polish Zloty",
  TRY: "Turkish Lira",
  ZAR: "South African Rand",
  MXN: "Mexican Peso",
  SGD: "Singapore Dollar",
  HKD: "Hong Kong Dollar",
};

// The eight majors in market-convention order: a pair is always written with
// the earlier currency as its base (EURGBP, never GBPEUR).
const MAJORS = ["EUR", "GBP", "AUD", "NZD", "USD", "CAD", "CHF", "JPY"] as const;

// FX: 1 lot = 100 000 units of the base currency at every retail broker;
// quotes have 5 digits (3 for JPY), a pip is 10 points. Calculation mode is
// Forex everywhere; profit is in the quote currency.
function forexPair(base: string, quote: string, instrumentClass: InstrumentClass): InstrumentSpec {
  const jpy = quote === "JPY";
  return {
    symbol: base + quote,
    description: `${CURRENCY_NAMES[base]} vs ${CURRENCY_NAMES[quote]}`,
    class: instrumentClass,
    calculationMode: "forex",
    contractSize: "100000",
    point: jpy ? "0.001" : "0.00001",
    pipSize: jpy ? "0.01" : "0.0001",
    tickSize: jpy ? "0.001" : "0.00001",
    tickValue: null,
    digits: jpy ? 3 : 5,
    baseCurrency: base,
    profitCurrency: quote,
  };
}

function forexPairs(): InstrumentSpec[] {
  const pairs: InstrumentSpec[] = [];
  for (let i = 0; i < MAJORS.length; i++) {
    for (let j = i + 1; j < MAJORS.length; j++) {
      const base = MAJORS[i]!;
      const quote = MAJORS[j]!;
      const instrumentClass: InstrumentClass = base === "USD" || quote === "USD" ? "forex-major" : quote === "JPY" ? "forex-cross" : "forex-minor";
      pairs.push(forexPair(base, quote, instrumentClass));
    }
  }
  // Exotics most brokers list; same 100 000 contract and 5 digits.
  for (const [base, quote] of [
    ["USD", "SEK"],
    ["USD", "NOK"],
    ["USD", "DKK"],
    ["USD", "PLN"],
    ["USD", "TRY"],
    ["USD", "ZAR"],
    ["USD", "MXN"],
    ["USD", "SGD"],
    ["USD", "HKD"],
    ["EUR", "SEK"],
    ["EUR", "NOK"],
    ["EUR", "PLN"],
    ["EUR", "TRY"],
  ] as const) {
    pairs.push(forexPair(base, quote, "other"));
  }
  return pairs;
}

interface CfdFields {
  symbol: string;
  description: string;
  class: InstrumentClass;
  contractSize: string;
  digits: number;
  pipSize: string;
  profitCurrency: string;
  baseCurrency?: string | null;
  calculationMode?: CalculationMode;
}

function cfd(fields: CfdFields): InstrumentSpec {
  const point = fields.digits === 0 ? "1" : `0.${"0".repeat(fields.digits - 1)}1`;
  return {
    symbol: fields.symbol,
    description: fields.description,
    class: fields.class,
    calculationMode: fields.calculationMode ?? "cfd",
    contractSize: fields.contractSize,
    point,
    pipSize: fields.pipSize,
    tickSize: point,
    tickValue: null,
    digits: fields.digits,
    baseCurrency: fields.baseCurrency ?? null,
    profitCurrency: fields.profitCurrency,
  };
}

// Metals: most brokers run them in Forex calculation mode (CFD at some), which
// gives the same profit. Gold 100 oz and silver 5 000 oz per lot are near
// universal; a gold "pip" is 0.10 by the common journal convention (10 points
// on a 2-digit quote), a silver pip 0.01.
const METALS: InstrumentSpec[] = [
  cfd({
    symbol: "XAUUSD",
    description: "Gold vs US Dollar",
    class: "metal",
    contractSize: "100",
    digits: 2,
    pipSize: "0.1",
    profitCurrency: "USD",
    baseCurrency: "XAU",
    calculationMode: "forex",
  }),
  cfd({
    symbol: "XAUEUR",
    description: "Gold vs Euro",
    class: "metal",
    contractSize: "100",
    digits: 2,
    pipSize: "0.1",
    profitCurrency: "EUR",
    baseCurrency: "XAU",
    calculationMode: "forex",
  }),
  cfd({
    symbol: "XAGUSD",
    description: "Silver vs US Dollar",
    class: "metal",
    contractSize: "5000",
    digits: 3,
    pipSize: "0.01",
    profitCurrency: "USD",
    baseCurrency: "XAG",
    calculationMode: "forex",
  }),
  // Platinum and palladium: 100 oz at most brokers, 50 oz at a few.
  cfd({
    symbol: "XPTUSD",
    description: "Platinum vs US Dollar",
    class: "metal",
    contractSize: "100",
    digits: 2,
    pipSize: "0.1",
    profitCurrency: "USD",
    baseCurrency: "XPT",
  }),
  cfd({
    symbol: "XPDUSD",
    description: "Palladium vs US Dollar",
    class: "metal",
    contractSize: "100",
    digits: 2,
    pipSize: "0.1",
    profitCurrency: "USD",
    baseCurrency: "XPD",
  }),
];

// Cash index CFDs: 1 unit of the index per lot at most brokers (IC Markets,
// Pepperstone, FTMO's ".cash"); some use 10 (US500, JP225 at a few), 0.1 or
// 100 (JP225 at yen-quoted brokers), so check one trade against the broker's
// figure and override when it differs. Digits vary too (1 or 2). A "pip" on an
// index is one index point.
const INDICES: InstrumentSpec[] = [
  cfd({ symbol: "US30", description: "Dow Jones 30", class: "index", contractSize: "1", digits: 2, pipSize: "1", profitCurrency: "USD" }),
  cfd({ symbol: "US500", description: "S&P 500", class: "index", contractSize: "1", digits: 2, pipSize: "1", profitCurrency: "USD" }),
  cfd({ symbol: "NAS100", description: "Nasdaq 100", class: "index", contractSize: "1", digits: 2, pipSize: "1", profitCurrency: "USD" }),
  cfd({ symbol: "GER40", description: "DAX 40 (Germany)", class: "index", contractSize: "1", digits: 2, pipSize: "1", profitCurrency: "EUR" }),
  cfd({ symbol: "UK100", description: "FTSE 100 (UK)", class: "index", contractSize: "1", digits: 2, pipSize: "1", profitCurrency: "GBP" }),
  cfd({ symbol: "FRA40", description: "CAC 40 (France)", class: "index", contractSize: "1", digits: 2, pipSize: "1", profitCurrency: "EUR" }),
  cfd({ symbol: "EU50", description: "Euro Stoxx 50", class: "index", contractSize: "1", digits: 2, pipSize: "1", profitCurrency: "EUR" }),
  cfd({ symbol: "ESP35", description: "IBEX 35 (Spain)", class: "index", contractSize: "1", digits: 2, pipSize: "1", profitCurrency: "EUR" }),
  cfd({ symbol: "JP225", description: "Nikkei 225 (Japan)", class: "index", contractSize: "1", digits: 2, pipSize: "1", profitCurrency: "JPY" }),
  cfd({ symbol: "AUS200", description: "ASX 200 (Australia)", class: "index", contractSize: "1", digits: 2, pipSize: "1", profitCurrency: "AUD" }),
  cfd({ symbol: "HK50", description: "Hang Seng 50 (Hong Kong)", class: "index", contractSize: "1", digits: 2, pipSize: "1", profitCurrency: "HKD" }),
];

// Crypto CFDs: 1 coin per lot at most brokers for BTC, ETH, LTC, BCH, SOL;
// the small coins differ widely (XRP, ADA, DOGE: 1, 100, 1 000 or 10 000 per
// lot), so those are the first candidates for an override. Profit in USD.
const CRYPTO: InstrumentSpec[] = [
  cfd({
    symbol: "BTCUSD",
    description: "Bitcoin vs US Dollar",
    class: "crypto",
    contractSize: "1",
    digits: 2,
    pipSize: "1",
    profitCurrency: "USD",
    baseCurrency: "BTC",
  }),
  cfd({
    symbol: "ETHUSD",
    description: "Ethereum vs US Dollar",
    class: "crypto",
    contractSize: "1",
    digits: 2,
    pipSize: "0.1",
    profitCurrency: "USD",
    baseCurrency: "ETH",
  }),
  cfd({
    symbol: "LTCUSD",
    description: "Litecoin vs US Dollar",
    class: "crypto",
    contractSize: "1",
    digits: 2,
    pipSize: "0.01",
    profitCurrency: "USD",
    baseCurrency: "LTC",
  }),
  cfd({
    symbol: "BCHUSD",
    description: "Bitcoin Cash vs US Dollar",
    class: "crypto",
    contractSize: "1",
    digits: 2,
    pipSize: "0.01",
    profitCurrency: "USD",
    baseCurrency: "BCH",
  }),
  cfd({
    symbol: "SOLUSD",
    description: "Solana vs US Dollar",
    class: "crypto",
    contractSize: "1",
    digits: 2,
    pipSize: "0.01",
    profitCurrency: "USD",
    baseCurrency: "SOL",
  }),
  cfd({
    symbol: "XRPUSD",
    description: "Ripple vs US Dollar",
    class: "crypto",
    contractSize: "1",
    digits: 5,
    pipSize: "0.0001",
    profitCurrency: "USD",
    baseCurrency: "XRP",
  }),
  cfd({
    symbol: "ADAUSD",
    description: "Cardano vs US Dollar",
    class: "crypto",
    contractSize: "1",
    digits: 5,
    pipSize: "0.0001",
    profitCurrency: "USD",
    baseCurrency: "ADA",
  }),
  cfd({
    symbol: "DOGEUSD",
    description: "Dogecoin vs US Dollar",
    class: "crypto",
    contractSize: "1",
    digits: 5,
    pipSize: "0.0001",
    profitCurrency: "USD",
    baseCurrency: "DOGE",
  }),
];

export const CATALOGUE: ReadonlyMap<string, InstrumentSpec> = new Map(
  [...forexPairs(), ...METALS, ...INDICES, ...CRYPTO].map((spec) => [spec.symbol, spec]),
);

/** Canonical symbols for pickers, majors first. */
export const CATALOGUE_SYMBOLS: readonly string[] = [...CATALOGUE.values()]
  .sort((a, b) => classOrder(a.class) - classOrder(b.class) || a.symbol.localeCompare(b.symbol))
  .map((spec) => spec.symbol);

function classOrder(instrumentClass: InstrumentClass): number {
  return ["forex-major", "metal", "index", "forex-minor", "forex-cross", "crypto", "other", "energy"].indexOf(instrumentClass);
}

const REQUIRED_FOR_UNKNOWN = ["contractSize", "profitCurrency"] as const;

/**
 * The spec for a symbol (broker spelling accepted), with the account's
 * overrides merged over the catalogue. An override can also define a symbol
 * the catalogue lacks, when it gives at least a contract size and profit
 * currency. Null when nothing is known: the caller asks the user.
 */
export function resolveInstrument(symbol: string, overrides?: InstrumentOverrides): InstrumentSpec | null {
  const canonical = normalizeSymbol(symbol);
  if (!canonical) return null;
  const override = overrides?.[canonical];
  const known = CATALOGUE.get(canonical);
  if (known) return override ? { ...known, ...definedFields(override), symbol: canonical } : known;
  if (!override || REQUIRED_FOR_UNKNOWN.some((field) => !override[field])) return null;
  const point = override.point ?? override.tickSize ?? "0.00001";
  return {
    description: canonical,
    class: "other",
    calculationMode: "cfd",
    pipSize: point,
    tickSize: point,
    tickValue: null,
    digits: decimalPlaces(point),
    baseCurrency: null,
    ...definedFields(override),
    point,
    contractSize: override.contractSize!,
    profitCurrency: override.profitCurrency!,
    symbol: canonical,
  };
}

function definedFields(override: InstrumentOverride): InstrumentOverride {
  return Object.fromEntries(Object.entries(override).filter(([, value]) => value !== undefined && value !== null)) as InstrumentOverride;
}
