// CSV for the trade export, safe to open in a spreadsheet.
//
// Formula injection: a spreadsheet runs a cell that starts with = + - @ (and
// treats a leading tab or carriage return the same way), so such a text cell
// is prefixed with an apostrophe, which shows the text as typed. Numbers we
// write ourselves (decimal strings from the database, e.g. "-22.35") stay
// numbers: they are passed as `number` cells and only checked to be plain
// decimals, so negative P&L still sums in the spreadsheet. Anything else — a
// symbol, a comment, an account or tag name — is text and is neutralised.
//
// Quoting follows RFC 4180: a cell with a comma, quote, CR or LF is quoted and
// its quotes doubled; rows end with CRLF.
//
// Prices carry the symbol's digits as the broker prints them (1.07120), never
// rounded (an average of fills keeps all its digits).
import { exportPrice, symbolDigits } from "../instruments/price-display.ts";

export type CsvCell = { text: string | null } | { number: string | null };

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

/** Text cell as a spreadsheet will show it: formulas and their look-alikes neutralised. */
export function neutraliseText(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

function quote(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvCell(cell: CsvCell): string {
  if ("number" in cell) {
    if (cell.number === null) return "";
    // A value that is not a plain decimal is not trusted as a number.
    return PLAIN_DECIMAL.test(cell.number) ? cell.number : quote(neutraliseText(cell.number));
  }
  return cell.text === null ? "" : quote(neutraliseText(cell.text));
}

export function csvRow(cells: readonly CsvCell[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

export const text = (value: string | null | undefined): CsvCell => ({ text: value ?? null });
export const number = (value: string | null | undefined): CsvCell => ({ number: value ?? null });

/** The export's columns, in order. Times are UTC (ISO 8601) so they are unambiguous. */
export const TRADE_CSV_COLUMNS = [
  "trade_id",
  "account",
  "account_currency",
  "position_id",
  "symbol",
  "broker_symbol",
  "direction",
  "status",
  "opened_at_utc",
  "closed_at_utc",
  "volume",
  "closed_volume",
  "entry_price",
  "exit_price",
  "initial_stop_loss",
  "stop_loss",
  "take_profit",
  "gross_profit",
  "commission",
  "swap",
  "fee",
  "net_profit",
  "pnl_source",
  "profit_currency",
  "conversion_rate",
  "pips",
  "session",
  "close_reason",
  "source",
  "tags",
  "journal",
  "comment",
] as const;

export interface TradeCsvRecord {
  id: string;
  accountName: string;
  accountCurrency: string;
  positionId: string;
  symbol: string;
  brokerSymbol: string | null;
  direction: string;
  status: string;
  openedAt: string;
  closedAt: string | null;
  volume: string;
  closedVolume: string;
  entryPrice: string;
  exitPrice: string | null;
  initialStopLoss: string | null;
  stopLoss: string | null;
  takeProfit: string | null;
  grossProfit: string;
  commission: string;
  swap: string;
  fee: string;
  netProfit: string;
  pnlSource: string;
  profitCurrency: string | null;
  conversionRate: string | null;
  pips: string | null;
  sessionTag: string | null;
  closeReason: string | null;
  source: string;
  tags: readonly string[];
  hasJournal: boolean;
  comment: string | null;
}

export function tradeCsvHeader(): string {
  return csvRow(TRADE_CSV_COLUMNS.map((name) => text(name)));
}

export function tradeCsvRow(trade: TradeCsvRecord): string {
  const digits = symbolDigits(trade.symbol);
  const price = (value: string | null) => number(exportPrice(value, digits));
  return csvRow([
    text(trade.id),
    text(trade.accountName),
    text(trade.accountCurrency),
    text(trade.positionId),
    text(trade.symbol),
    text(trade.brokerSymbol),
    text(trade.direction),
    text(trade.status),
    text(trade.openedAt),
    text(trade.closedAt),
    number(trade.volume),
    number(trade.closedVolume),
    price(trade.entryPrice),
    price(trade.exitPrice),
    price(trade.initialStopLoss),
    price(trade.stopLoss),
    price(trade.takeProfit),
    number(trade.grossProfit),
    number(trade.commission),
    number(trade.swap),
    number(trade.fee),
    number(trade.netProfit),
    text(trade.pnlSource),
    text(trade.profitCurrency),
    number(trade.conversionRate),
    number(trade.pips),
    text(trade.sessionTag),
    text(trade.closeReason),
    text(trade.source),
    text(trade.tags.join("; ")),
    text(trade.hasJournal ? "yes" : "no"),
    text(trade.comment),
  ]);
}
