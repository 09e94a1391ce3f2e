// MT4 Detailed Statement (Statement.htm) → ParsedImport.
//
// MT4 has no deals: a ticket is a whole position, so each "Closed
// Transactions" row is one closed trade (entry leg + exit leg) and each "Open
// Trades" row one open trade. The ticket cell's `title` holds the comment
// ("#2022052714 [sl]"); cancelled pending orders span the money columns and
// are skipped; `0.00000` SL/TP means none; balance/credit rows go to the cash
// ledger ("Financing" balance rows as financing). Closed P/L = Commission + Swap + Profit + Taxes, so Taxes is the fee.
// Some brokers print each ticket's magic number (the EA's id) in a row of its
// own right under it: an empty span, the number under the close Price, and
// the comment again.
import { parseBrokerNumber, toDecimalString, type BigNumber } from "../../decimal.ts";
import { normalizeSymbol } from "../../instruments/normalize-symbol.ts";
import { parseMetaTraderTime, serverTimeToUtc } from "../../server-time.ts";
import type { CashMovementInput, CloseReason, Direction, ParsedImport, RejectedRow, ReportAccountInfo, TradeInput } from "../../trades/types.ts";
import { gridCells, readHtmlTableRows, type HtmlRow } from "../html-table.ts";
import type { ParseOptions } from "../parse-options.ts";
import { summaryNumber, type ReportSummary } from "../report-summary.ts";

type Section = "closed" | "open" | "working" | "summary" | null;

const SECTION_TITLES: Record<string, Section> = {
  "closed transactions:": "closed",
  "open trades:": "open",
  "working orders:": "working",
  "summary:": "summary",
  "details:": "summary",
};

const SECTION_NAMES = { closed: "Closed Transactions", open: "Open Trades" } as const;

const HEADER_KEYS: Record<string, string> = {
  ticket: "ticket",
  "open time": "openTime",
  type: "type",
  size: "size",
  item: "item",
  price: "price",
  "s/l": "sl",
  "t/p": "tp",
  "close time": "closeTime",
  commission: "commission",
  taxes: "taxes",
  swap: "swap",
  profit: "profit",
  "market price": "marketPrice",
};

class RowError extends Error {}

function label(text: string): string {
  return text
    .replace(/[\s\u00a0]+/g, " ")
    .trim()
    .toLowerCase()
    .replace(/\s*\/\s*/g, "/");
}

function readAccount(row: string[]): ReportAccountInfo | null {
  const joined = row.join(" | ");
  const login = /Account:\s*(\d+)/i.exec(joined);
  if (!login) return null;
  const name = /Name:\s*([^|]+)/i.exec(joined)?.[1]?.trim() || null;
  const currency = /Currency:\s*([A-Z]{3,4})/i.exec(joined)?.[1]?.toUpperCase() ?? null;
  const leverage = /Leverage:\s*1\s*:\s*(\d+)/i.exec(joined);
  return { login: login[1]!, name, currency, server: null, company: null, marginMode: "hedging", leverage: leverage ? Number(leverage[1]) : null };
}

export function parseMt4Statement(text: string, options: ParseOptions): ParsedImport {
  const rows = readHtmlTableRows(text);
  const trades: TradeInput[] = [];
  const cash: CashMovementInput[] = [];
  const rejected: RejectedRow[] = [];
  const warnings: string[] = [];
  let account: ReportAccountInfo | null = null;
  let section: Section = null;
  let keys: (string | null)[] | null = null;
  let labels: Record<string, string> = {};
  let sectionRow = 0;
  let sourceRowCount = 0;
  let skippedCancelled = 0;
  // The trade of the row just read, which a magic-number row below may belong to.
  let tradeAbove: TradeInput | null = null;
  const summaryLines = new Map<string, string>();
  const company = /<div[^>]*>\s*<b>([^<]+)<\/b>\s*<\/div>/i.exec(text.slice(0, 5000))?.[1]?.trim() ?? null;

  for (const row of rows) {
    const cells = gridCells(row);
    const nonEmpty = cells.filter((cell) => cell !== "");
    if (nonEmpty.length === 0) continue;
    if (!account) {
      account = readAccount(cells);
      if (account) {
        account.company = company;
        continue;
      }
    }
    if (nonEmpty.length === 1 && SECTION_TITLES[label(nonEmpty[0]!)] !== undefined) {
      section = SECTION_TITLES[label(nonEmpty[0]!)]!;
      keys = null;
      tradeAbove = null;
      sectionRow = 0;
      continue;
    }
    if (section === "summary") {
      keepSummaryPairs(nonEmpty, summaryLines);
      continue;
    }
    if (section !== "closed" && section !== "open") continue;
    if (!keys) {
      if (label(cells[0] ?? "") === "ticket") {
        keys = cells.map((cell) => HEADER_KEYS[label(cell)] ?? null);
        // Repeated "Price" is the close (or market) price.
        let prices = 0;
        keys = keys.map((key) => (key === "price" ? (++prices === 1 ? "price" : "closePrice") : key));
        labels = {};
        cells.forEach((cell, i) => {
          if (keys![i]) labels[keys![i]!] = cell;
        });
      }
      continue;
    }
    if (cells[0] === "" && nonEmpty.length <= 2 && /^\d{1,18}$/.test(nonEmpty[0]!)) {
      if (tradeAbove) tradeAbove.magic = nonEmpty[0]!;
      tradeAbove = null;
      continue;
    }
    tradeAbove = null;
    if (!/^\d+$/.test(cells[0] ?? "")) continue; // totals and P/L lines
    sectionRow += 1;
    sourceRowCount += 1;
    const values: Record<string, string> = {};
    keys.forEach((key, i) => {
      if (key) values[key] = cells[i] ?? "";
    });
    try {
      const outcome = readRow(row, values, labels, section, sectionRow, options);
      if (outcome === "cancelled") skippedCancelled += 1;
      else if (outcome && "kind" in outcome) cash.push(outcome);
      else if (outcome) {
        trades.push(outcome);
        tradeAbove = outcome;
      }
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      const printed: Record<string, string> = {};
      for (const [key, value] of Object.entries(values)) printed[labels[key] ?? key] = value;
      rejected.push({ row: sectionRow, section: SECTION_NAMES[section], reason: error.message, values: printed });
    }
  }
  if (!account && trades.length === 0) warnings.push("No MT4 statement header or Closed Transactions section was found.");
  if (skippedCancelled > 0) warnings.push(`${skippedCancelled} cancelled or expired pending order(s) were skipped.`);
  return { format: "mt4-html", language: "en", account, trades, cash, rejected, warnings, sourceRowCount, summary: readSummary(summaryLines) };
}

/** "Balance:", "1 232.24", "Equity:", …: each label with the value after it (the first of a repeated label wins). */
function keepSummaryPairs(cells: string[], lines: Map<string, string>): void {
  for (let i = 0; i + 1 < cells.length; i += 1) {
    const name = label(cells[i]!);
    if (name.endsWith(":") && !cells[i + 1]!.trim().endsWith(":") && !lines.has(name)) lines.set(name, cells[i + 1]!);
  }
}

/** The Summary block: "Deposit/Withdrawal:", "Closed Trade P/L:" (closed tickets' commission + taxes + swap + profit) and "Balance:". */
function readSummary(lines: Map<string, string>): ReportSummary | null {
  const balance = summaryNumber(lines.get("balance:"));
  const netProfit = summaryNumber(lines.get("closed trade p/l:"));
  const depositWithdrawal = summaryNumber(lines.get("deposit/withdrawal:"));
  if (balance === null && netProfit === null && depositWithdrawal === null) return null;
  return { balance, netProfit, netProfitCovers: "closed-trades", netProfitLabel: "Closed Trade P/L", depositWithdrawal, openingBalance: null };
}

function readRow(
  row: HtmlRow,
  values: Record<string, string>,
  labels: Record<string, string>,
  section: "closed" | "open",
  sectionRow: number,
  options: ParseOptions,
): TradeInput | CashMovementInput | "cancelled" | null {
  const where = `${SECTION_NAMES[section]} row ${sectionRow}`;
  const name = (key: string) => labels[key] ?? key;
  const number = (key: string, optional = false): BigNumber | null => {
    const text = (values[key] ?? "").trim();
    if (text === "") {
      if (optional) return null;
      throw new RowError(`${where}: "${name(key)}" is empty`);
    }
    const value = parseBrokerNumber(text);
    if (!value) throw new RowError(`${where}: "${name(key)}" is "${text}", not a number`);
    return value;
  };
  const time = (key: string, optional = false) => {
    const text = (values[key] ?? "").trim();
    if (text === "" && optional) return null;
    const wall = parseMetaTraderTime(text);
    if (!wall) throw new RowError(`${where}: "${name(key)}" is "${text}", not a time like 2023.12.27 04:01:43`);
    return serverTimeToUtc(wall, options.serverTimeZone);
  };
  const ticket = values.ticket!;
  const title = row.cells[0]?.title?.trim() || null;
  const type = (values.type ?? "").trim().toLowerCase();

  if (type === "balance" || type === "credit") {
    // The amount sits in the last (Profit) column; the comment spans the rest.
    const amount = number("profit")!;
    const at = time("openTime")!;
    const comment = title ?? (values.type === undefined ? null : (row.cells.find((c) => c.colspan > 1)?.text ?? null));
    // OANDA books overnight financing as "Financing" balance rows: a holding cost, not money moved.
    const kind = type === "credit" ? "credit" : /^financing\b/i.test(comment?.trim() ?? "") ? "financing" : amount.lt(0) ? "withdrawal" : "deposit";
    return {
      dealId: ticket,
      kind,
      amount: toDecimalString(amount),
      occurredAt: at.at,
      serverUtcOffsetMinutes: at.offsetMinutes,
      comment,
    };
  }
  if (type !== "buy" && type !== "sell") {
    if (/limit|stop/.test(type)) return "cancelled";
    throw new RowError(`${where}: "${name("type")}" is "${values.type}", expected buy, sell or balance`);
  }
  const direction = type as Direction;
  const brokerSymbol = (values.item ?? "").trim();
  if (!brokerSymbol) throw new RowError(`${where}: "${name("item")}" is empty`);
  const volume = number("size")!;
  const open = time("openTime")!;
  const entryPrice = toDecimalString(number("price")!);
  const stop = number("sl", true);
  const target = number("tp", true);
  const commission = number("commission", true);
  const taxes = number("taxes", true);
  const swap = number("swap", true);
  const profit = number("profit", true);
  const zero = "0";
  const closed = section === "closed";
  const close = closed ? time("closeTime")! : null;
  const closePrice = closed ? toDecimalString(number("closePrice")!) : null;
  const reasonMatch = title ? /\[(sl|tp|so)\b/i.exec(title) : null;
  const closeReason: CloseReason | null = closed && reasonMatch ? (reasonMatch[1]!.toLowerCase() as CloseReason) : null;
  const money = (value: BigNumber | null) => (value ? toDecimalString(value) : zero);
  const exitDirection: Direction = direction === "buy" ? "sell" : "buy";
  const legs: TradeInput["legs"] = [
    {
      dealId: null,
      orderId: ticket,
      kind: "entry",
      direction,
      executedAt: open.at,
      serverUtcOffsetMinutes: open.offsetMinutes,
      volume: toDecimalString(volume),
      price: entryPrice,
      profit: zero,
      commission: closed ? zero : money(commission),
      swap: zero,
      fee: zero,
      reason: null,
      comment: title,
    },
  ];
  if (closed) {
    legs.push({
      dealId: null,
      orderId: ticket,
      kind: "exit",
      direction: exitDirection,
      executedAt: close!.at,
      serverUtcOffsetMinutes: close!.offsetMinutes,
      volume: toDecimalString(volume),
      price: closePrice!,
      profit: money(profit),
      commission: money(commission),
      swap: money(swap),
      fee: money(taxes),
      reason: closeReason,
      comment: null,
    });
  }
  return {
    positionId: ticket,
    symbol: normalizeSymbol(brokerSymbol),
    brokerSymbol,
    direction,
    status: closed ? "closed" : "open",
    openedAt: open.at,
    closedAt: close?.at ?? null,
    openServerUtcOffsetMinutes: open.offsetMinutes,
    closeServerUtcOffsetMinutes: close?.offsetMinutes ?? null,
    volume: toDecimalString(volume),
    closedVolume: closed ? toDecimalString(volume) : zero,
    entryPrice,
    exitPrice: closePrice,
    initialStopLoss: null,
    stopLoss: stop && !stop.eq(0) ? toDecimalString(stop) : null,
    takeProfit: target && !target.eq(0) ? toDecimalString(target) : null,
    // Open trades: nothing is realised yet except the commission charged at entry.
    grossProfit: closed ? money(profit) : zero,
    commission: money(commission),
    swap: closed ? money(swap) : zero,
    fee: closed ? money(taxes) : zero,
    pnlSource: "broker",
    profitCurrency: null,
    conversionRate: null,
    pips: null,
    initialRiskAmount: null,
    closeReason,
    magic: null,
    comment: title,
    raw: closed ? null : { floatingProfit: money(profit), floatingSwap: money(swap), marketPrice: values.closePrice ?? null },
    legs,
  };
}
