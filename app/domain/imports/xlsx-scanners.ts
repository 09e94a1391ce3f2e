// Tag scanners for the two XLSX parts a report needs, over code units
// (xml-units.ts): the worksheet's rows and cells, and the shared-string
// table. They read exactly what the SpreadsheetML writers put there — `<row
// r="7">`, `<c r="B7" t="s"><v>12</v></c>`, `<si><t>…</t></si>` — with
// attributes in any order and either quote, and leave everything else alone.
// Only cell values become strings; a number cell's text is kept as written.
import { decodeXmlText, stringItemText } from "./xml-text.ts";
import type { SharedStrings } from "./xlsx-shared-strings.ts";
import { unitsText, type ConsumeUnits, type Units, type XmlUnits } from "./xml-units.ts";

const LT = 60;
const AMPERSAND = 38;
const UNDERSCORE = 95;
const GT = 62;
const SLASH = 47;
const EQUALS = 61;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;

const isSpace = (unit: number) => unit === 32 || unit === 9 || unit === 10 || unit === 13;
/** After a tag name: the name ends there (so `<c` is not `<col`). */
const endsName = (unit: number | undefined) => unit === GT || unit === SLASH || (unit !== undefined && isSpace(unit));

/** Thrown inside a scan when the window ends mid-element; the element is read again with more units. */
const INCOMPLETE = -1;
/** A cell not in the canonical form (readCanonicalCell): read the general way. */
const NOT_CANONICAL = -2;

function matches(units: Units, at: number, end: number, text: string): boolean {
  if (at + text.length > end) return false;
  for (let i = 0; i < text.length; i++) if (units[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

function indexOfUnit(units: Units, unit: number, from: number, end: number): number {
  for (let i = from; i < end; i++) if (units[i] === unit) return i;
  return INCOMPLETE;
}

interface Attribute {
  /** First unit of the name and its length. */
  name: number;
  nameLength: number;
  value: number;
  valueEnd: number;
}

/** What a start tag ended with, or null when the window ends inside it. */
interface TagEnd {
  /** The index after ">" or "/>"; INCOMPLETE for a tag that is not well-formed (skipped). */
  next: number;
  selfClosing: boolean;
}

/**
 * Reads the attributes of a start tag from `at` (just after its name),
 * handing each to `onAttribute` (one object, reused).
 */
function readAttributes(
  units: Units,
  at: number,
  end: number,
  attribute: Attribute,
  onAttribute: (units: Units, attribute: Attribute) => void,
  tag: TagEnd,
): TagEnd | null {
  let j = at;
  for (;;) {
    while (j < end && isSpace(units[j]!)) j++;
    if (j >= end) return null;
    const unit = units[j]!;
    if (unit === GT) {
      tag.next = j + 1;
      tag.selfClosing = false;
      return tag;
    }
    if (unit === SLASH) {
      if (j + 1 >= end) return null;
      tag.next = j + 2;
      tag.selfClosing = true;
      return tag;
    }
    const name = j;
    while (j < end && units[j] !== EQUALS && !isSpace(units[j]!) && units[j] !== GT) j++;
    if (j >= end) return null;
    const nameLength = j - name;
    while (j < end && isSpace(units[j]!)) j++;
    if (j >= end) return null;
    if (units[j] !== EQUALS) continue; // an attribute without a value: not SpreadsheetML, skipped
    j++;
    while (j < end && isSpace(units[j]!)) j++;
    if (j >= end) return null;
    const quote = units[j]!;
    if (quote !== DOUBLE_QUOTE && quote !== SINGLE_QUOTE) {
      tag.next = INCOMPLETE;
      tag.selfClosing = false;
      return tag;
    }
    const valueEnd = indexOfUnit(units, quote, j + 1, end);
    if (valueEnd < 0) return null;
    attribute.name = name;
    attribute.nameLength = nameLength;
    attribute.value = j + 1;
    attribute.valueEnd = valueEnd;
    onAttribute(units, attribute);
    j = valueEnd + 1;
  }
}

const isNamed = (units: Units, attribute: Attribute, letter: number) => attribute.nameLength === 1 && units[attribute.name] === letter;

const R = 114;
const T = 116;

/**
 * Rows a consumer needs only the gist of (a report's Orders section: 40 % of
 * its rows): their cell values are not made into strings; the consumer gets
 * the first non-empty cell (trimmed, as trimCells would leave it), its
 * column, and how many cells are non-empty after trimming.
 */
export interface LightRows {
  /** Asked at each row's start: read this row lightly? */
  wanted(): boolean;
  /** `count` is exact up to 2; a row of two or more non-empty cells starting in the first column may say 2. */
  onRow(first: { index: number; text: string; count: number }, rowNumber: number): void;
}

interface LightSummary {
  count: number;
  index: number;
  text: string;
  lastColumn: number;
  /** Cells out of column order: the row is read again in full. */
  unordered: boolean;
}

const TRIM = /^[\s\u00a0]+|[\s\u00a0]+$/g;
const NOT_BLANK = /[^\s\u00a0]/;

/** Text as the report reader's trimming leaves it. */
function trimmed(text: string): string {
  if (text === "") return text;
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  return first <= 32 || last <= 32 || first === 0xa0 || last === 0xa0 ? text.replace(TRIM, "") : text;
}

function notBlank(text: string): boolean {
  if (text === "") return false;
  const first = text.charCodeAt(0);
  return (first > 32 && first < 127) || NOT_BLANK.test(text);
}

const enum CellType {
  Number,
  Shared,
  Inline,
  Boolean,
}

/**
 * Calls `onRow(cells, rowNumber)` for every `<row>` of a worksheet, cells as
 * the texts the file holds. With `reuseCells`, every call gets the same
 * array, refilled: for consumers that do not keep it (a report has half a
 * million rows).
 */
export function worksheetScanner(
  parts: { units: () => XmlUnits; shared: SharedStrings; reuseCells?: boolean; light?: LightRows; skipRow?: (rowNumber: number) => boolean },
  onRow: (cells: string[], rowNumber: number) => void,
): ConsumeUnits {
  const reused: string[] = [];
  const light = parts.light;
  /** The light reading of the current row (null: the row is read in full). */
  let summary: LightSummary | null = null;
  let nextRowNumber = 1;
  const { shared } = parts;
  const attribute: Attribute = { name: 0, nameLength: 0, value: 0, valueEnd: 0 };
  const tagEnd: TagEnd = { next: 0, selfClosing: false };
  let rowNumber = 0;
  let column = -1;

  const onRowAttribute = (units: Units, attribute: Attribute) => {
    if (!isNamed(units, attribute, R)) return;
    let value = 0;
    let digits = true;
    for (let i = attribute.value; i < attribute.valueEnd; i++) {
      const unit = units[i]!;
      if (unit < 48 || unit > 57) digits = false;
      value = value * 10 + (unit - 48);
    }
    if (attribute.valueEnd === attribute.value) return;
    rowNumber = digits ? value : Number(parts.units().text(units, attribute.value, attribute.valueEnd));
  };

  /** A light row's cell: counted when not blank, and its text kept when it is the first. */
  const noteLightCell = (
    units: Units,
    cellType: CellType,
    valueStart: number,
    valueEnd: number,
    escaped: boolean,
    inlineStart: number,
    inlineEnd: number,
  ) => {
    const row = summary!;
    if (column < 0) return;
    if (column <= row.lastColumn) {
      row.unordered = true;
      return;
    }
    row.lastColumn = column;
    const text = parts.units();
    let value: string | null = null;
    let blank: boolean;
    if (cellType === CellType.Inline) {
      value = inlineStart >= 0 ? stringItemText(text.text(units, inlineStart, inlineEnd)) : "";
      blank = !notBlank(value);
    } else if (valueStart < 0) {
      blank = true;
    } else if (cellType === CellType.Shared) {
      const index = sharedIndex(units, valueStart, valueEnd);
      // Decided without making the item a string: only a light row's first cell needs its text.
      const first = shared.firstUnit(index);
      if (first < 0) blank = true;
      else if (first > 32 && first < 127) blank = false;
      else {
        value = shared.at(index) ?? "";
        blank = !notBlank(value);
      }
      if (!blank && row.index < 0) value ??= shared.at(index) ?? "";
    } else if (cellType === CellType.Boolean) {
      blank = false;
    } else {
      // A number as written: blank only if it is nothing but spacing.
      blank = true;
      let plain = !escaped;
      for (let i = valueStart; i < valueEnd && plain; i++) {
        const unit = units[i]!;
        if (unit >= 0x80) plain = false;
        else if (unit !== 32 && (unit < 9 || unit > 13)) blank = false;
      }
      if (!plain) {
        value = text.text(units, valueStart, valueEnd);
        if (escaped) value = decodeXmlText(value);
        blank = !notBlank(value);
      }
    }
    if (blank) return;
    row.count += 1;
    if (row.index < 0) {
      row.index = column;
      if (value === null)
        value =
          cellType === CellType.Boolean
            ? valueEnd - valueStart === 1 && units[valueStart] === 49
              ? "TRUE"
              : "FALSE"
            : text.text(units, valueStart, valueEnd);
      row.text = trimmed(value);
    }
  };

  /**
   * A cell's value, once its tags are read: into `cells` (or the light row's
   * gist). Returns `next`, the index after the cell.
   */
  const finishCell = (
    units: Units,
    cells: string[],
    cellType: CellType,
    selfClosing: boolean,
    valueStart: number,
    valueEnd: number,
    escaped: boolean,
    inlineStart: number,
    inlineEnd: number,
    next: number,
  ): number => {
    let value = "";
    if (!selfClosing) {
      const text = parts.units();
      if (summary) {
        noteLightCell(units, cellType, valueStart, valueEnd, escaped, inlineStart, inlineEnd);
        return next;
      }
      if (cellType === CellType.Inline) value = inlineStart >= 0 ? stringItemText(text.text(units, inlineStart, inlineEnd)) : "";
      else if (valueStart >= 0) {
        if (cellType === CellType.Shared) {
          value = shared.at(sharedIndex(units, valueStart, valueEnd)) ?? "";
        } else if (cellType === CellType.Boolean) {
          value = valueEnd - valueStart === 1 && units[valueStart] === 49 ? "TRUE" : "FALSE";
        } else {
          value = text.text(units, valueStart, valueEnd);
          if (escaped) value = decodeXmlText(value);
        }
      }
    }
    if (summary) {
      noteLightCell(units, cellType, -1, -1, false, -1, -1);
      return next;
    }
    if (column >= 0) {
      while (cells.length < column) cells.push("");
      cells[column] = value;
    }
    return next;
  };

  /**
   * The cell as MT5 and most writers put it — `<c r="B7"( s="3")?( t="s|n|b")?`
   * then `/>` or `><v>…</v></c>`, one space between attributes — read without
   * the general attribute loop (the cell tags are half a report's reading).
   * NOT_CANONICAL for anything else, including a cell cut off by the end of
   * the window: readCell then reads it the general way.
   */
  const readCanonicalCell = (units: Units, at: number, end: number, cells: string[]): number => {
    // `<c r="` and at least a column letter.
    let j = at + 2;
    if (j + 5 > end || units[j] !== 32 || units[j + 1] !== R || units[j + 2] !== EQUALS || units[j + 3] !== DOUBLE_QUOTE) return NOT_CANONICAL;
    j += 4;
    let index = 0;
    let unit = units[j]!;
    while (unit >= 65 && unit <= 90) {
      index = index * 26 + (unit - 64);
      unit = units[++j]!;
    }
    if (index === 0) return NOT_CANONICAL;
    while (unit >= 48 && unit <= 57) unit = units[++j]!;
    if (unit !== DOUBLE_QUOTE || j + 1 >= end) return NOT_CANONICAL;
    j++;
    // ` s="digits"`
    if (units[j] === 32 && units[j + 1] === 115 /* s */ && units[j + 2] === EQUALS && units[j + 3] === DOUBLE_QUOTE) {
      j += 4;
      while (j < end && (unit = units[j]!) >= 48 && unit <= 57) j++;
      if (j + 1 >= end || units[j] !== DOUBLE_QUOTE) return NOT_CANONICAL;
      j++;
    }
    // ` t="s"`, `"n"` or `"b"`
    let cellType = CellType.Number;
    if (units[j] === 32 && units[j + 1] === T && units[j + 2] === EQUALS && units[j + 3] === DOUBLE_QUOTE) {
      if (j + 6 >= end || units[j + 5] !== DOUBLE_QUOTE) return NOT_CANONICAL;
      const type = units[j + 4];
      if (type === 115 /* s */) cellType = CellType.Shared;
      else if (type === 98 /* b */) cellType = CellType.Boolean;
      else if (type !== 110 /* n */) return NOT_CANONICAL;
      j += 6;
    }
    if (j + 2 > end) return NOT_CANONICAL;
    if (units[j] === SLASH && units[j + 1] === GT) {
      column = index - 1;
      return finishCell(units, cells, cellType, true, -1, -1, false, -1, -1, j + 2);
    }
    // `><v>`, the value, `</v></c>`
    if (j + 4 > end || units[j] !== GT || units[j + 1] !== LT || units[j + 2] !== 118 /* v */ || units[j + 3] !== GT) return NOT_CANONICAL;
    const valueStart = j + 4;
    let valueEnd = valueStart;
    let escaped = false;
    for (; valueEnd < end; valueEnd++) {
      unit = units[valueEnd]!;
      if (unit === LT) break;
      if (unit === AMPERSAND || unit === UNDERSCORE) escaped = true;
    }
    if (
      valueEnd + 8 > end ||
      units[valueEnd + 1] !== SLASH ||
      units[valueEnd + 2] !== 118 /* v */ ||
      units[valueEnd + 3] !== GT ||
      units[valueEnd + 4] !== LT ||
      units[valueEnd + 5] !== SLASH ||
      units[valueEnd + 6] !== 99 /* c */ ||
      units[valueEnd + 7] !== GT
    )
      return NOT_CANONICAL;
    column = index - 1;
    return finishCell(units, cells, cellType, false, valueStart, valueEnd, escaped, -1, -1, valueEnd + 8);
  };

  /** Reads one `<c …>` at `at` into `cells`; returns the index after it, or INCOMPLETE. */
  const readCell = (units: Units, at: number, end: number, cells: string[]): number => {
    column = summary ? summary.lastColumn + 1 : cells.length;
    const canonical = readCanonicalCell(units, at, end, cells);
    if (canonical !== NOT_CANONICAL) return canonical;
    // The start tag's attributes, read in place (half a report's time is spent
    // in cell tags): r gives the column, t the type; others are skipped.
    let cellType = CellType.Number;
    let j = at + 2;
    let selfClosing = false;
    for (;;) {
      let unit = units[j];
      while (j < end && (unit === 32 || unit === 9 || unit === 10 || unit === 13)) unit = units[++j];
      if (j >= end) return INCOMPLETE;
      if (unit === GT) {
        j++;
        break;
      }
      if (unit === SLASH) {
        if (j + 1 >= end) return INCOMPLETE;
        j += 2;
        selfClosing = true;
        break;
      }
      const name = j;
      while (j < end && (unit = units[j]) !== EQUALS && unit !== 32 && unit !== 9 && unit !== 10 && unit !== 13 && unit !== GT) j++;
      const nameLength = j - name;
      while (j < end && ((unit = units[j]) === 32 || unit === 9 || unit === 10 || unit === 13)) j++;
      if (j >= end) return INCOMPLETE;
      if (unit !== EQUALS) continue; // an attribute without a value: not SpreadsheetML, skipped
      j++;
      while (j < end && ((unit = units[j]) === 32 || unit === 9 || unit === 10 || unit === 13)) j++;
      if (j >= end) return INCOMPLETE;
      const quote = units[j]!;
      if (quote !== DOUBLE_QUOTE && quote !== SINGLE_QUOTE) return at + 2;
      const value = j + 1;
      j = value;
      while (j < end && units[j] !== quote) j++;
      if (j >= end) return INCOMPLETE;
      if (nameLength === 1) {
        const letter = units[name];
        if (letter === R && j > value) {
          let index = 0;
          for (let i = value; i < j; i++) {
            const code = units[i]!;
            if (code < 65 || code > 90) break;
            index = index * 26 + (code - 64);
          }
          column = index - 1;
        } else if (letter === T) {
          const length = j - value;
          const first = units[value];
          if (length === 1 && first === 115 /* s */) cellType = CellType.Shared;
          else if (length === 1 && first === 98 /* b */) cellType = CellType.Boolean;
          else if (length === 9 && matches(units, value, j, "inlineStr")) cellType = CellType.Inline;
          else cellType = CellType.Number;
        }
      }
      j++;
    }
    let next = j;
    let valueStart = -1;
    let valueEnd = -1;
    // An entity or an _xHHHH_ escape in the value: decoded; most values have neither.
    let escaped = false;
    let inlineStart = -1;
    let inlineEnd = -1;
    if (!selfClosing) {
      let k = next;
      for (;;) {
        k = indexOfUnit(units, LT, k, end);
        if (k < 0 || k + 4 > end) return INCOMPLETE;
        if (units[k + 1] === SLASH && units[k + 2] === 99 /* c */ && units[k + 3] === GT) {
          next = k + 4;
          break;
        }
        if (valueStart < 0 && units[k + 1] === 118 /* v */ && units[k + 2] === GT) {
          valueStart = k + 3;
          valueEnd = valueStart;
          escaped = false;
          for (; valueEnd < end; valueEnd++) {
            const unit = units[valueEnd]!;
            if (unit === LT) break;
            if (unit === AMPERSAND || unit === UNDERSCORE) escaped = true;
          }
          if (valueEnd >= end) return INCOMPLETE;
          k = valueEnd;
          continue;
        }
        if (inlineStart < 0 && units[k + 1] === 105 /* i */ && matches(units, k, end, "<is>")) {
          inlineStart = k + 4;
          let close = k + 4;
          for (;;) {
            close = indexOfUnit(units, LT, close, end);
            if (close < 0) return INCOMPLETE;
            if (matches(units, close, end, "</is>")) break;
            if (close + 5 > end) return INCOMPLETE;
            close++;
          }
          inlineEnd = close;
          k = close;
          continue;
        }
        k++;
      }
    }
    return finishCell(units, cells, cellType, selfClosing, valueStart, valueEnd, escaped, inlineStart, inlineEnd, next);
  };

  /** Reads one `<row …>` at `at`; returns the index after it, or INCOMPLETE. */
  const readRow = (units: Units, at: number, end: number, lightly = light?.wanted() ?? false): number => {
    summary = lightly ? { count: 0, index: -1, text: "", lastColumn: -1, unordered: false } : null;
    rowNumber = nextRowNumber;
    const tag = readAttributes(units, at + 4, end, attribute, onRowAttribute, tagEnd);
    if (!tag) return INCOMPLETE;
    if (tag.next === INCOMPLETE) return at + 4;
    const number = rowNumber;
    if (parts.skipRow?.(number)) {
      summary = null;
      const after = tag.selfClosing ? tag.next : endOfRow(units, tag.next, end);
      if (after < 0) return INCOMPLETE;
      nextRowNumber = number + 1;
      return after;
    }
    const cells: string[] = parts.reuseCells ? reused : [];
    cells.length = 0;
    let k = tag.next;
    const selfClosing = tag.selfClosing;
    if (!selfClosing) {
      for (;;) {
        k = indexOfUnit(units, LT, k, end);
        if (k < 0 || k + 6 > end) return INCOMPLETE;
        const unit = units[k + 1];
        if (unit === 99 /* c */ && endsName(units[k + 2])) {
          k = readCell(units, k, end, cells);
          if (k < 0) return INCOMPLETE;
          // A light row's gist is settled once its first column and one more
          // non-empty cell are seen (a consumer tells only 0, 1 or more cells
          // apart): the rest of the row is passed over unread.
          if (summary && summary.index === 0 && summary.count >= 2 && !summary.unordered) {
            k = endOfRow(units, k, end);
            if (k < 0) return INCOMPLETE;
            break;
          }
          continue;
        }
        if (unit === SLASH && matches(units, k, end, "</row>")) {
          k += 6;
          break;
        }
        k++;
      }
    }
    if (summary?.unordered) return readRow(units, at, end, false);
    nextRowNumber = number + 1;
    if (summary) {
      const { index, text, count } = summary;
      summary = null;
      light!.onRow({ index, text, count }, number);
    } else onRow(cells, number);
    return k;
  };

  return (units, end, final) => {
    let at = 0;
    for (;;) {
      const start = indexOfUnit(units, LT, at, end);
      if (start < 0) return end;
      if (start + 5 > end) return final ? end : start;
      if (units[start + 1] === R && units[start + 2] === 111 /* o */ && units[start + 3] === 119 /* w */ && endsName(units[start + 4])) {
        const next = readRow(units, start, end);
        if (next < 0) return final ? end : start;
        at = next;
        continue;
      }
      at = start + 1;
    }
  };
}

/** A shared-string cell's item number, read from its digits (anything else, as a number's text). */
function sharedIndex(units: Units, valueStart: number, valueEnd: number): number {
  let index = 0;
  let digits = valueEnd > valueStart;
  for (let i = valueStart; i < valueEnd; i++) {
    const unit = units[i]!;
    if (unit < 48 || unit > 57) digits = false;
    index = index * 10 + (unit - 48);
  }
  return digits ? index : Number(unitsText(units, valueStart, valueEnd));
}

/**
 * The index after the `</row>` at or after `from`, or INCOMPLETE. Cell texts
 * hold no raw "<", so a "w" preceded by "</ro" and followed by ">" ends the
 * row; the array's own indexOf finds each "w" several times faster than a
 * loop over the units (a report's Orders rows are mostly passed over this way).
 */
function endOfRow(units: Units, from: number, end: number): number {
  for (let k = from; ;) {
    const w = units.indexOf(119 /* w */, k);
    if (w < 0 || w + 1 >= end) return INCOMPLETE;
    if (w >= from + 4 && units[w - 4] === LT && units[w - 3] === SLASH && units[w - 2] === R && units[w - 1] === 111 /* o */ && units[w + 1] === GT)
      return w + 2;
    k = w + 1;
  }
}

const ITEM_RUN_END = "</t></si>";

/**
 * The usual item, `<si><t>text</t></si>` (`start` at its "<"), read in one
 * pass over its text: added to `strings`, and the index after it returned;
 * NOT_CANONICAL for any other form (read the general way), INCOMPLETE when
 * the window ends inside it.
 */
function readPlainItem(units: Units, start: number, end: number, strings: SharedStrings, parts: { units: () => XmlUnits }): number {
  const text = start + 7;
  if (text > end) return INCOMPLETE;
  if (units[start + 4] !== LT || units[start + 5] !== 116 /* t */ || units[start + 6] !== GT) return NOT_CANONICAL;
  let escaped = false;
  let i = text;
  for (; i < end; i++) {
    const unit = units[i]!;
    if (unit === LT) break;
    if (unit === AMPERSAND || unit === UNDERSCORE) escaped = true;
  }
  if (i + ITEM_RUN_END.length > end) return INCOMPLETE;
  if (!matches(units, i, end, ITEM_RUN_END)) return NOT_CANONICAL;
  if (escaped) strings.addText(decodeXmlText(parts.units().text(units, text, i)));
  else strings.addPlain(units, text, i);
  return i + ITEM_RUN_END.length;
}

/** Collects the shared-string table (`<si>` items in order) into `strings`. */
export function sharedStringsScanner(parts: { units: () => XmlUnits }, strings: SharedStrings): ConsumeUnits {
  return (units, end, final) => {
    let at = 0;
    for (;;) {
      const start = indexOfUnit(units, LT, at, end);
      if (start < 0) return end;
      if (start + 5 > end) return final ? end : start;
      if (units[start + 1] === 115 /* s */ && units[start + 2] === 105 /* i */) {
        if (matches(units, start, end, "<si/>")) {
          strings.addText("");
          at = start + 5;
          continue;
        }
        if (units[start + 3] === GT) {
          const plainEnd = readPlainItem(units, start, end, strings, parts);
          if (plainEnd === INCOMPLETE) return final ? end : start;
          if (plainEnd !== NOT_CANONICAL) {
            at = plainEnd;
            continue;
          }
          const content = start + 4;
          let close = content;
          for (;;) {
            close = indexOfUnit(units, LT, close, end);
            if (close < 0 || close + 5 > end) return final ? end : start;
            if (matches(units, close, end, "</si>")) break;
            close++;
          }
          // Not one plain run (readPlainItem): rich text, attributes on <t>, phonetic runs.
          strings.addText(content < close ? stringItemText(parts.units().text(units, content, close)) : "");
          at = close + 5;
          continue;
        }
      }
      at = start + 1;
    }
  };
}
