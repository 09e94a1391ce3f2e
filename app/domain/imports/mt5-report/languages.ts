// Section titles and column headers of the MT5 Trade History Report per
// terminal UI language. Only texts found in public material are listed, never
// a translation of our own; docs/imports/mt5-report-languages.md records the
// source of every text. A language whose headers are known only in part is
// kept "partial": its report is recognised and refused with a clear message
// instead of being read by column position.

export type SectionKind = "positions" | "orders" | "deals" | "openPositions" | "workingOrders" | "results";

/** Canonical column keys; a repeated header (Time, Price) gets "2" appended by order. */
export type ColumnKey =
  | "time"
  | "openTime"
  | "position"
  | "order"
  | "deal"
  | "symbol"
  | "type"
  | "direction"
  | "volume"
  | "price"
  | "sl"
  | "tp"
  | "marketPrice"
  | "state"
  | "commission"
  | "fee"
  | "swap"
  | "profit"
  | "balance"
  | "comment"
  | "cost";

/**
 * confirmed: every text the importer needs comes from a real export;
 * provisional: from third-party parsers and fixtures written against real exports;
 * partial: not enough headers are known to read the report, so it is refused.
 */
export type LanguageStatus = "confirmed" | "provisional" | "partial";

export interface ReportLanguage {
  code: string;
  /** English name, as messages and the README list it. */
  name: string;
  status: LanguageStatus;
  /** Report titles (the first row / <title>), lower-case. */
  titles: string[];
  sections: Record<string, SectionKind>;
  headers: Record<string, ColumnKey>;
}

const english: ReportLanguage = {
  code: "en",
  name: "English",
  status: "confirmed",
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

// Portuguese (Brazilian MT5 builds). Column headers as a real Portuguese
// terminal export prints them; the terminal's template uses one string per
// column name in every section, so "Ordem" of the Orders table is also the
// Order column of Deals. The Positions header keeps "Position" in English.
// The titles of the report itself and of Open Positions / Working Orders are
// not known, so those sections are skipped with a warning.
const portuguese: ReportLanguage = {
  code: "pt",
  name: "Portuguese",
  status: "confirmed",
  titles: [],
  sections: {
    posições: "positions",
    ordens: "orders",
    transações: "deals",
    ofertas: "deals",
    resultados: "results",
  },
  headers: {
    horário: "time",
    "horário da abertura": "openTime",
    position: "position",
    ordem: "order",
    oferta: "deal",
    ativo: "symbol",
    tipo: "type",
    direção: "direction",
    volume: "volume",
    preço: "price",
    "s/l": "sl",
    "t/p": "tp",
    estado: "state",
    comissão: "commission",
    taxa: "fee",
    swap: "swap",
    lucro: "profit",
    saldo: "balance",
    comentário: "comment",
  },
};

// Russian: from third-party parsers and fixtures written against Russian
// exports; no Russian export file was readable in public sources.
const russian: ReportLanguage = {
  code: "ru",
  name: "Russian",
  status: "provisional",
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
    ордер: "order",
    символ: "symbol",
    тип: "type",
    объем: "volume",
    объём: "volume",
    цена: "price",
    "s/l": "sl",
    "t/p": "tp",
    состояние: "state",
    комиссия: "commission",
    своп: "swap",
    прибыль: "profit",
    баланс: "balance",
    сделка: "deal",
    направление: "direction",
    комментарий: "comment",
    "рыночная цена": "marketPrice",
  },
};

// Spanish: the title and section titles are known, but not the column
// headers a Spanish terminal prints (only "Posición" and "Símbolo" appear in
// public parsers), so a Spanish report is recognised and refused.
const spanish: ReportLanguage = {
  code: "es",
  name: "Spanish",
  status: "partial",
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

// French, Japanese, Bulgarian and Slovak: every text below is printed in a
// real export (shared/fixtures/real/public, SOURCES.md names each file).
const french: ReportLanguage = {
  code: "fr",
  name: "French",
  status: "confirmed",
  titles: ["rapport d'historique de trading"],
  sections: {
    positions: "positions",
    ordres: "orders",
    transactions: "deals",
    "positions ouvertes": "openPositions",
    résultats: "results",
  },
  headers: {
    heure: "time",
    "heure d'ouverture": "openTime",
    position: "position",
    ordre: "order",
    opération: "deal",
    symbole: "symbol",
    type: "type",
    direction: "direction",
    volume: "volume",
    prix: "price",
    "s/l": "sl",
    "t/p": "tp",
    "prix du marché": "marketPrice",
    état: "state",
    commission: "commission",
    frais: "fee",
    // "Echange" is how the French terminal prints Swap.
    echange: "swap",
    profit: "profit",
    solde: "balance",
    commentaire: "comment",
  },
};

// Japanese prints Commission and Fee both as 手数料 (in that order): the
// reader takes a second commission column as the fee.
const japanese: ReportLanguage = {
  code: "ja",
  name: "Japanese",
  status: "confirmed",
  titles: ["取引履歴レポート"],
  sections: {
    ポジション一覧: "positions",
    注文: "orders",
    約定: "deals",
    ポジション: "openPositions",
    現在のオーダー: "workingOrders",
    結果: "results",
  },
  headers: {
    時間: "time",
    約定時刻: "openTime",
    ポジション情報: "position",
    注文: "order",
    約定: "deal",
    銘柄: "symbol",
    タイプ: "type",
    "新規・決済": "direction",
    数量: "volume",
    価格: "price",
    "決済逆指値(s/l)": "sl",
    "決済指値(t/p)": "tp",
    市場価格: "marketPrice",
    状況: "state",
    手数料: "commission",
    スワップ: "swap",
    損益: "profit",
    残高: "balance",
    コメント: "comment",
    費用: "cost",
  },
};

const bulgarian: ReportLanguage = {
  code: "bg",
  name: "Bulgarian",
  status: "confirmed",
  titles: ["отчет за историята на търговията"],
  sections: {
    позиции: "positions",
    поръчки: "orders",
    сделки: "deals",
    "отворени позиции": "openPositions",
    резултати: "results",
  },
  headers: {
    време: "time",
    "време на отваряне": "openTime",
    позиция: "position",
    поръчка: "order",
    сделка: "deal",
    символ: "symbol",
    тип: "type",
    посока: "direction",
    обем: "volume",
    цена: "price",
    "s/l": "sl",
    "t/p": "tp",
    "пазарна цена": "marketPrice",
    състояние: "state",
    комисиона: "commission",
    такса: "fee",
    суап: "swap",
    печалба: "profit",
    баланс: "balance",
    коментар: "comment",
  },
};

// Slovak: only the Positions section is known (the one export has no other),
// so it stays "partial": a positions-only report is read, and one with Deals
// under unknown titles is refused.
const slovak: ReportLanguage = {
  code: "sk",
  name: "Slovak",
  status: "partial",
  titles: ["správa obchodnej histórie"],
  sections: { pozície: "positions" },
  headers: {
    čas: "time",
    pozícia: "position",
    symbol: "symbol",
    typ: "type",
    objem: "volume",
    cena: "price",
    "s/l": "sl",
    "t/p": "tp",
    komisia: "commission",
    swap: "swap",
    zisk: "profit",
  },
};

export const REPORT_LANGUAGES: ReportLanguage[] = [english, portuguese, russian, spanish, french, japanese, bulgarian, slovak];

/** Languages whose reports are imported (confirmed first), for messages and docs. */
export function importableReportLanguages(): ReportLanguage[] {
  return REPORT_LANGUAGES.filter((language) => language.status !== "partial");
}

export function reportLanguageByCode(code: string | null): ReportLanguage | null {
  return REPORT_LANGUAGES.find((language) => language.code === code) ?? null;
}

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
  // One text may appear in several languages ("Resultados", "Volume"), but it
  // must mean the same thing in all of them, or a report could be misread.
  for (const [label, kind] of Object.entries(language.sections)) {
    const known = sectionIndex.get(label);
    if (known && known.kind !== kind)
      throw new Error(`Section title "${label}" means ${known.kind} in ${known.language} but ${kind} in ${language.code}`);
    if (!known) sectionIndex.set(label, { kind, language: language.code });
  }
  for (const [label, key] of Object.entries(language.headers)) {
    const known = headerIndex.get(label);
    if (known && known.key !== key)
      throw new Error(`Column header "${label}" means ${known.key} in ${known.languages.join(", ")} but ${key} in ${language.code}`);
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
