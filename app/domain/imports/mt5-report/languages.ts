// Section titles and column headers of the MT5 Trade History Report per
// terminal UI language. Only texts confirmed from real exports (or the
// terminal's own template) are listed; docs/imports/mt5-report-languages.md
// records where each language was confirmed.

export type SectionKind = "positions" | "orders" | "deals" | "openPositions" | "workingOrders" | "results";

/** Canonical column keys; a repeated header (Time, Price) gets "2" appended by order. */
export type ColumnKey =
  | "time" | "openTime" | "position" | "order" | "deal" | "symbol" | "type" | "direction" | "volume"
  | "price" | "sl" | "tp" | "marketPrice" | "state" | "commission" | "fee" | "swap" | "profit"
  | "balance" | "comment" | "cost";

export interface ReportLanguage {
  code: string;
  /** Report titles (the first row / <title>), lower-case. */
  titles: string[];
  sections: Record<string, SectionKind>;
  headers: Record<string, ColumnKey>;
}

const english: ReportLanguage = {
  code: "en",
  titles: ["trade history report"],
  sections: {
    positions: "positions",
    orders: "orders",
    deals: "deals",
    "open positions": "openPositions",
    "working orders": "workingOrders",
    results: "results",
  },
  headers: {
    time: "time",
    "open time": "openTime",
    position: "position",
    order: "order",
    deal: "deal",
    symbol: "symbol",
    type: "type",
    direction: "direction",
    volume: "volume",
    price: "price",
    "s/l": "sl",
    "t/p": "tp",
    "market price": "marketPrice",
    state: "state",
    commission: "commission",
    fee: "fee",
    swap: "swap",
    profit: "profit",
    balance: "balance",
    comment: "comment",
    cost: "cost",
  },
};

// Russian: section titles and headers as printed by a Russian-language
// terminal (see docs/imports/mt5-report-languages.md for the sources).
const russian: ReportLanguage = {
  code: "ru",
  titles: ["отчет торговой истории"],
  sections: {
    позиции: "positions",
    ордера: "orders",
    сделки: "deals",
    "открытые позиции": "openPositions",
  },
  headers: {
    время: "time",
    позиция: "position",
    символ: "symbol",
    тип: "type",
    объем: "volume",
    объём: "volume",
    цена: "price",
    "s/l": "sl",
    "t/p": "tp",
    комиссия: "commission",
    своп: "swap",
    прибыль: "profit",
    сделка: "deal",
    направление: "direction",
    комментарий: "comment",
    "рыночная цена": "marketPrice",
  },
};

// Spanish: section titles confirmed from parsers written against real
// Spanish exports (see the languages document).
const spanish: ReportLanguage = {
  code: "es",
  titles: ["informe del historial de trading"],
  sections: {
    posiciones: "positions",
    órdenes: "orders",
    transacciones: "deals",
    resultados: "results",
  },
  headers: {
    posición: "position",
    símbolo: "symbol",
  },
};

export const REPORT_LANGUAGES: ReportLanguage[] = [english, russian, spanish];

/** Lower-case, single spaces, no spaces around "/", no trailing colon. */
export function normalizeLabel(text: string): string {
  return text
    .replace(/[\s\u00a0]+/g, " ")
    .trim()
    .toLowerCase()
    .replace(/\s*\/\s*/g, "/")
    .replace(/:$/, "");
}

const sectionIndex = new Map<string, { kind: SectionKind; language: string }>();
const headerIndex = new Map<string, { key: ColumnKey; languages: string[] }>();
const titleIndex = new Map<string, string>();
for (const language of REPORT_LANGUAGES) {
  for (const [label, kind] of Object.entries(language.sections)) sectionIndex.set(label, { kind, language: language.code });
  for (const [label, key] of Object.entries(language.headers)) {
    const known = headerIndex.get(label);
    if (known) known.languages.push(language.code);
    else headerIndex.set(label, { key, languages: [language.code] });
  }
  for (const title of language.titles) titleIndex.set(title, language.code);
}

export function sectionOf(label: string): { kind: SectionKind; language: string } | null {
  return sectionIndex.get(normalizeLabel(label)) ?? null;
}

export function columnOf(label: string): { key: ColumnKey; languages: string[] } | null {
  return headerIndex.get(normalizeLabel(label)) ?? null;
}

export function reportTitleLanguage(label: string): string | null {
  return titleIndex.get(normalizeLabel(label)) ?? null;
}

export function allReportTitles(): string[] {
  return [...titleIndex.keys()];
}
