// The rejected rows of an import as CSV (row, section, reason, then the row's
// own columns). A cell that starts with = + - @ (or a tab or carriage return)
// is prefixed with ' so a spreadsheet shows it as text instead of running it.
import type { RejectedRow } from "~/domain/trades/types.ts";

export function neutraliseCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function csvCell(value: string): string {
  const safe = neutraliseCell(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function rejectedRowsCsv(rows: RejectedRow[]): string {
  const valueColumns: string[] = [];
  const known = new Set<string>();
  for (const row of rows) {
    for (const key of Object.keys(row.values)) {
      if (!known.has(key)) {
        known.add(key);
        valueColumns.push(key);
      }
    }
  }
  const lines = [["row", "section", "reason", ...valueColumns].map(csvCell).join(",")];
  for (const row of rows) {
    lines.push([String(row.row), row.section ?? "", row.reason, ...valueColumns.map((c) => row.values[c] ?? "")].map(csvCell).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}
