// Any other tabular export: the user maps columns to trade fields once (the
// mapping is remembered per header signature by the caller), then every row
// becomes a trade, a cash movement or a rejected row with its reason.
import { dec, toDecimalString, ZERO, type BigNumber } from "../../decimal.ts";
import type { CashMovementInput, RejectedRow, TradeInput } from "../../trades/types.ts";
import { cashFingerprint } from "../fingerprint.ts";
import { formulaCellReasonInCells } from "../formula-cells.ts";
import type { ParseOutcome } from "../outcome.ts";
import type { ColumnMapping, ParseOptions } from "../parse-options.ts";
import { cashKindOf, commentOrNull, parseNumberCell, parseSide } from "./cells.ts";
import { decideDayOrder, excelSerialToDate, headerUtcOffsetMinutes, parseDateText, toUtc, type DayOrder, type UtcTime } from "./dates.ts";
import { GENERIC_FIELDS, missingMappedFields, suggestMapping, type GenericField } from "./generic-fields.ts";
import { headerSignature, rowRecord, uniqueHeaderKeys } from "./headers.ts";
import { readCsv, sniffDecimalSeparator, type DecimalSeparator, type Delimiter } from "./read-csv.ts";
import { buildRowTrade } from "./row-trade.ts";

const SAMPLE_ROWS = 5;

const isBlank = (cells: string[]) => cells.every((cell) => cell.trim() === "");

/**
 * The header row: among the opening rows, the first with nearly as many
 * filled cells as the widest row and none of them a number or a date, so
 * title lines above it ("Report", "Name: …, Produced At: 17/06/2026") are
 * skipped.
 */
export function findHeaderRow(rows: string[][]): number {
  const limit = Math.min(rows.length, 30);
  const filledCounts = rows.slice(0, limit).map((cells) => cells.filter((cell) => cell.trim() !== "").length);
  const widest = Math.max(0, ...filledCounts);
  for (let index = 0; index < limit; index++) {
    if (filledCounts[index]! < 2 || filledCounts[index]! < widest * 0.6) continue;
    const filled = rows[index]!.map((cell) => cell.trim()).filter((cell) => cell !== "");
    if (filled.every((cell) => !/^[-+−(]?[\d\s.,:/]+\)?$/.test(cell) && !/^\d{4}[.\-/]\d/.test(cell))) return index;
  }
  return rows.findIndex((row) => !isBlank(row));
}

function completeMapping(provided: ColumnMapping | undefined, keys: string[]): ColumnMapping {
  const suggested = suggestMapping(keys);
  if (!provided) return suggested;
  const merged: ColumnMapping = { ...suggested };
  for (const [field, column] of Object.entries(provided)) {
    if (column === null || keys.includes(column)) merged[field] = column;
  }
  return merged;
}

interface RowReader {
  record: Record<string, string>;
  errors: string[];
}

function makeReaders(mapping: ColumnMapping, decimalSeparator: DecimalSeparator, order: DayOrder, options: ParseOptions, excelSerialDates: boolean) {
  const label = (field: GenericField) => GENERIC_FIELDS.find((info) => info.name === field)!.label.replace(/ \(.*\)$/, "");
  const column = (field: GenericField) => mapping[field] ?? null;
  const text = (reader: RowReader, field: GenericField): string => {
    const key = column(field);
    return key ? (reader.record[key] ?? "").trim() : "";
  };
  const number = (reader: RowReader, field: GenericField, required: boolean): BigNumber | null => {
    const value = text(reader, field);
    if (value === "") {
      if (required) reader.errors.push(`${label(field)} is empty`);
      return null;
    }
    const parsed = parseNumberCell(value, decimalSeparator);
    if (parsed === null) reader.errors.push(`${label(field)} "${value}" is not a number`);
    return parsed;
  };
  const time = (reader: RowReader, field: GenericField, required: boolean): UtcTime | null => {
    const value = text(reader, field);
    if (value === "") {
      if (required) reader.errors.push(`${label(field)} is empty`);
      return null;
    }
    const parsed = parseDateText(value, order) ?? (excelSerialDates ? excelSerialToDate(value) : null);
    if (!parsed) {
      reader.errors.push(`${label(field)} ${value} is not a date`);
      return null;
    }
    return toUtc(parsed, headerUtcOffsetMinutes(column(field) ?? ""), options.serverTimeZone);
  };
  return { text, number, time, label };
}

/** Parses a CSV that no known format claimed, with the user's column mapping. */
export function parseGenericCsv(text: string, options: ParseOptions): ParseOutcome {
  const read = readCsv(text);
  if (!read.ok) return { ok: false, error: read.error, format: "generic-csv" };
  return parseGenericTable(read.table.rows, options, { delimiter: read.table.delimiter, excelSerialDates: false });
}

export interface TableSource {
  /** The CSV delimiter; a spreadsheet passes ";" so decimal commas in text cells are still recognised. */
  delimiter: Delimiter;
  /** Spreadsheet cells formatted as dates hold Excel serial numbers (45762.59). */
  excelSerialDates: boolean;
}

/** The generic importer over rows of cells (from a CSV or a spreadsheet that is not an MT5 report). */
export function parseGenericTable(rows: string[][], options: ParseOptions, source: TableSource): ParseOutcome {
  const { delimiter } = source;
  const headerIndex = findHeaderRow(rows);
  if (headerIndex < 0) return { ok: false, error: { code: "empty", message: "The CSV file has no rows." }, format: "generic-csv" };
  const headerCells = rows[headerIndex]!;
  const keysResult = uniqueHeaderKeys(headerCells);
  if (!keysResult.ok) return { ok: false, error: keysResult.error, format: "generic-csv" };
  const keys = keysResult.keys;
  const dataRows = rows
    .slice(headerIndex + 1)
    .map((cells, offset) => ({ cells, row: headerIndex + offset + 2 }))
    .filter(({ cells }) => !isBlank(cells));
  if (dataRows.length === 0) {
    return {
      ok: false,
      error: { code: "no-trades", message: `The CSV has a header row (row ${headerIndex + 1}) but no rows below it, so there is nothing to import.` },
      format: "generic-csv",
    };
  }

  const missing = missingMappedFields(options.columnMapping, keys);
  if (missing.length > 0) {
    return {
      ok: false,
      format: "generic-csv",
      error: {
        code: "needs-mapping",
        message: `Match the columns of this CSV to trade fields before importing (still missing: ${missing.join(", ")}).`,
      },
      mapping: {
        headers: keys,
        sampleRows: dataRows.slice(0, SAMPLE_ROWS).map(({ cells }) => keys.map((_, index) => cells[index] ?? "")),
        headerSignature: headerSignature(headerCells),
        suggested: completeMapping(options.columnMapping, keys),
        fields: GENERIC_FIELDS.map(({ name, label, required }) => ({ name, label, required })),
      },
    };
  }
  const mapping = options.columnMapping!;
  const decimalSeparator = sniffDecimalSeparator(
    dataRows.map(({ cells }) => cells),
    delimiter,
  );
  const warnings: string[] = [];
  if (decimalSeparator === ",") warnings.push("Numbers in this file use a decimal comma (1,5 = one and a half).");

  const dateValues: string[] = [];
  for (const field of ["openTime", "closeTime"] as const) {
    const key = mapping[field];
    const index = key ? keys.indexOf(key) : -1;
    if (index >= 0) for (const { cells } of dataRows) dateValues.push((cells[index] ?? "").trim());
  }
  const dayOrder = decideDayOrder(dateValues);
  if (dayOrder.conflicting) {
    warnings.push(
      "Some dates only make sense day-first and others only month-first; rows whose dates do not fit day-first are rejected. Check the date columns.",
    );
  } else if (dayOrder.undecided) {
    warnings.push(
      `No date in this file has a day above 12, so day and month cannot be told apart; dates were read ${dayOrder.order === "mdy" ? "month-first (MM/DD/YYYY, as with AM/PM times)" : "day-first (DD/MM/YYYY)"}. Check the preview.`,
    );
  }
  const cellOf = makeReaders(mapping, decimalSeparator, dayOrder.order, options, source.excelSerialDates);

  const trades: TradeInput[] = [];
  const cash: CashMovementInput[] = [];
  const rejected: RejectedRow[] = [];
  const seenIds = new Map<string, number>();

  for (const { cells, row } of dataRows) {
    const record = rowRecord(keys, cells);
    const reject = (reason: string) => rejected.push({ row, reason, values: record });
    const formula = formulaCellReasonInCells(keys, cells);
    if (formula) {
      reject(formula);
      continue;
    }
    const reader: RowReader = { record, errors: [] };
    const sideText = cellOf.text(reader, "side");
    const cashKind = cashKindOf(sideText);
    const comment = commentOrNull(cellOf.text(reader, "comment"));
    const idText = cellOf.text(reader, "positionId") || null;

    if (cashKind) {
      const amount = cellOf.number(reader, "profit", false) ?? cellOf.number(reader, "netProfit", false);
      const occurred = cellOf.time(reader, "openTime", true);
      if (amount === null && reader.errors.length === 0) reader.errors.push("a balance row needs its amount in the Profit column");
      if (reader.errors.length > 0 || amount === null || occurred === null) {
        reject(reader.errors.join("; "));
        continue;
      }
      const kind = cashKind === "balance" ? (amount.lt(0) ? "withdrawal" : "deposit") : cashKind;
      const amountText = toDecimalString(amount);
      cash.push({
        dealId: idText ?? cashFingerprint({ kind, occurredAt: occurred.at, amount: amountText, comment }),
        kind,
        amount: amountText,
        occurredAt: occurred.at,
        serverUtcOffsetMinutes: occurred.offsetMinutes,
        comment,
      });
      continue;
    }

    const brokerSymbol = cellOf.text(reader, "symbol");
    if (brokerSymbol === "") reader.errors.push("Symbol is empty");
    else if (brokerSymbol.length > 40) reader.errors.push(`Symbol "${brokerSymbol.slice(0, 40)}…" is longer than 40 characters`);
    const direction = parseSide(sideText);
    if (sideText === "") reader.errors.push("Side is empty");
    else if (!direction) reader.errors.push(`Side "${sideText}" is not buy or sell`);
    const opened = cellOf.time(reader, "openTime", true);
    const closed = cellOf.time(reader, "closeTime", false);
    const volume = cellOf.number(reader, "volume", true);
    const entryPrice = cellOf.number(reader, "openPrice", true);
    const exitPrice = cellOf.number(reader, "closePrice", closed !== null && mapping.closePrice != null);
    const stopLoss = cellOf.number(reader, "stopLoss", false);
    const takeProfit = cellOf.number(reader, "takeProfit", false);
    const commission = cellOf.number(reader, "commission", false) ?? ZERO;
    const swap = cellOf.number(reader, "swap", false) ?? ZERO;
    const fee = cellOf.number(reader, "fee", false) ?? ZERO;
    const profit = cellOf.number(reader, "profit", false);
    const netProfit = profit === null ? cellOf.number(reader, "netProfit", false) : null;
    if (volume && volume.lte(0)) reader.errors.push(`Volume ${volume.toFixed()} is not above zero`);
    if (entryPrice && entryPrice.lte(0)) reader.errors.push(`Open price ${entryPrice.toFixed()} is not above zero`);
    if (exitPrice && exitPrice.lte(0)) reader.errors.push(`Close price ${exitPrice.toFixed()} is not above zero`);
    if (closed && !exitPrice && !reader.errors.some((error) => error.startsWith("Close price"))) reader.errors.push("Close price is empty");
    if (closed && opened && closed.at < opened.at) reader.errors.push("Close time is before open time");
    if (closed && profit === null && netProfit === null && !reader.errors.some((error) => /profit/i.test(error))) {
      reader.errors.push("Profit is empty for a closed trade");
    }
    if (reader.errors.length > 0 || !direction || !opened || !volume || !entryPrice) {
      reject(reader.errors.join("; "));
      continue;
    }
    const grossProfit = profit ?? (netProfit ? netProfit.minus(commission).minus(swap).minus(fee) : dec(0));
    const trade = buildRowTrade({
      positionId: idText,
      brokerSymbol,
      direction,
      opened,
      closed: closed && exitPrice ? closed : null,
      volume,
      entryPrice,
      exitPrice,
      stopLoss,
      takeProfit,
      grossProfit,
      commission,
      swap,
      fee,
      comment,
      raw: record,
    });
    const firstRow = seenIds.get(trade.positionId);
    if (firstRow !== undefined) {
      reject(
        idText
          ? `Ticket ${idText} appears again (first on row ${firstRow}); each position is imported once`
          : `Same symbol, side, open time, volume and price as row ${firstRow}; the copy is not imported twice`,
      );
      continue;
    }
    seenIds.set(trade.positionId, row);
    trades.push(trade);
  }

  return {
    ok: true,
    parsed: {
      format: "generic-csv",
      language: null,
      account: null,
      trades,
      cash,
      rejected,
      warnings,
      sourceRowCount: dataRows.length,
    },
  };
}
