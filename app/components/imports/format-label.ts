// How import formats and report languages are named on screen.
import type { ImportFormat } from "~/domain/trades/types.ts";

const FORMAT_LABELS: Record<ImportFormat, string> = {
  "mt5-html": "MT5 trade history report (HTML)",
  "mt5-xlsx": "MT5 trade history report (Excel)",
  "mt4-html": "MT4 detailed statement (HTML)",
  "mt5-positions-csv": "MT5 position history (CSV)",
  "ctrader-csv": "cTrader history (CSV)",
  "generic-csv": "CSV with your column mapping",
  json: "RawJournal JSON",
};

export function formatLabel(format: ImportFormat | string): string {
  return FORMAT_LABELS[format as ImportFormat] ?? format;
}

const LANGUAGES = new Intl.DisplayNames(["en"], { type: "language" });

export function languageLabel(code: string | null): string | null {
  if (!code) return null;
  try {
    return LANGUAGES.of(code) ?? code;
  } catch {
    return code;
  }
}
