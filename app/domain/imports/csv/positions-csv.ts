// MT5 "Position History" CSV from broker portals: one row per deal, keyed by
// Position, with "Trade Buy In" / "Trade Sell Out" legs and US AM/PM times:
//
//   Report,,,,,,,,
//   Name: Mt5 Position History List ,Produced At: 17/06/2026 19:49,,,,,,,
//   Symbol,Account Number,Position,Position Status,Date Time,Transaction Type,Trade Volume Lots,Open Price,Profit
//   XAUUSD    ,7390495,4272445503,Closed,3/2/2026 1:47:41 AM,Trade Buy In,0.01,5385.06,0
//
// Legs of one position become one trade (partial closes are exit legs, not
// separate trades); optional Commission / Swap / Fee / Comment / Deal columns
// are read when present.
import { sum, toDecimalString, ZERO, type BigNumber } from "../../decimal.ts";
import { normalizeSymbol } from "../../instruments/normalize-symbol.ts";
import type { CashMovementInput, Direction, RejectedRow, TradeInput, TradeLegInput } from "../../trades/types.ts";
import { cashFingerprint } from "../fingerprint.ts";
import { formulaCellReasonInCells } from "../formula-cells.ts";
import type { ParseOutcome } from "../outcome.ts";
import type { ParseOptions } from "../parse-options.ts";
import { closeReasonFromComment, commentOrNull, parseNumberCell } from "./cells.ts";
import { decideDayOrder, headerUtcOffsetMinutes, parseDateText, toUtc, type UtcTime } from "./dates.ts";
import { normaliseHeader, rowRecord, uniqueHeaderKeys } from "./headers.ts";
import { readCsv, sniffDecimalSeparator } from "./read-csv.ts";

type Column =
  "symbol" | "account" | "position" | "status" | "time" | "type" | "volume" | "price" | "profit" | "commission" | "swap" | "fee" | "comment" | "deal";

const COLUMN_NAMES: Record<Column, string[]> = {
  symbol: ["symbol"],
  account: ["account number", "account", "login"],
  position: ["position", "position id", "position ticket"],
  status: ["position status", "status"],
  time: ["date time", "time", "date", "execution time"],
  type: ["transaction type", "deal type"],
  volume: ["trade volume lots", "volume lots", "volume", "lots"],
  price: ["open price", "price", "deal price"],
  profit: ["profit"],
  commission: ["commission", "commissions"],
  swap: ["swap"],
  fee: ["fee", "fees"],
  comment: ["comment"],
  deal: ["deal", "deal id", "ticket"],
};
const REQUIRED: Column[] = ["symbol", "position", "time", "type", "volume", "price", "profit"];

/** True when a normalised header row is the Position History layout. */
export function isPositionsCsvHeader(normalised: string[]): boolean {
  return (
    normalised.includes("transaction type") &&
    normalised.some((name) => COLUMN_NAMES.position.includes(name)) &&
    normalised.some((name) => COLUMN_NAMES.time.includes(name))
  );
}

const DEAL_TYPE = /^(?:trade\s+)?(buy|sell)\s+(in|out|inout|in\/out|out\s?by)$/i;
const CASH_TYPE = /^(?:balance|deposit|withdrawal|credit)$/i;

interface Leg {
  row: number;
  record: Record<string, string>;
  direction: Direction;
  entry: "in" | "out";
  at: UtcTime;
  volume: BigNumber;
  price: BigNumber;
  profit: BigNumber;
  commission: BigNumber;
  swap: BigNumber;
  fee: BigNumber;
  comment: string | null;
  dealId: string | null;
  brokerSymbol: string;
}

function vwap(legs: Leg[]): BigNumber {
  const volume = sum(legs.map((leg) => leg.volume));
  return sum(legs.map((leg) => leg.price.times(leg.volume))).div(volume);
}

export function parsePositionsCsv(text: string, options: ParseOptions): ParseOutcome {
  const read = readCsv(text);
  if (!read.ok) return { ok: false, error: read.error, format: "mt5-positions-csv" };
  const { rows, delimiter } = read.table;
  const headerIndex = rows.slice(0, 30).findIndex((cells) => isPositionsCsvHeader(cells.map(normaliseHeader)));
  if (headerIndex < 0) {
    return {
      ok: false,
      format: "mt5-positions-csv",
      error: { code: "unknown-format", message: "The Position History header row (Symbol, Position, Date Time, Transaction Type, …) was not found." },
    };
  }
  const keysResult = uniqueHeaderKeys(rows[headerIndex]!);
  if (!keysResult.ok) return { ok: false, error: keysResult.error, format: "mt5-positions-csv" };
  const keys = keysResult.keys;
  const normalisedKeys = keys.map(normaliseHeader);
  const columnKey = {} as Record<Column, string | null>;
  for (const column of Object.keys(COLUMN_NAMES) as Column[]) {
    const index = normalisedKeys.findIndex((name) => COLUMN_NAMES[column].includes(name));
    columnKey[column] = index >= 0 ? keys[index]! : null;
  }
  const absent = REQUIRED.filter((column) => columnKey[column] === null);
  if (absent.length > 0) {
    return {
      ok: false,
      format: "mt5-positions-csv",
      error: {
        code: "unknown-format",
        message: `The Position History CSV lacks the column${absent.length > 1 ? "s" : ""} ${absent.join(", ")}; export the full list from your broker's portal.`,
      },
    };
  }
  const dataRows = rows
    .slice(headerIndex + 1)
    .map((cells, offset) => ({ cells, row: headerIndex + offset + 2 }))
    .filter(({ cells }) => cells.some((cell) => cell.trim() !== ""));
  const decimalSeparator = sniffDecimalSeparator(
    dataRows.map(({ cells }) => cells),
    delimiter,
  );
  const timeIndex = keys.indexOf(columnKey.time!);
  const dayOrder = decideDayOrder(dataRows.map(({ cells }) => cells[timeIndex] ?? ""));
  const timeOffset = headerUtcOffsetMinutes(columnKey.time!);
  const warnings: string[] = [];
  if (dayOrder.undecided)
    warnings.push(
      `No date in this file has a day above 12; dates were read ${dayOrder.order === "mdy" ? "month-first (as with AM/PM times)" : "day-first"}. Check the preview.`,
    );

  const rejected: RejectedRow[] = [];
  const cash: CashMovementInput[] = [];
  const byPosition = new Map<string, Leg[]>();
  const accounts = new Set<string>();

  const columnIndex = {} as Record<Column, number>;
  for (const column of Object.keys(COLUMN_NAMES) as Column[]) columnIndex[column] = columnKey[column] ? keys.indexOf(columnKey[column]!) : -1;
  let cells: string[] = [];
  let errors: string[] = [];
  const get = (column: Column) => (columnIndex[column] >= 0 ? (cells[columnIndex[column]] ?? "").trim() : "");
  const number = (column: Column, label: string, required: boolean): BigNumber | null => {
    const value = get(column);
    if (value === "") {
      if (required) errors.push(`${label} is empty`);
      return required ? null : ZERO;
    }
    const parsed = parseNumberCell(value, decimalSeparator);
    if (parsed === null) errors.push(`${label} "${value}" is not a number`);
    return parsed;
  };

  for (const dataRow of dataRows) {
    const row = dataRow.row;
    cells = dataRow.cells;
    errors = [];
    const record = rowRecord(keys, cells);
    const reject = (reason: string) => rejected.push({ row, reason, values: record });
    const formula = formulaCellReasonInCells(keys, cells);
    if (formula) {
      reject(formula);
      continue;
    }
    const timeText = get("time");
    const parsedTime = timeText === "" ? null : parseDateText(timeText, dayOrder.order);
    if (timeText === "") errors.push("Date Time is empty");
    else if (!parsedTime) errors.push(`Date Time ${timeText} is not a date`);
    const at = parsedTime ? toUtc(parsedTime, timeOffset, options.serverTimeZone) : null;
    const typeText = get("type");
    const comment = commentOrNull(get("comment"));
    const account = get("account");
    if (account) accounts.add(account);

    if (CASH_TYPE.test(typeText)) {
      const amount = number("profit", "Profit", true);
      if (errors.length > 0 || !amount || !at) {
        reject(errors.join("; "));
        continue;
      }
      const lower = typeText.toLowerCase();
      const kind = lower === "credit" ? "credit" : lower === "withdrawal" || amount.lt(0) ? "withdrawal" : "deposit";
      const amountText = toDecimalString(amount);
      cash.push({
        dealId: get("deal") || cashFingerprint({ kind, occurredAt: at.at, amount: amountText, comment }),
        kind,
        amount: amountText,
        occurredAt: at.at,
        serverUtcOffsetMinutes: at.offsetMinutes,
        comment,
      });
      continue;
    }

    const dealType = DEAL_TYPE.exec(typeText);
    if (typeText === "") errors.push("Transaction Type is empty");
    else if (!dealType) errors.push(`Transaction Type "${typeText}" is not a Buy/Sell In/Out deal`);
    else if (!/^(in|out)$/i.test(dealType[2]!))
      errors.push(
        `Transaction Type "${typeText}" (a netting reversal or close-by) is not supported in this CSV; import the MT5 HTML or XLSX report instead`,
      );
    const positionId = get("position");
    if (positionId === "") errors.push("Position is empty");
    const brokerSymbol = get("symbol");
    if (brokerSymbol === "") errors.push("Symbol is empty");
    const volume = number("volume", "Volume", true);
    const price = number("price", "Price", true);
    const profit = number("profit", "Profit", false);
    const commission = number("commission", "Commission", false);
    const swap = number("swap", "Swap", false);
    const fee = number("fee", "Fee", false);
    if (volume && volume.lte(0)) errors.push(`Volume ${volume.toFixed()} is not above zero`);
    if (price && price.lte(0)) errors.push(`Price ${price.toFixed()} is not above zero`);
    if (errors.length > 0 || !dealType || !at || !volume || !price || !profit || !commission || !swap || !fee) {
      reject(errors.join("; "));
      continue;
    }
    const leg: Leg = {
      row,
      record,
      at,
      volume,
      price,
      profit,
      commission,
      swap,
      fee,
      comment,
      brokerSymbol,
      direction: dealType[1]!.toLowerCase() as Direction,
      entry: dealType[2]!.toLowerCase() as "in" | "out",
      dealId: get("deal") || null,
    };
    const legsOfPosition = byPosition.get(positionId);
    if (legsOfPosition) legsOfPosition.push(leg);
    else byPosition.set(positionId, [leg]);
  }

  const trades: TradeInput[] = [];
  for (const [positionId, unordered] of byPosition) {
    // Stable sort: rows at the same second keep file order.
    const legs = unordered
      .map((leg, index) => ({ leg, index }))
      .sort((a, b) => a.leg.at.at.getTime() - b.leg.at.at.getTime() || a.index - b.index)
      .map(({ leg }) => leg);
    const rejectAll = (reason: string) => {
      for (const leg of legs) rejected.push({ row: leg.row, reason, values: leg.record });
    };
    const entries = legs.filter((leg) => leg.entry === "in");
    const exits = legs.filter((leg) => leg.entry === "out");
    if (entries.length === 0) {
      rejectAll(
        `Position ${positionId} has only exit (Out) rows in this file; its entry lies outside the exported period, so the trade is incomplete`,
      );
      continue;
    }
    const direction = entries[0]!.direction;
    if (entries.some((leg) => leg.direction !== direction) || exits.some((leg) => leg.direction === direction)) {
      rejectAll(`Position ${positionId} mixes buy and sell entries; a hedging position keeps one side`);
      continue;
    }
    if (new Set(legs.map((leg) => normalizeSymbol(leg.brokerSymbol))).size > 1) {
      rejectAll(`Position ${positionId} has rows with different symbols`);
      continue;
    }
    const volume = sum(entries.map((leg) => leg.volume));
    const closedVolume = sum(exits.map((leg) => leg.volume));
    if (closedVolume.gt(volume)) {
      rejectAll(
        `Position ${positionId} closes ${toDecimalString(closedVolume)} lots but opens only ${toDecimalString(volume)}; its first entries lie outside the exported period`,
      );
      continue;
    }
    const closed = closedVolume.eq(volume);
    const first = entries[0]!;
    const last = exits[exits.length - 1] ?? null;
    const money = (pick: (leg: Leg) => BigNumber) => toDecimalString(sum(legs.map(pick)));
    const tradeLegs: TradeLegInput[] = legs.map((leg) => ({
      dealId: leg.dealId,
      orderId: null,
      kind: leg.entry === "in" ? "entry" : "exit",
      direction: leg.direction,
      executedAt: leg.at.at,
      serverUtcOffsetMinutes: leg.at.offsetMinutes,
      volume: toDecimalString(leg.volume),
      price: toDecimalString(leg.price),
      profit: toDecimalString(leg.profit),
      commission: toDecimalString(leg.commission),
      swap: toDecimalString(leg.swap),
      fee: toDecimalString(leg.fee),
      reason: null,
      comment: leg.comment,
    }));
    const brokerSymbol = first.brokerSymbol;
    const comment = last?.comment ?? first.comment;
    trades.push({
      positionId,
      symbol: normalizeSymbol(brokerSymbol),
      brokerSymbol,
      direction,
      status: closed ? "closed" : "open",
      openedAt: first.at.at,
      closedAt: closed && last ? last.at.at : null,
      openServerUtcOffsetMinutes: first.at.offsetMinutes,
      closeServerUtcOffsetMinutes: closed && last ? last.at.offsetMinutes : null,
      volume: toDecimalString(volume),
      closedVolume: toDecimalString(closedVolume),
      entryPrice: toDecimalString(vwap(entries)),
      exitPrice: exits.length > 0 ? toDecimalString(vwap(exits)) : null,
      initialStopLoss: null,
      stopLoss: null,
      takeProfit: null,
      grossProfit: money((leg) => leg.profit),
      commission: money((leg) => leg.commission),
      swap: money((leg) => leg.swap),
      fee: money((leg) => leg.fee),
      pnlSource: "broker",
      profitCurrency: null,
      conversionRate: null,
      pips: null,
      initialRiskAmount: null,
      closeReason: closeReasonFromComment(last?.comment ?? null),
      magic: null,
      comment,
      raw: { rows: legs.map((leg) => leg.record) },
      legs: tradeLegs,
    });
  }
  rejected.sort((a, b) => a.row - b.row);
  if (accounts.size > 1)
    warnings.push(`The file holds rows of ${accounts.size} accounts (${[...accounts].join(", ")}); all of them are imported into this account.`);
  return {
    ok: true,
    parsed: {
      format: "mt5-positions-csv",
      language: "en",
      account:
        accounts.size === 1
          ? { login: [...accounts][0]!, name: null, currency: null, server: null, company: null, marginMode: null, leverage: null }
          : null,
      trades,
      cash,
      rejected,
      warnings,
      sourceRowCount: dataRows.length,
    },
  };
}
