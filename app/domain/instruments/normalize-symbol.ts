// Broker symbols carry suffixes and prefixes ("EURUSD.Z", "eurusd.p",
// "m.EURUSD", "XAUUSDm", "US30.cash") and brokers give the same market
// different names ("GOLD", "DJ30", "USTEC", "DE40"); trades are stored under
// one canonical name so statistics per symbol do not split by broker naming.
// The broker's own spelling is kept beside it (trades.broker_symbol).

/** ISO codes that make a six-letter name a currency pair ("EURUSDm" → "EURUSD"). */
const CURRENCIES = new Set([
  "USD",
  "EUR",
  "GBP",
  "JPY",
  "CHF",
  "CAD",
  "AUD",
  "NZD",
  "SEK",
  "NOK",
  "DKK",
  "PLN",
  "HUF",
  "CZK",
  "TRY",
  "ZAR",
  "MXN",
  "SGD",
  "HKD",
  "CNH",
  "RUB",
  "ILS",
  "THB",
  "INR",
  "KRW",
  "BRL",
  "XAU",
  "XAG",
  "XPT",
  "XPD",
]);

/** Other names brokers use for the same market, each → the canonical name. */
const ALIASES: Readonly<Record<string, string>> = {
  GOLD: "XAUUSD",
  XAU: "XAUUSD",
  SILVER: "XAGUSD",
  XAG: "XAGUSD",
  PLATINUM: "XPTUSD",
  PALLADIUM: "XPDUSD",
  US30: "US30",
  DJ30: "US30",
  WS30: "US30",
  DOW: "US30",
  DOW30: "US30",
  DJI: "US30",
  USA30: "US30",
  US30CASH: "US30",
  YM: "US30",
  NAS100: "NAS100",
  USTEC: "NAS100",
  NDX100: "NAS100",
  NDX: "NAS100",
  NAS: "NAS100",
  US100: "NAS100",
  USTECH: "NAS100",
  USTECH100: "NAS100",
  NASDAQ: "NAS100",
  NASDAQ100: "NAS100",
  USA100: "NAS100",
  US500: "US500",
  SPX500: "US500",
  SP500: "US500",
  SPX: "US500",
  USA500: "US500",
  US500CASH: "US500",
  GER40: "GER40",
  DE40: "GER40",
  DAX40: "GER40",
  DAX: "GER40",
  GER30: "GER40",
  DE30: "GER40",
  GERMANY40: "GER40",
  GER40CASH: "GER40",
  UK100: "UK100",
  FTSE100: "UK100",
  FTSE: "UK100",
  UKX: "UK100",
  GB100: "UK100",
  JP225: "JP225",
  JPN225: "JP225",
  JAP225: "JP225",
  NIKKEI: "JP225",
  NIKKEI225: "JP225",
  NI225: "JP225",
  FRA40: "FRA40",
  FR40: "FRA40",
  CAC40: "FRA40",
  CAC: "FRA40",
  F40: "FRA40",
  AUS200: "AUS200",
  AU200: "AUS200",
  ASX200: "AUS200",
  ASX: "AUS200",
  HK50: "HK50",
  HSI: "HK50",
  HK33: "HK50",
  HSI50: "HK50",
  HKG33: "HK50",
  EU50: "EU50",
  STOXX50: "EU50",
  ESTX50: "EU50",
  EUSTX50: "EU50",
  SX5E: "EU50",
  ESP35: "ESP35",
  SPA35: "ESP35",
  IBEX35: "ESP35",
  XBTUSD: "BTCUSD",
  BITCOIN: "BTCUSD",
  ETHEREUM: "ETHUSD",
  LITECOIN: "LTCUSD",
  RIPPLE: "XRPUSD",
};

/** Canonical names that are not currency pairs (the catalogue's indices, metals, crypto). */
const CANONICAL = new Set([
  ...Object.values(ALIASES),
  "XAUEUR",
  "BTCUSD",
  "ETHUSD",
  "LTCUSD",
  "XRPUSD",
  "BCHUSD",
  "SOLUSD",
  "ADAUSD",
  "DOGEUSD",
  "DOTUSD",
]);

/** Account-type tails brokers glue on without a separator ("US30cash", "GER40PRO"), longest first. */
const GLUED_SUFFIXES = ["MICRO", "CASH", "MINI", "SPOT", "PRO", "ECN", "RAW", "STD", "VIP", "FX", "M", "I", "C", "Z", "P", "X", "E", "R", "B", "S"];

function canonicalOf(core: string): string | null {
  const alias = ALIASES[core];
  if (alias) return alias;
  if (CANONICAL.has(core)) return core;
  const pair = /^([A-Z]{3})([A-Z]{3})$/.exec(core);
  if (pair && CURRENCIES.has(pair[1]!) && CURRENCIES.has(pair[2]!)) return core;
  return null;
}

export function normalizeSymbol(brokerSymbol: string): string {
  const upper = brokerSymbol.trim().toUpperCase();
  if (upper === "") return "";

  // "EUR/USD", "EUR_USD" (OANDA, cTrader): one pair written with a separator.
  const split = /^([A-Z]{3})[/_ ]([A-Z]{3,4})$/.exec(upper);
  if (split && (CURRENCIES.has(split[1]!) || CANONICAL.has(split[1]! + split[2]!))) {
    return canonicalOf(split[1]! + split[2]!) ?? split[1]! + split[2]!;
  }

  // Prefixes ("m.EURUSD", "#US30", "FX_EURUSD") and suffixes after a separator
  // ("EURUSD.Z", "US30.cash", "EURUSD-ECN"). "DAX.cash" must not lose "DAX" as a
  // prefix, so the name is read as written first and without a prefix second.
  const unhashed = upper.replace(/^#+/, "");
  const withoutPrefix = unhashed.replace(/^[A-Z]{1,3}[._](?=[A-Z0-9]{3,})/, "");
  for (const candidate of withoutPrefix === unhashed ? [unhashed] : [unhashed, withoutPrefix]) {
    const known = canonicalWithTail(coreOf(candidate));
    if (known) return known;
  }
  // Unknown: the part before any separator, short prefixes ("m.", "fx_") dropped.
  return coreOf(/^[A-Z]{1,2}[._]/.test(unhashed) ? withoutPrefix : unhashed);
}

function coreOf(name: string): string {
  return name.split(/[._#!+\-/ ]/)[0] || name;
}

function canonicalWithTail(core: string): string | null {
  const direct = canonicalOf(core);
  if (direct) return direct;
  // Tails glued on: "EURUSDm", "XAUUSDm", "US30cash", "GER40PRO".
  for (const suffix of GLUED_SUFFIXES) {
    if (core.length > suffix.length + 2 && core.endsWith(suffix)) {
      const stripped = canonicalOf(core.slice(0, -suffix.length));
      if (stripped) return stripped;
    }
  }
  // Any other six-letter currency pair with a short tail.
  const pairWithTail = /^([A-Z]{3})([A-Z]{3})[A-Z0-9]{1,3}$/.exec(core);
  if (pairWithTail && CURRENCIES.has(pairWithTail[1]!) && CURRENCIES.has(pairWithTail[2]!)) return pairWithTail[1]! + pairWithTail[2]!;
  return null;
}
