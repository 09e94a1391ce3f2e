// The trade fields a generic CSV column can map to, and a first guess from
// header names in the languages traders export in (English, French/FTMO,
// German, Spanish, Italian, Portuguese, Russian).
import type { ColumnMapping } from "../parse-options.ts";
import { normaliseHeader } from "./headers.ts";

export type GenericField =
  | "symbol"
  | "side"
  | "openTime"
  | "closeTime"
  | "volume"
  | "openPrice"
  | "closePrice"
  | "stopLoss"
  | "takeProfit"
  | "commission"
  | "swap"
  | "fee"
  | "profit"
  | "netProfit"
  | "positionId"
  | "comment";

export interface GenericFieldInfo {
  name: GenericField;
  label: string;
  required: boolean;
}

export const GENERIC_FIELDS: GenericFieldInfo[] = [
  { name: "symbol", label: "Symbol", required: true },
  { name: "side", label: "Side (buy / sell)", required: true },
  { name: "openTime", label: "Open time", required: true },
  { name: "volume", label: "Volume (lots)", required: true },
  { name: "openPrice", label: "Open price", required: true },
  { name: "closeTime", label: "Close time", required: false },
  { name: "closePrice", label: "Close price", required: false },
  { name: "stopLoss", label: "Stop loss", required: false },
  { name: "takeProfit", label: "Take profit", required: false },
  { name: "commission", label: "Commission", required: false },
  { name: "swap", label: "Swap", required: false },
  { name: "fee", label: "Fee", required: false },
  { name: "profit", label: "Profit (before commission and swap)", required: false },
  { name: "netProfit", label: "Net profit (after commission and swap)", required: false },
  { name: "positionId", label: "Ticket / position id", required: false },
  { name: "comment", label: "Comment", required: false },
];

// Normalised header names (see normaliseHeader) per field, most specific first.
const SYNONYMS: Record<GenericField, string[]> = {
  symbol: ["symbol", "symbole", "item", "instrument", "pair", "paire", "market", "asset", "simbolo", "ticker", "symbol name", "символ", "инструмент"],
  side: [
    "type",
    "side",
    "direction",
    "opening direction",
    "action",
    "sens",
    "tipo",
    "typ",
    "richtung",
    "buy/sell",
    "trade type",
    "тип",
    "направление",
  ],
  openTime: [
    "open time",
    "opening time",
    "open date",
    "entry time",
    "entry date",
    "time open",
    "opened",
    "open",
    "ouvrir",
    "ouverture",
    "heure d ouverture",
    "date d ouverture",
    "eroffnungszeit",
    "offnungszeit",
    "zeit",
    "apertura",
    "fecha de apertura",
    "hora de apertura",
    "ora apertura",
    "data de abertura",
    "abertura",
    "время открытия",
    "время",
    "time",
    "date",
    "heure",
  ],
  closeTime: [
    "close time",
    "closing time",
    "close date",
    "exit time",
    "exit date",
    "time close",
    "closed",
    "fermeture",
    "heure de fermeture",
    "date de fermeture",
    "schlie zeit",
    "schliesszeit",
    "cierre",
    "fecha de cierre",
    "hora de cierre",
    "chiusura",
    "ora chiusura",
    "data de fechamento",
    "fechamento",
    "время закрытия",
    "time (2)",
    "heure (2)",
  ],
  volume: [
    "volume",
    "lots",
    "lot",
    "size",
    "quantity",
    "qty",
    "closing quantity",
    "taille",
    "volumen",
    "lotes",
    "menge",
    "volume lots",
    "объем",
    "объём",
    "лоты",
  ],
  openPrice: [
    "open price",
    "opening price",
    "entry price",
    "price",
    "prix",
    "prix d ouverture",
    "preis",
    "eroffnungskurs",
    "kurs",
    "precio",
    "precio de apertura",
    "prezzo",
    "prezzo di apertura",
    "preco",
    "preco de abertura",
    "цена открытия",
    "цена",
    "entry",
  ],
  closePrice: [
    "close price",
    "closing price",
    "exit price",
    "price (2)",
    "prix (2)",
    "prix de fermeture",
    "preis (2)",
    "schlusskurs",
    "precio (2)",
    "precio de cierre",
    "prezzo (2)",
    "prezzo di chiusura",
    "preco (2)",
    "preco de fechamento",
    "цена закрытия",
    "цена (2)",
    "exit",
  ],
  stopLoss: ["s/l", "s / l", "stop/loss", "sl", "stop loss", "stoploss", "stop", "s l", "стоп лосс"],
  takeProfit: ["t/p", "t / p", "take/profit", "tp", "take profit", "takeprofit", "t p", "target", "тейк профит"],
  commission: [
    "commission",
    "commissions",
    "comm",
    "provision",
    "kommission",
    "comision",
    "comisiones",
    "commissione",
    "commissioni",
    "comissao",
    "комиссия",
  ],
  swap: ["swap", "swaps", "rollover", "storage", "своп"],
  fee: ["fee", "fees", "frais", "gebuhr", "gebuhren", "tarifa", "taxa", "taxes", "сбор"],
  profit: [
    "profit",
    "gross profit",
    "pnl",
    "p&l",
    "p/l",
    "gross p&l",
    "gross pnl",
    "gewinn",
    "beneficio",
    "profitto",
    "lucro",
    "resultat",
    "прибыль",
  ],
  netProfit: ["net profit", "net p&l", "net pnl", "net", "net usd", "net eur", "net gbp", "benefice net", "nettogewinn"],
  positionId: [
    "ticket",
    "position",
    "position id",
    "positionid",
    "position identifier",
    "id",
    "#",
    "order",
    "deal",
    "deal id",
    "ticket id",
    "тикет",
    "позиция",
    "ordre",
    "orden",
    "auftrag",
  ],
  comment: ["comment", "comments", "commentaire", "kommentar", "comentario", "commento", "note", "notes", "комментарий"],
};

/** A first mapping from header names: each field takes the best-matching unused column. */
export function suggestMapping(keys: string[]): ColumnMapping {
  // Keys like "Price (2)" normalise to "price 2", as do the synonyms written that way.
  const normalisedKeys = keys.map(normaliseHeader);
  const used = new Set<number>();
  const mapping: ColumnMapping = {};
  for (const field of GENERIC_FIELDS) {
    mapping[field.name] = null;
    for (const synonym of SYNONYMS[field.name]) {
      const wanted = normaliseHeader(synonym);
      let index = normalisedKeys.findIndex((key, i) => !used.has(i) && key === wanted);
      // "Closing Time (UTC+3)", "Net USD", "Commission (EUR)": the name starts the header.
      if (index < 0 && wanted.length >= 4) {
        index = normalisedKeys.findIndex((key, i) => !used.has(i) && key.startsWith(wanted + " ") && !/^ \d+$/.test(key.slice(wanted.length)));
      }
      if (index >= 0) {
        used.add(index);
        mapping[field.name] = keys[index]!;
        break;
      }
    }
  }
  return mapping;
}

/** Fields the mapping lacks, as labels ("Symbol", "Profit or Net profit"); empty when it is usable. */
export function missingMappedFields(mapping: ColumnMapping | undefined, keys: string[]): string[] {
  const present = (field: GenericField) => {
    const column = mapping?.[field];
    return typeof column === "string" && keys.includes(column);
  };
  const missing = GENERIC_FIELDS.filter((field) => field.required && !present(field.name)).map((field) => field.label);
  if (!present("profit") && !present("netProfit")) missing.push("Profit or Net profit");
  // A close needs both its time and its price.
  if (present("closePrice") && !present("closeTime")) missing.push("Close time (Close price is mapped)");
  if (present("closeTime") && !present("closePrice")) missing.push("Close price (Close time is mapped)");
  return missing;
}
