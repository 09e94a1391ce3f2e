// Splits the rows of an MT5 Trade History Report (HTML or XLSX, already laid
// out on the column grid) into its sections. A section starts at its title
// row, its header row maps columns by TEXT (a repeated name such as Time or
// Price becomes "time2", "price2" by order), and it ends at the next title or
// at a label row ("Balance:", "Total Net Profit:"). Rows whose first cell is
// empty (totals, spacers) are never data, so the Deals totals and the
// Balance column can never be read as trades.
//
// Data rows of the sections a trade import needs (Positions, Deals, Open
// Positions) are handed on one by one as they are read, not kept: a
// 100 000-position report has 300 000 of them.
import { columnOf, reportTitleLanguage, sectionOf, type ColumnKey, type SectionKind } from "./languages.ts";

export interface SectionColumns {
  /** Grid index → column key ("time", "time2", …). */
  keys: (string | null)[];
  /** Column key → the header text as printed (for messages). */
  labels: Record<string, string>;
  /** Column key → grid index. */
  index: Record<string, number>;
}

export type KeptSection = "positions" | "deals" | "openPositions";

/** One data row, handed to the reader's consumer while it is read. */
export interface SectionRow {
  section: KeptSection;
  /** The row number in the file (spreadsheet row / HTML <tr> ordinal, 1-based). */
  fileRow: number;
  /** 1-based data-row number inside its section, as "Deals row 14" says it. */
  sectionRow: number;
  /** The row's cells on the grid; read them through `columns.index`. */
  cells: string[];
  /** The header the row sits under. */
  columns: SectionColumns;
  /** Hidden cell text of the row (HTML Positions rows carry the comment there). */
  hiddenComment: string | null;
}

/** A row's text under a column key ("" when the header has no such column). */
export function cellOf(row: Pick<SectionRow, "cells" | "columns">, key: string): string {
  const at = row.columns.index[key];
  return at === undefined ? "" : (row.cells[at] ?? "");
}

/** The row as {header text: cell text}, for the rejected-rows report. */
export function rowValues(columns: SectionColumns, cells: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (let i = 0; i < columns.keys.length; i += 1) {
    const key = columns.keys[i];
    if (key) values[columns.labels[key] ?? key] = cells[i] ?? "";
  }
  return values;
}

export interface ReportHeader {
  /** Label/value pairs of the header block ("Account:", "57174315 (USD, …)"). */
  lines: { label: string; value: string }[];
  title: string | null;
}

/** What the reader learnt about the report besides its data rows. */
export interface ReportRows {
  header: ReportHeader;
  language: string | null;
  columns: Partial<Record<SectionKind, SectionColumns>>;
  /** Data rows read in every section (Orders and Working Orders included). */
  sourceRowCount: number;
  sectionsFound: SectionKind[];
  warnings: string[];
  /** Label/value pairs printed below the tables ("Balance:", "Total Net Profit:"), for report-summary.ts. */
  summaryLines: { label: string; value: string }[];
  /** The first Deals row as printed (its Balance less its money is the balance the period starts from). */
  firstDeal: { cells: string[]; columns: SectionColumns } | null;
}

const KEPT_SECTIONS = new Set<SectionKind>(["positions", "deals", "openPositions"]);

const LABEL_END = /:\s*$/;

/**
 * A label cell ("Balance:"), ending in a colon and perhaps spaces. Asked of
 * every data row's first cell: a ticket or a time ends in a digit, so the
 * last character settles nearly every answer without the expression.
 */
function isLabel(text: string): boolean {
  const last = text.charCodeAt(text.length - 1);
  if (last === 58 /* : */) return true;
  if (last > 32 && last < 127) return false;
  return LABEL_END.test(text);
}

function firstNonEmpty(cells: string[]): { index: number; text: string; count: number } {
  let index = -1;
  let count = 0;
  for (let i = 0; i < cells.length; i += 1) {
    if (cells[i] !== "") {
      count += 1;
      if (index < 0) index = i;
    }
  }
  return { index, text: index >= 0 ? cells[index]! : "", count };
}

export class Mt5ReportReader {
  private section: SectionKind | "header" | "after" = "header";
  private columns: SectionColumns | null = null;
  private expectHeader = false;
  private sectionRowCount = 0;
  private readonly languageVotes = new Map<string, number>();
  private readonly result: ReportRows = {
    header: { lines: [], title: null },
    language: null,
    columns: {},
    sourceRowCount: 0,
    sectionsFound: [],
    warnings: [],
    summaryLines: [],
    firstDeal: null,
  };

  /** `onRow` receives each Positions, Deals and Open Positions data row as it is read. */
  constructor(private readonly onRow: (row: SectionRow) => void) {}

  private vote(language: string, weight = 1): void {
    this.languageVotes.set(language, (this.languageVotes.get(language) ?? 0) + weight);
  }

  push(cells: string[], fileRow: number, hiddenComment: string | null = null): void {
    this.handle(firstNonEmpty(cells), cells, fileRow, hiddenComment);
  }

  /**
   * Whether the next row can come as its gist alone (pushLight): in sections
   * whose data rows are only counted (Orders, Working Orders) and after them.
   */
  wantsLight(): boolean {
    // Results and the block after the tables are a few label rows, read whole for the summary.
    return !this.expectHeader && (this.section === "orders" || this.section === "workingOrders");
  }

  /** A row read lightly: its first non-empty cell and how many are non-empty. */
  pushLight(first: { index: number; text: string; count: number }, fileRow: number): void {
    this.handle(first, null, fileRow, null);
  }

  /** `cells` is null only for rows wantsLight() accepted, which never need more than `first`. */
  private handle(first: { index: number; text: string; count: number }, cells: string[] | null, fileRow: number, hiddenComment: string | null): void {
    if (first.count === 0) return;

    // A row holding only a known section title starts that section.
    if (first.count === 1) {
      const section = sectionOf(first.text);
      if (section) {
        this.section = section.kind;
        this.vote(section.language, 3);
        this.columns = null;
        this.expectHeader = true;
        this.sectionRowCount = 0;
        if (!this.result.sectionsFound.includes(section.kind)) this.result.sectionsFound.push(section.kind);
        return;
      }
      if (this.section === "header" && this.result.header.title === null) {
        this.result.header.title = first.text;
        const language = reportTitleLanguage(first.text);
        if (language) this.vote(language, 5);
        return;
      }
      // A lone cell inside a section is the title of a section whose name we
      // do not know in this language: its rows must not be read as ours.
      if (first.index === 0 && this.section !== "header" && this.section !== "after" && this.section !== "results") {
        this.result.warnings.push(`The section titled "${first.text}" is not one the importer knows in a supported language; its rows were skipped.`);
        this.section = "after";
        this.columns = null;
        this.expectHeader = false;
        return;
      }
    }

    if (this.section === "header") {
      if (cells && first.count >= 2 && first.text.endsWith(":")) {
        const value = cells.slice(first.index + 1).find((cell) => cell !== "") ?? "";
        this.result.header.lines.push({ label: first.text, value });
      }
      return;
    }
    if (this.section === "after" || this.section === "results") {
      if (cells) this.keepSummaryPairs(cells);
      return;
    }

    if (this.expectHeader) {
      this.expectHeader = false;
      this.columns = this.readHeader(cells!);
      this.result.columns[this.section] = this.columns;
      return;
    }
    // Summary labels ("Balance:") end the section; empty first cells are totals.
    if (first.index === 0 && isLabel(first.text)) {
      this.section = "after";
      if (cells) this.keepSummaryPairs(cells);
      return;
    }
    if (first.index !== 0 || !this.columns) return;

    this.sectionRowCount += 1;
    this.result.sourceRowCount += 1;
    if (!KEPT_SECTIONS.has(this.section) || !cells) return;
    if (this.section === "deals" && this.result.firstDeal === null) this.result.firstDeal = { cells: [...cells], columns: this.columns };
    this.onRow({ section: this.section as KeptSection, fileRow, sectionRow: this.sectionRowCount, cells, columns: this.columns, hiddenComment });
  }

  /** "Balance:", "50.94", "Free Margin:", "47.10": each label cell with the value after it. */
  private keepSummaryPairs(cells: string[]): void {
    for (let i = 0; i < cells.length; i += 1) {
      const label = cells[i]!;
      if (!isLabel(label)) continue;
      let next = i + 1;
      while (next < cells.length && cells[next] === "") next += 1;
      const value = cells[next] ?? "";
      if (value !== "" && !isLabel(value)) this.result.summaryLines.push({ label, value });
    }
  }

  private readHeader(cells: string[]): SectionColumns {
    const keys: (string | null)[] = [];
    const labels: Record<string, string> = {};
    const index: Record<string, number> = {};
    const seen = new Map<ColumnKey, number>();
    for (const cell of cells) {
      if (cell === "") {
        keys.push(null);
        continue;
      }
      const column = columnOf(cell);
      if (!column) {
        keys.push(null);
        if (KEPT_SECTIONS.has(this.section as SectionKind))
          this.result.warnings.push(`Unknown column "${cell}" in the ${this.section} section was ignored.`);
        continue;
      }
      for (const language of column.languages) this.vote(language);
      const count = (seen.get(column.key) ?? 0) + 1;
      seen.set(column.key, count);
      // Japanese prints Commission and Fee with one word (手数料), Commission first.
      const secondCommissionIsFee = column.key === "commission" && count === 2 && !seen.has("fee");
      const key = secondCommissionIsFee ? "fee" : count === 1 ? column.key : `${column.key}${count}`;
      index[key] = keys.length;
      keys.push(key);
      labels[key] = cell;
    }
    return { keys, labels, index };
  }

  finish(): ReportRows {
    let best: string | null = null;
    let bestVotes = 0;
    for (const [language, votes] of this.languageVotes) {
      if (votes > bestVotes) {
        best = language;
        bestVotes = votes;
      }
    }
    this.result.language = best;
    return this.result;
  }
}
