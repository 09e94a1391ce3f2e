// Reads the rows of the HTML tables in a MetaTrader report: one pass with a
// global regex over tags, no DOM, so 100 MB of report markup reads in a few
// seconds with little memory beyond the cell texts themselves.
//
// Cell text keeps U+00A0 for `&nbsp;` (parseBrokerNumber reads NBSP thousands
// separators), collapses ASCII whitespace, and drops markup (`<b>`, `<br>`).
// Hidden cells (class "hidden" or display:none — MT5 puts each position's
// comment in one spanning eight columns) are flagged so callers leave them
// out of the column grid.

export interface HtmlCell {
  text: string;
  colspan: number;
  title: string | null;
  hidden: boolean;
  header: boolean;
}

export interface HtmlRow {
  cells: HtmlCell[];
}

const TOKEN = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
const ATTRIBUTE = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;

const STYLE_END = /<\/style/gi;
const SCRIPT_END = /<\/script/gi;

const NAMED_ENTITIES: Record<string, string> = {
  nbsp: "\u00a0",
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  minus: "\u2212",
  ndash: "\u2013",
  mdash: "\u2014",
  euro: "€",
  pound: "£",
  yen: "¥",
  copy: "©",
  reg: "®",
  middot: "·",
  laquo: "«",
  raquo: "»",
};

export function decodeHtmlEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(#[xX][0-9a-fA-F]+|#\d+|[a-zA-Z]+);?/g, (whole, body: string) => {
    if (body[0] === "#") {
      const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}

/** Collapses ASCII whitespace (not NBSP) and trims it. */
function cleanText(raw: string): string {
  return decodeHtmlEntities(raw.replace(/[ \t\r\n\f]+/g, " ")).replace(/^ +| +$/g, "");
}

function readAttributes(source: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  if (!source) return attributes;
  ATTRIBUTE.lastIndex = 0;
  for (let match = ATTRIBUTE.exec(source); match; match = ATTRIBUTE.exec(source)) {
    attributes[match[1]!.toLowerCase()] = decodeHtmlEntities(match[2] ?? match[3] ?? match[4] ?? "");
  }
  return attributes;
}

/** Every `<tr>` of the document in order (nested tables are flattened). */
export function readHtmlTableRows(html: string): HtmlRow[] {
  const rows: HtmlRow[] = [];
  let row: HtmlRow | null = null;
  let cell: { parts: string[]; colspan: number; title: string | null; hidden: boolean; header: boolean } | null = null;
  let last = 0;

  const closeCell = () => {
    if (cell && row) {
      row.cells.push({ text: cleanText(cell.parts.join("")), colspan: cell.colspan, title: cell.title, hidden: cell.hidden, header: cell.header });
    }
    cell = null;
  };
  const closeRow = () => {
    closeCell();
    if (row) rows.push(row);
    row = null;
  };

  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(html); match; match = TOKEN.exec(html)) {
    if (cell && match.index > last) (cell as { parts: string[] }).parts.push(html.slice(last, match.index));
    last = TOKEN.lastIndex;
    const name = match[2];
    if (!name) continue; // comment
    const tag = name.toLowerCase();
    const closing = match[1] === "/";
    if (tag === "style" || tag === "script") {
      if (!closing) {
        const endTag = tag === "style" ? STYLE_END : SCRIPT_END;
        endTag.lastIndex = TOKEN.lastIndex;
        const end = endTag.exec(html);
        TOKEN.lastIndex = end ? end.index : html.length;
        last = TOKEN.lastIndex;
      }
      continue;
    }
    if (tag === "tr") {
      closeRow();
      if (!closing) row = { cells: [] };
    } else if (tag === "td" || tag === "th") {
      closeCell();
      if (!closing) {
        if (!row) row = { cells: [] };
        const attributes = readAttributes(match[3] ?? "");
        const colspan = Number.parseInt(attributes.colspan ?? "1", 10);
        const style = (attributes.style ?? "").toLowerCase().replace(/\s+/g, "");
        cell = {
          parts: [],
          colspan: Number.isFinite(colspan) && colspan > 0 ? Math.min(colspan, 1000) : 1,
          title: attributes.title ?? null,
          hidden: /(?:^|\s)hidden(?:\s|$)/i.test(attributes.class ?? "") || style.includes("display:none") || "hidden" in attributes,
          header: tag === "th",
        };
      }
    } else if (tag === "table") {
      closeRow();
    } else if (tag === "br" && cell) {
      (cell as { parts: string[] }).parts.push(" ");
    }
  }
  closeRow();
  return rows;
}

/**
 * The row laid out on the table's column grid: a cell spanning n columns
 * puts its text in the first and "" in the rest; hidden cells take no
 * columns. Texts are trimmed of NBSP too, so an `&nbsp;` cell is "".
 */
export function gridCells(row: HtmlRow): string[] {
  const out: string[] = [];
  for (const cell of row.cells) {
    if (cell.hidden) continue;
    out.push(cell.text.replace(/^[\s\u00a0]+|[\s\u00a0]+$/g, ""));
    for (let i = 1; i < cell.colspan; i += 1) out.push("");
  }
  return out;
}

/** Texts of the hidden cells of a row (MT5 position comments). */
export function hiddenTexts(row: HtmlRow): string[] {
  return row.cells.filter((cell) => cell.hidden).map((cell) => cell.text);
}
