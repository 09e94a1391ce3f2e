// Header rows: normalised names (case, accents and punctuation do not
// matter), unique column keys (some formats print "Price" and "Time" twice and
// mean open and close), and a stable signature for remembering a mapping.
import { createHash } from "node:crypto";
import type { ImportFileError } from "../outcome.ts";

export function normaliseHeader(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9#&/%а-яё]+/g, " ")
    .trim();
}

// Names that exports repeat on purpose, first for the open and then for the
// close (MT5 "Time … Time", FTMO "Prix … Prix").
const REPEATABLE = new Set([
  "price",
  "prix",
  "preis",
  "precio",
  "prezzo",
  "preco",
  "цена",
  "kurs",
  "time",
  "heure",
  "zeit",
  "hora",
  "ora",
  "время",
  "date",
  "datum",
  "fecha",
  "data",
]);

export type HeaderKeysResult = { ok: true; keys: string[] } | { ok: false; error: ImportFileError };

/**
 * One unique key per column: the header text, "Price (2)" for the second of a
 * repeatable name, "Column 5" for an empty header. Any other repeated name is
 * an error naming the columns, because guessing which "Profit" is which would
 * import wrong money.
 */
export function uniqueHeaderKeys(headers: string[]): HeaderKeysResult {
  const seen = new Map<string, number[]>();
  headers.forEach((header, index) => {
    const normalised = normaliseHeader(header);
    if (normalised === "") return;
    seen.set(normalised, [...(seen.get(normalised) ?? []), index]);
  });
  const duplicates = [...seen.entries()].filter(([name, indexes]) => indexes.length > 1 && !REPEATABLE.has(name));
  if (duplicates.length > 0) {
    const described = duplicates
      .map(([, indexes]) => `"${headers[indexes[0]!]!.trim()}" (columns ${indexes.map((index) => index + 1).join(", ")})`)
      .join(" and ");
    return {
      ok: false,
      error: {
        code: "duplicate-headers",
        message: `The header row repeats ${described}, so it is not clear which column holds which value. Rename the repeated columns so each name is unique, then upload the file again.`,
      },
    };
  }
  const occurrence = new Map<string, number>();
  const keys = headers.map((header, index) => {
    const trimmed = header.trim();
    if (trimmed === "") return `Column ${index + 1}`;
    const normalised = normaliseHeader(trimmed);
    const count = (occurrence.get(normalised) ?? 0) + 1;
    occurrence.set(normalised, count);
    return count === 1 ? trimmed : `${trimmed} (${count})`;
  });
  return { ok: true, keys };
}

/** Stable id of a header row (≤ 128 chars): "csv1:" + sha256 of the normalised names joined by "|". */
export function headerSignature(headers: string[]): string {
  const canonical = headers.map(normaliseHeader).join("|");
  return "csv1:" + createHash("sha256").update(canonical, "utf8").digest("hex");
}

/** The row as a record keyed by column key (missing trailing cells are ""). */
export function rowRecord(keys: string[], cells: string[]): Record<string, string> {
  const record: Record<string, string> = {};
  keys.forEach((key, index) => {
    record[key] = cells[index] ?? "";
  });
  return record;
}
