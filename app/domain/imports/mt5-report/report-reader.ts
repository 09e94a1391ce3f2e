// Splits the rows of an MT5 Trade History Report (HTML or XLSX, already laid
// out on the column grid) into its sections. A section starts at its title
// row, its header row maps columns by TEXT (a repeated name such as Time or
// Price becomes "time2", "price2" by order), and it ends at the next title or
// at a label row ("Balance:", "Total Net Profit:"). Rows whose first cell is
// empty (totals, spacers) are never data, so the Deals totals and the
// Balance column can never be read as trades.
import { columnOf, reportTitleLanguage, sectionOf, type ColumnKey, type SectionKind } from "./languages.ts";

export interface SectionColumns {
  /** Grid index → column key ("time", "time2", …). */
  keys: (string | null)[];
  /** Column key → the header text as printed (for messages). */
  labels: Record<string, string>;
}

export interface SectionRow {
  section: SectionKind;
  /** The row number in the file (spreadsheet row / HTML <tr> ordinal, 1-based). */
  fileRow: number;
  /** 1-based data-row number inside its section, as "Deals row 14" says it. */
  sectionRow: number;
  values: Record<string, string>;
  /** Hidden cell text of the row (HTML Positions rows carry the comment there). */
  hiddenComment: string | null;
}

export interface ReportHeader {
  /** Label/value pairs of the header block ("Account:", "57174315 (USD, …)"). */
  lines: { label: string; value: string }[];
  title: string | null;
}

export interface ReportRows {
  header: ReportHeader;
  language: string | null;
  columns: Partial<Record<SectionKind, SectionColumns>>;
  positions: SectionRow[];
  deals: SectionRow[];
  openPositions: SectionRow[];
  /** Data rows read in every section (Orders and Working Orders included). */
  sourceRowCount: number;
  sectionsFound: SectionKind[];
  warnings: string[];
}

const KEPT_SECTIONS = new Set<SectionKind>(["positions", "deals", "openPositions"]);

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
    positions: [],
    deals: [],
    openPositions: [],
    sourceRowCount: 0,
    sectionsFound: [],
    warnings: [],
  };

  private vote(language: string, weight = 1): void {
    this.languageVotes.set(language, (this.languageVotes.get(language) ?? 0) + weight);
  }

  push(cells: string[], fileRow: number, hiddenComment: string | null = null): void {
    const first = firstNonEmpty(cells);
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
    }

    if (this.section === "header") {
      if (first.count >= 2 && first.text.endsWith(":")) {
        const value = cells.slice(first.index + 1).find((cell) => cell !== "") ?? "";
        this.result.header.lines.push({ label: first.text, value });
      }
      return;
    }
    if (this.section === "after" || this.section === "results") return;

    if (this.expectHeader) {
      this.expectHeader = false;
      this.columns = this.readHeader(cells);
      this.result.columns[this.section] = this.columns;
      return;
    }
    // Summary labels ("Balance:") end the section; empty first cells are totals.
    if (first.index === 0 && /:\s*$/.test(first.text)) {
      this.section = "after";
      return;
    }
    if (first.index !== 0 || !this.columns) return;

    this.sectionRowCount += 1;
    this.result.sourceRowCount += 1;
    if (!KEPT_SECTIONS.has(this.section)) return;
    const values: Record<string, string> = {};
    const keys = this.columns.keys;
    for (let i = 0; i < keys.length; i += 1) {
      const key = keys[i];
      if (key) values[key] = cells[i] ?? "";
    }
    const row: SectionRow = { section: this.section, fileRow, sectionRow: this.sectionRowCount, values, hiddenComment };
    if (this.section === "positions") this.result.positions.push(row);
    else if (this.section === "deals") this.result.deals.push(row);
    else this.result.openPositions.push(row);
  }

  private readHeader(cells: string[]): SectionColumns {
    const keys: (string | null)[] = [];
    const labels: Record<string, string> = {};
    const seen = new Map<ColumnKey, number>();
    for (const cell of cells) {
      if (cell === "") {
        keys.push(null);
        continue;
      }
      const column = columnOf(cell);
      if (!column) {
        keys.push(null);
        if (KEPT_SECTIONS.has(this.section as SectionKind)) this.result.warnings.push(`Unknown column "${cell}" in the ${this.section} section was ignored.`);
        continue;
      }
      for (const language of column.languages) this.vote(language);
      const count = (seen.get(column.key) ?? 0) + 1;
      seen.set(column.key, count);
      const key = count === 1 ? column.key : `${column.key}${count}`;
      keys.push(key);
      labels[key] = cell;
    }
    return { keys, labels };
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
