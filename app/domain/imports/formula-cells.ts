// Spreadsheet formula injection: a cell such as `=cmd|' /C calc'!A0` or
// `=HYPERLINK(…)` runs when someone opens an exported file in Excel. Imports
// refuse the whole row instead of storing the text, and say which column held
// it. A plain signed number ("-2.50", "+7", "- 2.50", "-€2") is a number, not
// a formula. The MT5/MT4 report parsers can call formulaCellReason too.

const FORMULA_TRIGGERS = ["=", "+", "-", "@", "\t", "\r"];
// A signed amount as exports print it: "-2.50", "- 2.50", "-1 387,50", "-€2", "+7 USD".
const PLAIN_NUMBER = /^[+-]\s?[$€£¥₽]?\s?\d[\d\s\u00a0\u202f.,']*(?:\s?(?:[$€£¥₽%]|[A-Z]{3}))?$/;

function describeTrigger(char: string): string {
  if (char === "\t") return "a tab";
  if (char === "\r") return "a carriage return";
  return `'${char}'`;
}

/** The formula trigger a cell starts with, or null when the cell is safe. */
export function formulaTrigger(cell: string): string | null {
  if (cell === "") return null;
  const first = cell[0]!;
  if (!FORMULA_TRIGGERS.includes(first)) return null;
  if ((first === "+" || first === "-") && PLAIN_NUMBER.test(cell.trim())) return null;
  // A lone "-" is how many exports print "no value".
  if (cell.trim() === "-" || cell.trim() === "+") return null;
  return first;
}

/**
 * The first cell of a row that looks like a spreadsheet formula, as a reason a
 * person can read ("Comment starts with '=' (a spreadsheet formula); formulas
 * are not imported"), or null when every cell is safe.
 */
export function formulaCellReason(cells: Record<string, string | null | undefined>): string | null {
  for (const [column, value] of Object.entries(cells)) {
    if (typeof value !== "string") continue;
    const trigger = formulaTrigger(value);
    if (trigger !== null) {
      return `${column} starts with ${describeTrigger(trigger)} (a spreadsheet formula); formulas are not imported`;
    }
  }
  return null;
}

/** formulaCellReason for a row held as cells with their column names (no record object needed). */
export function formulaCellReasonInCells(columns: readonly string[], cells: readonly string[]): string | null {
  for (let index = 0; index < cells.length; index++) {
    const cell = cells[index]!;
    if (cell === "" || !FORMULA_TRIGGERS.includes(cell[0]!)) continue;
    const trigger = formulaTrigger(cell);
    if (trigger !== null) {
      return `${columns[index] ?? `Column ${index + 1}`} starts with ${describeTrigger(trigger)} (a spreadsheet formula); formulas are not imported`;
    }
  }
  return null;
}
