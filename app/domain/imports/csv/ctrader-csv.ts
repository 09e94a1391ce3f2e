// cTrader history CSV. The History tab exports one closed position per row;
// the Statement export puts titled blocks ("Deals"/"History", "Transactions")
// separated by blank lines, each with its own header:
//
//   Deals
//   Deal ID,Order ID,Symbol,Opening Direction,Closing Direction,Opening time (UTC+8),Closing Time (UTC+8),Entry price,Closing price,Closing Quantity,Commissions,Pips,Net USD,Channel,Balance USD
//   DID315186380,356247791,JPM.US,Buy,Sell,20 Aug 2026 21:56:13.342,20 Aug 2026 21:57:53.488,356.21,354.88,13.8 Lots,-0.70,-13.3,-24.05,openapi_cbot-t,1 719.75
//   ,,,,,,,,,,,,-46 942.81,,          ← subtotal row, skipped
//
//   Transactions
//   ID,Time (UTC+3),Transaction type,Payment type,Gross USD,Note
//
// Times are in the offset the header names; numbers use space thousands;
// quantities say "Lots". Rows that share a position id are partial closes of
// one trade.
import { sum, toDecimalString, ZERO, type BigNumber } from "../../decimal.ts";
import { normalizeSymbol } from "../../instruments/normalize-symbol.ts";
import type { CashMovementInput, CashMovementKind, Direction, RejectedRow, TradeInput, TradeLegInput } from "../../trades/types.ts";
import { cashFingerprint, tradeFingerprint } from "../fingerprint.ts";
import { formulaCellReason } from "../formula-cells.ts";
import type { ParseOutcome } from "../outcome.ts";
import type { ParseOptions } from "../parse-options.ts";
import { commentOrNull, parseNumberCell, parseSide } from "./cells.ts";
import { decideDayOrder, headerUtcOffsetMinutes, parseDateText, toUtc, type UtcTime } from "./dates.ts";
import { normaliseHeader, rowRecord, uniqueHeaderKeys } from "./headers.ts";
import { readCsv, sniffDecimalSeparator, type DecimalSeparator } from "./read-csv.ts";
import { positiveOrNull } from "./row-trade.ts";

type Column =
  | "positionId"
  | "dealId"
  | "orderId"
  | "symbol"
  | "direction"
  | "openTime"
  | "closeTime"
  | "entryPrice"
  | "closePrice"
  | "quantity"
  | "commission"
  | "swap"
  | "gross"
  | "net"
  | "pips"
  | "comment"
  | "stopLoss"
  | "takeProfit";

// Exact normalised names, then prefixes (for "(UTC+3)" and currency suffixes).
const EXACT: Partial<Record<Column, string[]>> = {
  positionId: ["position id", "positionid", "position", "id"],
  dealId: ["deal id"],
  orderId: ["order id"],
  symbol: ["symbol"],
  direction: ["opening direction", "direction"],
  entryPrice: ["entry price", "opening price", "open price"],
  closePrice: ["closing price", "close price"],
  quantity: ["closing quantity", "quantity", "volume"],
  commission: ["commissions", "commission"],
  swap: ["swap"],
  pips: ["pips"],
  comment: ["comment", "label"],
  stopLoss: ["stop loss"],
  takeProfit: ["take profit"],
};
const PREFIX: Partial<Record<Column, string[]>> = {
  openTime: ["opening time", "open time", "entry time"],
  closeTime: ["closing time", "close time"],
  gross: ["gross"],
  net: ["net"],
};

/** True when a normalised header row is a cTrader positions/deals header. */
export function isCtraderHeader(normalised: string[]): boolean {
  return normalised.includes("opening direction") && normalised.some((name) => name.startsWith("closing time") || name.startsWith("closing price"));
}

function findColumns(keys: string[]): Record<Column, string | null> {
  const normalised = keys.map(normaliseHeader);
  const found = {} as Record<Column, string | null>;
  const columns = new Set<Column>([...(Object.keys(EXACT) as Column[]), ...(Object.keys(PREFIX) as Column[])]);
  for (const column of columns) {
    let index = normalised.findIndex((name) => EXACT[column]?.includes(name));
    if (index < 0) index = normalised.findIndex((name) => PREFIX[column]?.some((prefix) => name === prefix || name.startsWith(prefix + " ")));
    found[column] = index >= 0 ? keys[index]! : null;
  }
  // "Net profit"/"Net USD" are the net column; "Net" must not swallow "Gross".
  return found;
}

const isBlank = (cells: string[]) => cells.every((cell) => cell.trim() === "");
const isTitle = (cells: string[]) => cells.filter((cell) => cell.trim() !== "").length === 1 && cells[0]!.trim() !== "" && !/\d/.test(cells[0]!);

interface Block {
  headerRow: number;
  keys: string[];
  rows: { cells: string[]; row: number }[];
}

function blockAt(rows: string[][], headerIndex: number): Block | { error: ReturnType<typeof uniqueHeaderKeys> & { ok: false } } {
  const keysResult = uniqueHeaderKeys(rows[headerIndex]!);
  if (!keysResult.ok) return { error: keysResult };
  const body: Block["rows"] = [];
  for (let index = headerIndex + 1; index < rows.length; index++) {
    const cells = rows[index]!;
    if (isBlank(cells) || isTitle(cells)) break;
    body.push({ cells, row: index + 1 });
  }
  return { headerRow: headerIndex + 1, keys: keysResult.keys, rows: body };
}

interface Deal {
  row: number;
  record: Record<string, string>;
  brokerSymbol: string;
  direction: Direction;
  opened: UtcTime;
  closed: UtcTime;
  volume: BigNumber;
  entryPrice: BigNumber;
  closePrice: BigNumber;
  gross: BigNumber;
  commission: BigNumber;
  swap: BigNumber;
  pips: BigNumber | null;
  stopLoss: BigNumber | null;
  takeProfit: BigNumber | null;
  dealId: string | null;
  orderId: string | null;
  comment: string | null;
}

const LOTS = /\blots?\b/i;

function readDeal(
  record: Record<string, string>,
  row: number,
  columns: Record<Column, string | null>,
  decimalSeparator: DecimalSeparator,
  order: "dmy" | "mdy",
  options: ParseOptions,
): Deal | string {
  const get = (column: Column) => (columns[column] ? (record[columns[column]!] ?? "").trim() : "");
  const errors: string[] = [];
  const label = (column: Column) => columns[column] ?? column;
  const number = (column: Column, required: boolean): BigNumber | null => {
    const text = get(column);
    if (text === "") {
      if (required) errors.push(`${label(column)} is empty`);
      return null;
    }
    const value = parseNumberCell(text, decimalSeparator);
    if (value === null) errors.push(`${label(column)} "${text}" is not a number`);
    return value;
  };
  const time = (column: Column): UtcTime | null => {
    const text = get(column);
    if (text === "") {
      errors.push(`${label(column)} is empty`);
      return null;
    }
    const parsed = parseDateText(text, order);
    if (!parsed) {
      errors.push(`${label(column)} ${text} is not a date`);
      return null;
    }
    return toUtc(parsed, headerUtcOffsetMinutes(columns[column]!), options.serverTimeZone);
  };
  const brokerSymbol = get("symbol");
  if (brokerSymbol === "") errors.push("Symbol is empty");
  const directionText = get("direction");
  const direction = parseSide(directionText);
  if (!direction) errors.push(directionText === "" ? "Opening Direction is empty" : `Opening Direction "${directionText}" is not Buy or Sell`);
  const opened = time("openTime");
  const closed = time("closeTime");
  const entryPrice = number("entryPrice", true);
  const closePrice = number("closePrice", true);
  const quantityText = get("quantity");
  const volume = number("quantity", true);
  if (volume && !LOTS.test(quantityText) && !LOTS.test(columns.quantity ?? "") && volume.gte(1000)) {
    errors.push(`${label("quantity")} ${quantityText} looks like units, not lots; show quantities in lots in cTrader and export again`);
  }
  const commission = number("commission", false) ?? ZERO;
  const swap = number("swap", false) ?? ZERO;
  const gross = number("gross", false);
  const net = gross === null ? number("net", false) : null;
  if (gross === null && net === null && errors.length === 0) errors.push("the row has neither a Gross nor a Net amount");
  for (const [value, name] of [
    [volume, "quantity"],
    [entryPrice, "entryPrice"],
    [closePrice, "closePrice"],
  ] as const) {
    if (value && value.lte(0)) errors.push(`${label(name)} ${value.toFixed()} is not above zero`);
  }
  if (opened && closed && closed.at < opened.at) errors.push("the closing time is before the opening time");
  if (errors.length > 0 || !direction || !opened || !closed || !entryPrice || !closePrice || !volume) return errors.join("; ");
  return {
    row,
    record,
    brokerSymbol,
    direction,
    opened,
    closed,
    volume,
    entryPrice,
    closePrice,
    commission,
    swap,
    gross: gross ?? net!.minus(commission).minus(swap),
    pips: number("pips", false),
    stopLoss: number("stopLoss", false),
    takeProfit: number("takeProfit", false),
    dealId: get("dealId") || null,
    orderId: get("orderId") || null,
    comment: commentOrNull(get("comment")),
  };
}

function tradeFromDeals(positionId: string | null, deals: Deal[]): TradeInput {
  const first = deals[0]!;
  const symbol = normalizeSymbol(first.brokerSymbol);
  const volume = sum(deals.map((deal) => deal.volume));
  const entryPrice = sum(deals.map((deal) => deal.entryPrice.times(deal.volume))).div(volume);
  const exitPrice = sum(deals.map((deal) => deal.closePrice.times(deal.volume))).div(volume);
  const openedAt = deals.reduce((earliest, deal) => (deal.opened.at < earliest.at ? deal.opened : earliest), first.opened);
  const closedAt = deals.reduce((latest, deal) => (deal.closed.at > latest.at ? deal.closed : latest), first.closed);
  const exitDirection: Direction = first.direction === "buy" ? "sell" : "buy";
  const legs: TradeLegInput[] = [
    {
      dealId: null,
      orderId: first.orderId,
      kind: "entry",
      direction: first.direction,
      executedAt: openedAt.at,
      serverUtcOffsetMinutes: openedAt.offsetMinutes,
      volume: toDecimalString(volume),
      price: toDecimalString(entryPrice),
      profit: "0",
      commission: "0",
      swap: "0",
      fee: "0",
      reason: null,
      comment: null,
    },
    ...deals.map((deal): TradeLegInput => ({
      dealId: deal.dealId,
      orderId: deal.orderId,
      kind: "exit",
      direction: exitDirection,
      executedAt: deal.closed.at,
      serverUtcOffsetMinutes: deal.closed.offsetMinutes,
      volume: toDecimalString(deal.volume),
      price: toDecimalString(deal.closePrice),
      profit: toDecimalString(deal.gross),
      commission: toDecimalString(deal.commission),
      swap: toDecimalString(deal.swap),
      fee: "0",
      reason: null,
      comment: deal.comment,
    })),
  ];
  const volumeText = toDecimalString(volume);
  const entryText = toDecimalString(entryPrice);
  const last = deals[deals.length - 1]!;
  return {
    positionId:
      positionId ?? tradeFingerprint({ symbol, direction: first.direction, openedAt: openedAt.at, volume: volumeText, entryPrice: entryText }),
    symbol,
    brokerSymbol: first.brokerSymbol,
    direction: first.direction,
    status: "closed",
    openedAt: openedAt.at,
    closedAt: closedAt.at,
    openServerUtcOffsetMinutes: openedAt.offsetMinutes,
    closeServerUtcOffsetMinutes: closedAt.offsetMinutes,
    volume: volumeText,
    closedVolume: volumeText,
    entryPrice: entryText,
    exitPrice: toDecimalString(exitPrice),
    initialStopLoss: null,
    stopLoss: positiveOrNull(last.stopLoss),
    takeProfit: positiveOrNull(last.takeProfit),
    grossProfit: toDecimalString(sum(deals.map((deal) => deal.gross))),
    commission: toDecimalString(sum(deals.map((deal) => deal.commission))),
    swap: toDecimalString(sum(deals.map((deal) => deal.swap))),
    fee: "0",
    pnlSource: "broker",
    profitCurrency: null,
    conversionRate: null,
    pips: deals.every((deal) => deal.pips !== null) ? toDecimalString(sum(deals.map((deal) => deal.pips!.times(deal.volume))).div(volume)) : null,
    initialRiskAmount: null,
    closeReason: null,
    magic: null,
    comment: last.comment,
    raw: deals.length === 1 ? first.record : { rows: deals.map((deal) => deal.record) },
    legs,
  };
}

const CASH_KINDS: Record<string, CashMovementKind> = {
  deposit: "deposit",
  withdraw: "withdrawal",
  withdrawal: "withdrawal",
  credit: "credit",
  bonus: "bonus",
  commission: "commission",
  interest: "interest",
  dividend: "dividend",
  tax: "tax",
  charge: "charge",
  fee: "charge",
  adjustment: "correction",
};

function readTransactions(
  block: Block,
  decimalSeparator: DecimalSeparator,
  order: "dmy" | "mdy",
  options: ParseOptions,
  rejected: RejectedRow[],
): CashMovementInput[] {
  const normalised = block.keys.map(normaliseHeader);
  const at = (predicate: (name: string) => boolean) => {
    const index = normalised.findIndex(predicate);
    return index >= 0 ? block.keys[index]! : null;
  };
  const idKey = at((name) => name === "id");
  const timeKey = at((name) => name === "time" || name.startsWith("time "));
  const typeKey = at((name) => name === "transaction type");
  const amountKey = at((name) => name.startsWith("gross") || name.startsWith("amount") || name.startsWith("net"));
  const noteKey = at((name) => name === "note" || name === "comment");
  const cash: CashMovementInput[] = [];
  if (!timeKey || !typeKey || !amountKey) return cash;
  for (const { cells, row } of block.rows) {
    const record = rowRecord(block.keys, cells);
    const formula = formulaCellReason(record);
    if (formula) {
      rejected.push({ row, section: "Transactions", reason: formula, values: record });
      continue;
    }
    const typeText = (record[typeKey] ?? "").trim();
    const amount = parseNumberCell(record[amountKey] ?? "", decimalSeparator);
    const parsed = parseDateText(record[timeKey] ?? "", order);
    if (!amount || !parsed) {
      rejected.push({
        row,
        section: "Transactions",
        reason: !parsed ? `${timeKey} ${record[timeKey]} is not a date` : `${amountKey} "${record[amountKey]}" is not a number`,
        values: record,
      });
      continue;
    }
    const time = toUtc(parsed, headerUtcOffsetMinutes(timeKey), options.serverTimeZone);
    const word = typeText.toLowerCase().split(/\s+/)[0] ?? "";
    const kind: CashMovementKind = CASH_KINDS[word] ?? "other";
    const comment = commentOrNull(noteKey ? record[noteKey] : undefined) ?? (kind === "other" ? commentOrNull(typeText) : null);
    const amountText = toDecimalString(amount);
    cash.push({
      dealId: (idKey && record[idKey]?.trim()) || cashFingerprint({ kind, occurredAt: time.at, amount: amountText, comment }),
      kind,
      amount: amountText,
      occurredAt: time.at,
      serverUtcOffsetMinutes: time.offsetMinutes,
      comment,
    });
  }
  return cash;
}

export function parseCtraderCsv(text: string, options: ParseOptions): ParseOutcome {
  const read = readCsv(text);
  if (!read.ok) return { ok: false, error: read.error, format: "ctrader-csv" };
  const { rows, delimiter } = read.table;
  const headerIndex = rows.findIndex((cells) => isCtraderHeader(cells.map(normaliseHeader)));
  if (headerIndex < 0) {
    return {
      ok: false,
      format: "ctrader-csv",
      error: { code: "unknown-format", message: "The cTrader header row (Symbol, Opening Direction, Closing time, …) was not found." },
    };
  }
  const block = blockAt(rows, headerIndex);
  if ("error" in block) return { ok: false, error: block.error.error, format: "ctrader-csv" };
  const columns = findColumns(block.keys);
  const needed: Column[] = ["symbol", "direction", "openTime", "closeTime", "entryPrice", "closePrice", "quantity"];
  const absent = needed.filter((column) => columns[column] === null);
  if (columns.gross === null && columns.net === null) absent.push("gross" as Column);
  if (absent.length > 0) {
    const names: Partial<Record<Column, string>> = {
      symbol: "Symbol",
      direction: "Opening Direction",
      openTime: "Opening time",
      closeTime: "Closing time",
      entryPrice: "Entry price",
      closePrice: "Closing price",
      quantity: "Closing Quantity",
      gross: "Net or Gross amount",
    };
    return {
      ok: false,
      format: "ctrader-csv",
      error: {
        code: "unknown-format",
        message: `This cTrader export lacks ${absent.map((column) => names[column] ?? column).join(", ")}. Show those columns in cTrader's History and export again (a trade needs its opening and closing time, prices and quantity).`,
      },
    };
  }
  const decimalSeparator = sniffDecimalSeparator(
    block.rows.map(({ cells }) => cells),
    delimiter,
  );
  const timeValues = block.rows.flatMap(({ cells }) => [columns.openTime, columns.closeTime].map((key) => cells[block.keys.indexOf(key!)] ?? ""));
  const dayOrder = decideDayOrder(timeValues);
  const warnings: string[] = [];
  const rejected: RejectedRow[] = [];
  const groups = new Map<string, Deal[]>();
  const unkeyed: Deal[] = [];
  let sourceRowCount = 0;
  for (const { cells, row } of block.rows) {
    const record = rowRecord(block.keys, cells);
    // The subtotal line has no symbol and only totals.
    if ((record[columns.symbol!] ?? "").trim() === "" && (record[columns.direction!] ?? "").trim() === "") continue;
    sourceRowCount++;
    const formula = formulaCellReason(record);
    if (formula) {
      rejected.push({ row, reason: formula, values: record });
      continue;
    }
    const deal = readDeal(record, row, columns, decimalSeparator, dayOrder.order, options);
    if (typeof deal === "string") {
      rejected.push({ row, reason: deal, values: record });
      continue;
    }
    const positionId = columns.positionId ? (record[columns.positionId] ?? "").trim() : "";
    const key = positionId || (deal.dealId ?? "");
    if (key === "") unkeyed.push(deal);
    else groups.set(key, [...(groups.get(key) ?? []), deal]);
  }
  const trades: TradeInput[] = [];
  for (const [positionId, deals] of groups) trades.push(tradeFromDeals(positionId, deals));
  const seen = new Map<string, number>();
  for (const deal of unkeyed) {
    const trade = tradeFromDeals(null, [deal]);
    const earlier = seen.get(trade.positionId);
    if (earlier !== undefined) {
      rejected.push({
        row: deal.row,
        reason: `Same symbol, direction, opening time, quantity and price as row ${earlier}; the copy is not imported twice`,
        values: deal.record,
      });
      continue;
    }
    seen.set(trade.positionId, deal.row);
    trades.push(trade);
  }
  if (dayOrder.undecided) warnings.push("No date in this file has a day above 12; dates were read day-first. Check the preview.");

  let cash: CashMovementInput[] = [];
  const transactionsHeader = rows.findIndex((cells, index) => index > headerIndex && cells.map(normaliseHeader).includes("transaction type"));
  if (transactionsHeader >= 0) {
    const transactions = blockAt(rows, transactionsHeader);
    if (!("error" in transactions)) {
      cash = readTransactions(transactions, decimalSeparator, dayOrder.order, options, rejected);
      sourceRowCount += transactions.rows.length;
    }
  }
  rejected.sort((a, b) => a.row - b.row);
  return {
    ok: true,
    parsed: { format: "ctrader-csv", language: "en", account: null, trades, cash, rejected, warnings, sourceRowCount },
  };
}
