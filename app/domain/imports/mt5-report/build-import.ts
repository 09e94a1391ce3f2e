// Turns the sections of an MT5 Trade History Report into trades and cash.
//
// The report's Deals have no position-id column, so identity, side and the
// broker's money per position come from the Positions section (and Open
// Positions), and the Deals only supply the legs. Matching exit deals to
// positions is deterministic:
//   1. An "in" deal whose Order equals a position id is that position's entry
//      (MT5 gives a position the id of the order that opened it).
//   2. Every other trading deal gets its candidate positions by a time sweep:
//      same broker symbol; for exits ("out", "out by", "in/out") the position
//      has the opposite side, for scale-ins the same side; and the deal time
//      lies in [open time, close time] of the position (open positions: no
//      end).
//   3. Deals with exactly one candidate whose unmatched volume still covers
//      the deal are assigned, repeatedly, until nothing changes. When several
//      candidates remain, a position that closes at exactly the deal's time
//      with exactly the deal's volume left wins; then the loop runs again.
//   4. A closed position is reconstructed from its deals only when its exit
//      volumes sum to its volume and their VWAP rounds to its printed close
//      price; otherwise it is imported from its Positions row with one exit
//      leg and a warning, and its deals are released.
//   5. An exit deal with no candidate at all (the report period clipped its
//      position) is rejected with a reason and counted in a warning: it never
//      becomes a trade of its own.
// Money (gross profit, commission, swap) is what the Positions row prints; fee
// is the sum of the Fee column over the position's deals when the report has
// one.
//
// Rows arrive one at a time from the report reader and are kept only as the
// compact Position and Deal records matching needs (numbers as canonical
// decimal text, times as epoch milliseconds); the trades are built from them
// on demand (ImportPlan), a chunk at a time.
import { Big, dec, decimalPlaces, sum, toDecimalString } from "../../decimal.ts";
import { normalizeSymbol } from "../../instruments/normalize-symbol.ts";
import { parseMetaTraderTime } from "../../server-time.ts";
import { cashKindOfDealType } from "../../trades/pair-deals.ts";
import { vwap, vwapDigits } from "../../trades/vwap.ts";
import type {
  CashMovementInput,
  CloseReason,
  Direction,
  ImportFormat,
  MarginMode,
  RejectedRow,
  ReportAccountInfo,
  TradeInput,
  TradeLegInput,
} from "../../trades/types.ts";
import { decimalText } from "../decimal-text.ts";
import type { ImportPlan, SkippedTrade } from "../import-plan.ts";
import type { ParseOptions } from "../parse-options.ts";
import { UnreadableReportLanguageError, unreadableLanguageMessage, type UnrecognisedHeader } from "./language-support.ts";
import { cellOf, rowValues, type KeptSection, type ReportHeader, type ReportRows, type SectionColumns, type SectionRow } from "./report-reader.ts";
import { ServerTimes, type ServerInstant } from "./report-times.ts";

const SECTION_NAMES = { positions: "Positions", deals: "Deals", openPositions: "Open Positions" } as const;

// A section whose header lacks the columns we need is reported once, not row by row.
const REQUIRED = {
  positions: ["time", "position", "symbol", "type", "volume", "price"],
  openPositions: ["time", "position", "symbol", "type", "volume", "price"],
  deals: ["time", "deal", "type", "volume", "price", "profit"],
} as const;

class RowError extends Error {}

const BUY = 0;
const SELL = 1;
const ENTRY_KINDS = ["in", "out", "inout", "out_by"] as const;
type DealEntry = (typeof ENTRY_KINDS)[number];
const IN = 0;

/** A typed array at least `needed` long, the old contents kept. */
function grown<T extends Float64Array | Int32Array | Int16Array | Uint8Array>(array: T, needed: number): T {
  if (needed <= array.length) return array;
  let capacity = Math.max(1024, array.length * 2);
  while (capacity < needed) capacity *= 2;
  const next = new (array.constructor as new (length: number) => T)(capacity);
  next.set(array);
  return next;
}

const PAGE_BITS = 14;
const PAGE = 1 << PAGE_BITS;

/**
 * A growing column of values in fixed pages: growing never copies (an array
 * grown by push leaves its old backing stores behind — for a report's
 * columns, tens of megabytes of garbage).
 */
class PagedColumn<T> {
  private readonly pages: T[][] = [];
  length = 0;

  push(value: T): void {
    const page = this.length >> PAGE_BITS;
    if (page === this.pages.length) this.pages.push(new Array<T>(PAGE));
    this.pages[page]![this.length & (PAGE - 1)] = value;
    this.length++;
  }

  get(index: number): T | undefined {
    return this.pages[index >> PAGE_BITS]?.[index & (PAGE - 1)];
  }

  set(index: number, value: T): void {
    this.pages[index >> PAGE_BITS]![index & (PAGE - 1)] = value;
  }

  toArray(): T[] {
    const out = new Array<T>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.get(i)!;
    return out;
  }
}

// Positions and deals are kept column-wise (one typed array or string array
// per field, a record is an index): a 100 000-position report has 300 000 of
// them, and as objects with their boxed numbers and Big volumes they took
// several hundred bytes each; this way a deal is about a hundred.

/** The positions of a report (Positions rows, then Open Positions rows). */
class PositionTable {
  count = 0;
  sectionRow = new Int32Array(0);
  direction = new Uint8Array(0);
  openMs = new Float64Array(0);
  openOffset = new Int16Array(0);
  /** NaN while open. */
  closeMs = new Float64Array(0);
  closeOffset = new Int16Array(0);
  fromOpenSection = new Uint8Array(0);
  /** Imported from its Positions row alone (its exit deals did not add up). */
  fallback = new Uint8Array(0);
  /** Deal index of the entry deal, or -1. */
  entryDeal = new Int32Array(0);
  id = new PagedColumn<string>();
  brokerSymbol = new PagedColumn<string>();
  volume = new PagedColumn<string>();
  price = new PagedColumn<string>();
  closePrice = new PagedColumn<string | null>();
  sl = new PagedColumn<string | null>();
  tp = new PagedColumn<string | null>();
  commission = new PagedColumn<string>();
  swap = new PagedColumn<string>();
  profit = new PagedColumn<string>();
  comment = new PagedColumn<string | null>();
  /** Open Positions: the Market Price cell as printed (null without that column). */
  marketPrice = new PagedColumn<string | null>();
  /** Deal indexes of scale-ins and exits (undefined: none). */
  scaleIns = new PagedColumn<number[] | undefined>();
  exits = new PagedColumn<number[] | undefined>();

  add(fields: {
    sectionRow: number; direction: Direction; open: ServerInstant; close: ServerInstant | null; fromOpenSection: boolean;
    id: string; brokerSymbol: string; volume: string; price: string; closePrice: string | null; sl: string | null; tp: string | null;
    commission: string; swap: string; profit: string; comment: string | null; marketPrice: string | null;
  }): number {
    const at = this.count++;
    if (at >= this.sectionRow.length) {
      const needed = at + 1;
      this.sectionRow = grown(this.sectionRow, needed);
      this.direction = grown(this.direction, needed);
      this.openMs = grown(this.openMs, needed);
      this.openOffset = grown(this.openOffset, needed);
      this.closeMs = grown(this.closeMs, needed);
      this.closeOffset = grown(this.closeOffset, needed);
      this.fromOpenSection = grown(this.fromOpenSection, needed);
      this.fallback = grown(this.fallback, needed);
      this.entryDeal = grown(this.entryDeal, needed);
    }
    this.sectionRow[at] = fields.sectionRow;
    this.direction[at] = fields.direction === "buy" ? BUY : SELL;
    this.openMs[at] = fields.open.ms;
    this.openOffset[at] = fields.open.offset;
    this.closeMs[at] = fields.close ? fields.close.ms : NaN;
    this.closeOffset[at] = fields.close ? fields.close.offset : 0;
    this.fromOpenSection[at] = fields.fromOpenSection ? 1 : 0;
    this.fallback[at] = 0;
    this.entryDeal[at] = -1;
    this.id.push(fields.id);
    this.brokerSymbol.push(fields.brokerSymbol);
    this.volume.push(fields.volume);
    this.price.push(fields.price);
    this.closePrice.push(fields.closePrice);
    this.sl.push(fields.sl);
    this.tp.push(fields.tp);
    this.commission.push(fields.commission);
    this.swap.push(fields.swap);
    this.profit.push(fields.profit);
    this.comment.push(fields.comment);
    this.marketPrice.push(fields.marketPrice);
    this.scaleIns.push(undefined);
    this.exits.push(undefined);
    return at;
  }

  isClosed(at: number): boolean {
    return !Number.isNaN(this.closeMs[at]!);
  }

  directionOf(at: number): Direction {
    return this.direction[at] === BUY ? "buy" : "sell";
  }
}

/** The trading deals of a report. */
class DealTable {
  count = 0;
  fileRow = new Int32Array(0);
  sectionRow = new Int32Array(0);
  timeMs = new Float64Array(0);
  offset = new Int16Array(0);
  direction = new Uint8Array(0);
  entry = new Uint8Array(0);
  /** Position index, or -1. */
  assigned = new Int32Array(0);
  /** The header each deal sits under (for its printed values, if it is rejected late). */
  columns = new PagedColumn<SectionColumns>();
  ticket = new PagedColumn<string>();
  orderId = new PagedColumn<string | null>();
  brokerSymbol = new PagedColumn<string>();
  volume = new PagedColumn<string>();
  price = new PagedColumn<string>();
  commission = new PagedColumn<string>();
  fee = new PagedColumn<string>();
  swap = new PagedColumn<string>();
  profit = new PagedColumn<string>();
  comment = new PagedColumn<string | null>();

  add(fields: {
    fileRow: number; sectionRow: number; time: ServerInstant; direction: Direction; entry: DealEntry; columns: SectionColumns;
    ticket: string; orderId: string | null; brokerSymbol: string; volume: string; price: string;
    commission: string; fee: string; swap: string; profit: string; comment: string | null;
  }): void {
    const at = this.count++;
    if (at >= this.fileRow.length) {
      const needed = at + 1;
      this.fileRow = grown(this.fileRow, needed);
      this.sectionRow = grown(this.sectionRow, needed);
      this.timeMs = grown(this.timeMs, needed);
      this.offset = grown(this.offset, needed);
      this.direction = grown(this.direction, needed);
      this.entry = grown(this.entry, needed);
      this.assigned = grown(this.assigned, needed);
    }
    this.fileRow[at] = fields.fileRow;
    this.sectionRow[at] = fields.sectionRow;
    this.timeMs[at] = fields.time.ms;
    this.offset[at] = fields.time.offset;
    this.direction[at] = fields.direction === "buy" ? BUY : SELL;
    this.entry[at] = ENTRY_KINDS.indexOf(fields.entry);
    this.assigned[at] = -1;
    this.columns.push(fields.columns);
    this.ticket.push(fields.ticket);
    this.orderId.push(fields.orderId);
    this.brokerSymbol.push(fields.brokerSymbol);
    this.volume.push(fields.volume);
    this.price.push(fields.price);
    this.commission.push(fields.commission);
    this.fee.push(fields.fee);
    this.swap.push(fields.swap);
    this.profit.push(fields.profit);
    this.comment.push(fields.comment);
  }

  directionOf(at: number): Direction {
    return this.direction[at] === BUY ? "buy" : "sell";
  }

  entryOf(at: number): DealEntry {
    return ENTRY_KINDS[this.entry[at]!]!;
  }
}

const isZeroText = (text: string) => text === "" || text === "0.00" || text === "0" || text === "0.000000";

class RowContext {
  /** The row being read (one context serves every row). */
  row!: SectionRow;

  constructor(private readonly times: ServerTimes) {}

  private label(key: string): string {
    return this.row.columns.labels[key] ?? key;
  }

  private where(): string {
    return `${SECTION_NAMES[this.row.section]} row ${this.row.sectionRow}`;
  }

  raw(key: string): string {
    return cellOf(this.row, key);
  }

  text(key: string): string {
    return this.raw(key).trim();
  }

  required(key: string): string {
    const text = this.text(key);
    if (text === "") throw new RowError(`${this.where()}: "${this.label(key)}" is empty`);
    return text;
  }

  /** Canonical decimal text of a number cell. */
  number(key: string, options: { optional?: boolean } = {}): string | null {
    const text = this.text(key);
    if (text === "") {
      if (options.optional) return null;
      throw new RowError(`${this.where()}: "${this.label(key)}" is empty`);
    }
    const value = decimalText(text);
    if (value === null) throw new RowError(`${this.where()}: "${this.label(key)}" is "${text}", not a number`);
    return value;
  }

  money(key: string): string {
    const at = this.row.columns.index[key];
    // Most money cells are zero; skip the decimal parser for them.
    if (at === undefined || isZeroText(this.row.cells[at] ?? "")) return "0";
    return this.number(key, { optional: true }) ?? "0";
  }

  /** A price as printed, or null for an empty or zero SL/TP. */
  price(key: string, options: { optional?: boolean; zeroIsNone?: boolean } = {}): string | null {
    const value = this.number(key, { optional: options.optional });
    if (value === null) return null;
    if (options.zeroIsNone && value === "0") return null;
    return value;
  }

  time(key: string, options: { optional?: boolean } = {}): ServerInstant | null {
    const text = this.text(key);
    if (text === "") {
      if (options.optional) return null;
      throw new RowError(`${this.where()}: "${this.label(key)}" is empty`);
    }
    const instant = this.times.read(text);
    if (!instant) throw new RowError(`${this.where()}: "${this.label(key)}" is "${text}", not a time like 2025.04.15 17:11:31`);
    return instant;
  }

  direction(key: string): Direction {
    const raw = this.required(key);
    if (raw === "buy" || raw === "sell") return raw;
    const text = raw.toLowerCase();
    if (text === "buy" || text === "sell") return text;
    throw new RowError(`${this.where()}: "${this.label(key)}" is "${this.text(key)}", expected buy or sell`);
  }

  id(key: string): string {
    const raw = this.required(key);
    if (isDigits(raw)) return raw;
    const text = raw.replace(/[\s\u00a0]/g, "");
    if (!/^\d+$/.test(text)) throw new RowError(`${this.where()}: "${this.label(key)}" is "${this.text(key)}", not a ticket number`);
    return text;
  }
}

/** Only ASCII digits (the usual ticket). */
function isDigits(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return text.length > 0;
}

function dealEntry(text: string): DealEntry | null {
  if (text === "in" || text === "out") return text;
  const normalized = text.trim().toLowerCase().replace(/\s+/g, " ");
  if (normalized === "in") return "in";
  if (normalized === "out") return "out";
  if (normalized === "in/out" || normalized === "in / out" || normalized === "inout") return "inout";
  if (normalized === "out by" || normalized === "out_by" || normalized === "outby") return "out_by";
  return null;
}

/** `57174315 (USD, HFMarketsKE-Demo2, demo, Hedge)` or `… (USD, 1:100, Server, real, Netting)`. */
export function parseAccountLine(header: ReportHeader): ReportAccountInfo | null {
  const lines = header.lines;
  const accountLine = lines.find((line) => /^\d+\s*\(.*\)$/.test(line.value.replace(/\u00a0/g, " ").trim()));
  if (!accountLine) return null;
  const text = accountLine.value.replace(/\u00a0/g, " ").trim();
  const match = /^(\d+)\s*\((.*)\)$/.exec(text)!;
  const parts = match[2]!.split(",").map((part) => part.trim()).filter(Boolean);
  let currency: string | null = null;
  let leverage: number | null = null;
  let server: string | null = null;
  let marginMode: MarginMode | null = null;
  for (const part of parts) {
    const lower = part.toLowerCase();
    const ratio = /^1\s*:\s*(\d+)$/.exec(part);
    if (ratio) leverage = Number(ratio[1]);
    else if (/^(hedge|hedging|хеджинг|cobertura)$/.test(lower)) marginMode = "hedging";
    else if (/^(netting|exchange|неттинг|compensación)$/.test(lower)) marginMode = "netting";
    else if (!currency && /^[A-Z]{3,4}$/.test(part)) currency = part;
    else if (/^(demo|real|contest|демо|реальный|конкурс)$/.test(lower)) continue;
    else if (!server) server = part;
  }
  const index = lines.indexOf(accountLine);
  // Name precedes the account line and Company follows it in every report.
  const name = index > 0 ? lines[index - 1]!.value || null : null;
  const company = lines[index + 1] && !parseMetaTraderTime(lines[index + 1]!.value) ? lines[index + 1]!.value || null : null;
  return { login: match[1]!, name, currency, server, company, marginMode, leverage };
}

function closeReasonFromComment(comment: string | null): CloseReason | null {
  if (!comment) return null;
  const match = /^\[(sl|tp|so)\b/i.exec(comment.trim());
  return match ? (match[1]!.toLowerCase() as CloseReason) : null;
}


const isCanceled = (type: string) => type === "buy canceled" || type === "sell canceled" || type === "buy cancelled" || type === "sell cancelled";

/** The result of reading a report: its plan, and the rows whose printed values a second read must supply. */
export interface Mt5ReportBuild {
  plan: ImportPlan;
  /** File rows of late rejections (deals found to match nothing) whose values are not known yet. */
  rowsWanted: Set<number>;
  /** Fills in a wanted row's printed values from its cells. */
  provideRow(fileRow: number, cells: string[]): void;
}

type Fields<T extends { add(fields: never): unknown }> = Parameters<T["add"]>[0];

/**
 * Collects a report's rows (`row`, from Mt5ReportReader) and, at `finish`,
 * matches deals to positions and plans the import.
 */
export class Mt5ImportBuilder {
  private readonly times: ServerTimes;
  private readonly cash: CashMovementInput[] = [];
  private readonly positions = new PositionTable();
  private readonly positionIndex = new Map<string, number>();
  private readonly openPositions: Fields<PositionTable>[] = [];
  private readonly deals = new DealTable();
  private readonly rejectedPositions: RejectedRow[] = [];
  private readonly rejectedOpenPositions: RejectedRow[] = [];
  private readonly rejectedDeals: RejectedRow[] = [];
  /** Rows not read because their section's header lacks required columns, per section. */
  private readonly unreadRows: Record<KeptSection, number> = { positions: 0, openPositions: 0, deals: 0 };
  private readonly complete = new WeakMap<SectionColumns, boolean>();
  private readonly context: RowContext;
  /** Volumes and charges take a few hundred values across a report: one string each. */
  private readonly texts = new Map<string, string>();

  constructor(
    options: ParseOptions,
    private readonly format: ImportFormat,
  ) {
    this.times = new ServerTimes(options.serverTimeZone);
    this.context = new RowContext(this.times);
  }

  private reject(list: RejectedRow[], row: SectionRow, reason: string): void {
    list.push({ row: row.sectionRow, section: SECTION_NAMES[row.section], reason, values: rowValues(row.columns, row.cells) });
  }

  private intern<T extends string | null>(text: T): T {
    if (text === null || text === "0") return text;
    const known = this.texts.get(text);
    if (known !== undefined) return known as T;
    if (this.texts.size < 20_000) this.texts.set(text, text);
    return text;
  }

  /** One data row of Positions, Deals or Open Positions. */
  readonly row = (row: SectionRow): void => {
    let complete = this.complete.get(row.columns);
    if (complete === undefined) {
      complete = REQUIRED[row.section].every((key) => row.columns.keys.includes(key));
      this.complete.set(row.columns, complete);
    }
    if (!complete) {
      this.unreadRows[row.section] += 1;
      return;
    }
    if (row.section === "deals") this.readDeal(row);
    else this.readPosition(row, row.section === "openPositions");
  };

  private readPosition(row: SectionRow, fromOpenSection: boolean): void {
    const context = this.context;
    context.row = row;
    try {
      const id = context.id("position");
      const open = context.time("time")!;
      const close = fromOpenSection ? null : context.time("time2", { optional: true });
      const closePrice = fromOpenSection ? null : context.price("price2", { optional: true });
      if (close && closePrice === null) throw new RowError(`Positions row ${row.sectionRow}: a close time without a close price`);
      if (close && close.ms < open.ms) throw new RowError(`Positions row ${row.sectionRow}: closes before it opens`);
      const fields: Fields<PositionTable> = {
        id,
        sectionRow: row.sectionRow,
        brokerSymbol: context.required("symbol"),
        direction: context.direction("type"),
        open,
        close,
        volume: this.intern(context.number("volume")!),
        price: context.price("price")!,
        closePrice: close ? closePrice : null,
        sl: context.price("sl", { optional: true, zeroIsNone: true }),
        tp: context.price("tp", { optional: true, zeroIsNone: true }),
        commission: this.intern(context.money("commission")),
        swap: this.intern(context.money("swap")),
        profit: context.money("profit"),
        comment: (row.hiddenComment || context.text("comment")) || null,
        fromOpenSection,
        marketPrice: fromOpenSection && row.columns.index.marketPrice !== undefined ? cellOf(row, "marketPrice") : null,
      };
      // Canonical text: positive unless it has a sign or is zero.
      if (fields.volume.startsWith("-") || fields.volume === "0") throw new RowError(`Positions row ${row.sectionRow}: "Volume" must be positive`);
      if (fromOpenSection) {
        // Open Positions join after every Positions row, whatever the order in the file.
        this.openPositions.push(fields);
        return;
      }
      if (this.positionIndex.has(id)) {
        this.reject(this.rejectedPositions, row, `${SECTION_NAMES[row.section]} row ${row.sectionRow}: position ${id} is listed twice`);
        return;
      }
      this.positionIndex.set(id, this.positions.add(fields));
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      this.reject(fromOpenSection ? this.rejectedOpenPositions : this.rejectedPositions, row, error.message);
    }
  }

  private readDeal(row: SectionRow): void {
    const context = this.context;
    context.row = row;
    try {
      const typeText = context.required("type");
      // Trading deals are "buy" and "sell"; everything else may be cash.
      const cashKind = typeText === "buy" || typeText === "sell" ? null : cashKindOfDealType(typeText);
      const time = context.time("time")!;
      const ticket = context.id("deal");
      if (cashKind) {
        // The Balance column is the running account balance, never money.
        const amount = dec(context.money("profit")).plus(context.money("commission")).plus(context.money("fee")).plus(context.money("swap"));
        this.cash.push({
          dealId: ticket,
          kind: cashKind === "balance" ? (amount.lt(0) ? "withdrawal" : "deposit") : cashKind,
          amount: toDecimalString(amount),
          occurredAt: new Date(time.ms),
          serverUtcOffsetMinutes: time.offset,
          comment: context.text("comment") || null,
        });
        return;
      }
      if (isCanceled(typeText.toLowerCase())) return;
      const direction = context.direction("type");
      const entry = dealEntry(context.required("direction"));
      if (!entry) throw new RowError(`Deals row ${row.sectionRow}: "${row.columns.labels.direction ?? "Direction"}" is "${context.text("direction")}", expected in, out, in/out or out by`);
      const volume = this.intern(context.number("volume")!);
      if (volume.startsWith("-") || volume === "0") throw new RowError(`Deals row ${row.sectionRow}: "Volume" must be positive`);
      const orderCell = context.text("order");
      const orderText = isDigits(orderCell) ? orderCell : orderCell.replace(/[\s\u00a0]/g, "");
      // An entry deal's order is its position's id: keep one string for both.
      const position = orderText ? this.positionIndex.get(orderText) : undefined;
      this.deals.add({
        fileRow: row.fileRow,
        sectionRow: row.sectionRow,
        columns: row.columns,
        ticket,
        orderId: position !== undefined ? this.positions.id.get(position)! : orderText || null,
        time,
        brokerSymbol: context.required("symbol"),
        direction,
        entry,
        volume,
        price: context.price("price")!,
        commission: this.intern(context.money("commission")),
        fee: this.intern(context.money("fee")),
        swap: this.intern(context.money("swap")),
        profit: context.money("profit"),
        comment: context.text("comment") || null,
      });
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      this.reject(this.rejectedDeals, row, error.message);
    }
  }

  /** Matches deals to positions and plans the import (`rows`: what the reader learnt besides the data rows). */
  finish(rows: ReportRows): Mt5ReportBuild {
    const warnings: string[] = [...rows.warnings];
    const account = parseAccountLine(rows.header);
    const hasFee = (rows.columns.deals?.keys ?? []).includes("fee");

    if (!rows.sectionsFound.includes("positions") && !rows.sectionsFound.includes("deals")) {
      warnings.push("No Positions or Deals section was found: is this an MT5 Trade History Report in a supported language?");
    }
    const unrecognised: UnrecognisedHeader[] = [];
    for (const section of ["positions", "openPositions", "deals"] as const) {
      const columns = rows.columns[section];
      if (!columns) continue;
      const missing = REQUIRED[section].filter((key) => !columns.keys.includes(key));
      if (missing.length > 0) {
        unrecognised.push({ section: SECTION_NAMES[section], missing });
        warnings.push(`The ${SECTION_NAMES[section]} section's header was not recognised (missing ${missing.join(", ")}); its ${this.unreadRows[section]} row(s) were not read. The report's language may not be supported yet.`);
      }
    }

    const positions = this.positions;
    for (const fields of this.openPositions) {
      if (!this.positionIndex.has(fields.id)) this.positionIndex.set(fields.id, positions.add(fields));
    }
    this.openPositions.length = 0;

    const deals = this.deals;
    const { lots, candidates } = matchDeals(positions, this.positionIndex, deals);

    // Rejections found only now need the rows' printed values from a second read.
    const late: RejectedRow[] = [];
    const wanted = new Map<number, { rejection: RejectedRow; columns: SectionColumns }>();
    const rejectLate = (deal: number, reason: string) => {
      const rejection: RejectedRow = { row: deals.sectionRow[deal]!, section: SECTION_NAMES.deals, reason, values: {} };
      late.push(rejection);
      wanted.set(deals.fileRow[deal]!, { rejection, columns: deals.columns.get(deal)! });
    };
    const unmatched = (deal: number) => deals.assigned[deal] === -1 && candidateCount(candidates, deal) === 0;
    let orphans = 0;
    for (let deal = 0; deal < deals.count; deal++) {
      if (!unmatched(deal) || deals.entry[deal] === IN) continue;
      orphans += 1;
      const entry = deals.entryOf(deal);
      rejectLate(deal, `Deals row ${deals.sectionRow[deal]}: ${entry === "out_by" ? "out by" : entry} deal ${deals.ticket.get(deal)} (${deals.brokerSymbol.get(deal)} ${deals.directionOf(deal)} ${deals.volume.get(deal)}) matches no position in the report; its position was opened before the report period, so it is not imported as a trade`);
    }
    if (orphans > 0) {
      warnings.push(`${orphans} exit deal(s) belong to positions opened before the report period and were not imported; export a longer period to include them.`);
    }
    for (let deal = 0; deal < deals.count; deal++) {
      if (!unmatched(deal) || deals.entry[deal] !== IN) continue;
      rejectLate(deal, `Deals row ${deals.sectionRow[deal]}: entry deal ${deals.ticket.get(deal)} (${deals.brokerSymbol.get(deal)}) matches no position in the Positions or Open Positions section`);
    }

    let fallbacks = 0;
    let releasedDeals = 0;
    let openCount = 0;
    for (let position = 0; position < positions.count; position++) {
      if (!positions.isClosed(position)) openCount += 1;
      else if (!exitsAgree(positions, deals, position, lots)) {
        fallbacks += 1;
        const exits = positions.exits.get(position) ?? [];
        releasedDeals += exits.length;
        for (const deal of exits) deals.assigned[deal] = -1;
        positions.exits.set(position, undefined);
        positions.fallback[position] = 1;
      }
    }
    if (fallbacks > 0) {
      warnings.push(`${fallbacks} position(s) were imported from their Positions row with a single exit leg because their exit deals could not be matched unambiguously (${releasedDeals} deal(s) left unattached).`);
    }
    let ambiguous = 0;
    for (let deal = 0; deal < deals.count; deal++) if (deals.assigned[deal] === -1 && candidateCount(candidates, deal) > 0) ambiguous += 1;
    if (ambiguous > 0 && fallbacks === 0) {
      warnings.push(`${ambiguous} deal(s) could belong to more than one position and were not attached as legs.`);
    }
    // Matching is done: only the legs' fields are needed from here on.
    deals.columns = new PagedColumn();

    const rejected = [...this.rejectedPositions, ...this.rejectedOpenPositions, ...this.rejectedDeals, ...late];
    const cash = this.cash;

    // Nothing read because of the report's language: refuse it with a reason
    // instead of an empty import (another workbook without MT5 marks passes on).
    if (positions.count === 0 && cash.length === 0 && rejected.length === 0 && (this.format === "mt5-html" || account !== null || rows.language !== null)) {
      const message = unreadableLanguageMessage({ title: rows.header.title, language: rows.language, sectionsFound: rows.sectionsFound, unrecognised });
      if (message) throw new UnreadableReportLanguageError(message);
    }

    const build = (position: number) => buildTrade(positions, deals, position, hasFee);
    const plan: ImportPlan = {
      format: this.format,
      language: rows.language,
      account,
      cash,
      rejected,
      warnings,
      sourceRowCount: rows.sourceRowCount,
      tradeCount: positions.count,
      openCount,
      positionIds: positions.id.toArray(),
      firstTrades: (count) => Array.from({ length: Math.min(count, positions.count) }, (_, position) => build(position)),
      *tradeChunks(size, skip) {
        for (let start = 0; start < positions.count; start += size) {
          const end = Math.min(start + size, positions.count);
          const chunk = new Array<TradeInput | SkippedTrade>(end - start);
          for (let position = start; position < end; position++) {
            const positionId = positions.id.get(position)!;
            chunk[position - start] = skip?.(positionId) ? { skipped: true, positionId } : build(position);
          }
          yield chunk;
        }
      },
    };
    return {
      plan,
      rowsWanted: new Set(wanted.keys()),
      provideRow(fileRow, cells) {
        const entry = wanted.get(fileRow);
        if (entry) entry.rejection.values = rowValues(entry.columns, cells);
      },
    };
  }
}

/**
 * Exact lot arithmetic for matching, by position and deal index. Volumes are
 * decimal texts; as whole numbers of the report's smallest lot step (2
 * decimals: hundredths) they fit a JavaScript number exactly, so matching
 * needs no Big per comparison. A report whose volumes would not fit that way
 * falls back to Big (BigLots).
 */
interface Lots {
  /** A closed position still has room for this exit deal. */
  fits(position: number, deal: number): boolean;
  /** A closed position has exactly this deal's volume left. */
  leavesExactly(position: number, deal: number): boolean;
  /** Counts the deal as one of the position's exits. */
  assignExit(position: number, deal: number): void;
  /** The position's exits add up to its volume. */
  fullyClosed(position: number): boolean;
}

const MAX_EXACT = Number.MAX_SAFE_INTEGER;


/** `text` in units of 10^-scale, or NaN when that is not exact. */
function scaled(text: string, scale: number): number {
  const dot = text.indexOf(".");
  const integer = dot < 0 ? text : text.slice(0, dot);
  const fraction = dot < 0 ? "" : text.slice(dot + 1);
  const value = Number(integer) * 10 ** scale + Number(fraction.padEnd(scale, "0") || "0");
  return value <= MAX_EXACT ? value : NaN;
}

function integerLots(positions: PositionTable, deals: DealTable): Lots | null {
  let scale = 0;
  for (let i = 0; i < positions.count; i++) scale = Math.max(scale, decimalPlaces(positions.volume.get(i)!));
  for (let i = 0; i < deals.count; i++) scale = Math.max(scale, decimalPlaces(deals.volume.get(i)!));
  if (scale > 12) return null;
  const volume = new Float64Array(positions.count);
  const dealVolume = new Float64Array(deals.count);
  for (let i = 0; i < positions.count; i++) if (Number.isNaN((volume[i] = scaled(positions.volume.get(i)!, scale)))) return null;
  for (let i = 0; i < deals.count; i++) if (Number.isNaN((dealVolume[i] = scaled(deals.volume.get(i)!, scale)))) return null;
  const left = volume.slice();
  const matched = new Float64Array(positions.count);
  return {
    fits: (position, deal) => left[position]! >= dealVolume[deal]!,
    leavesExactly: (position, deal) => left[position] === dealVolume[deal],
    assignExit: (position, deal) => {
      left[position] = left[position]! - dealVolume[deal]!;
      matched[position] = matched[position]! + dealVolume[deal]!;
    },
    fullyClosed: (position) => matched[position] === volume[position],
  };
}

function bigLots(positions: PositionTable, deals: DealTable): Lots {
  const left: (Big | undefined)[] = new Array(positions.count);
  const matched: (Big | undefined)[] = new Array(positions.count);
  const dealVolumes = new Map<number, Big>();
  const dealVolume = (deal: number) => {
    let volume = dealVolumes.get(deal);
    if (!volume) dealVolumes.set(deal, (volume = new Big(deals.volume.get(deal)!)));
    return volume;
  };
  const room = (position: number) => (left[position] ??= new Big(positions.volume.get(position)!));
  return {
    fits: (position, deal) => room(position).gte(dealVolume(deal)),
    leavesExactly: (position, deal) => room(position).eq(dealVolume(deal)),
    assignExit: (position, deal) => {
      left[position] = room(position).minus(dealVolume(deal));
      matched[position] = (matched[position] ?? new Big(0)).plus(dealVolume(deal));
    },
    fullyClosed: (position) => matched[position] !== undefined && matched[position].eq(positions.volume.get(position)!),
  };
}

/** Candidate positions of each swept deal, as runs in one flat array. */
interface Candidates {
  start: Int32Array;
  count: Int32Array;
  flat: Int32Array;
}

const candidateCount = (candidates: Candidates | null, deal: number) => (candidates ? candidates.count[deal]! : 0);

/**
 * See the header comment: entry by order id, then a time sweep and
 * unique-candidate propagation. Returns the lot book (which positions' exits
 * add up) and each swept deal's candidates.
 */
function matchDeals(positions: PositionTable, positionIndex: Map<string, number>, deals: DealTable): { lots: Lots; candidates: Candidates | null } {
  const lots = integerLots(positions, deals) ?? bigLots(positions, deals);
  const pending: number[] = [];
  for (let deal = 0; deal < deals.count; deal++) {
    const orderId = deals.orderId.get(deal);
    const position = deals.entry[deal] === IN && orderId ? positionIndex.get(orderId) : undefined;
    if (position !== undefined && positions.entryDeal[position] === -1 && positions.brokerSymbol.get(position) === deals.brokerSymbol.get(deal) && positions.direction[position] === deals.direction[deal]) {
      positions.entryDeal[position] = deal;
      deals.assigned[deal] = position;
    } else {
      pending.push(deal);
    }
  }
  // Without a usable Order column, an "in" deal at a position's exact open
  // instant (same symbol and side) is its entry when exactly one position fits.
  if (pending.some((deal) => deals.entry[deal] === IN)) {
    const opening = new Map<string, number[]>();
    for (let position = 0; position < positions.count; position++) {
      if (positions.entryDeal[position] !== -1) continue;
      const key = `${positions.brokerSymbol.get(position)}\u0000${positions.direction[position]}\u0000${positions.openMs[position]}`;
      const list = opening.get(key);
      if (list) list.push(position);
      else opening.set(key, [position]);
    }
    for (let i = pending.length - 1; i >= 0; i -= 1) {
      const deal = pending[i]!;
      if (deals.entry[deal] !== IN) continue;
      const list = opening.get(`${deals.brokerSymbol.get(deal)}\u0000${deals.direction[deal]}\u0000${deals.timeMs[deal]}`);
      if (list && list.length === 1 && positions.entryDeal[list[0]!] === -1) {
        positions.entryDeal[list[0]!] = deal;
        deals.assigned[deal] = list[0]!;
        pending.splice(i, 1);
      }
    }
  }
  if (pending.length === 0) return { lots, candidates: null };

  // Lanes: one per broker symbol and side, numbered (no key strings per event).
  const symbols = new Map<string, number>();
  const symbolOf = (symbol: string) => {
    let id = symbols.get(symbol);
    if (id === undefined) symbols.set(symbol, (id = symbols.size));
    return id;
  };
  const positionLane = new Int32Array(positions.count);
  for (let position = 0; position < positions.count; position++) positionLane[position] = symbolOf(positions.brokerSymbol.get(position)!) * 2 + positions.direction[position]!;

  // Sweep over time: opens, then deals, then closes at equal instants (then
  // in the order they were listed: positions, then deals).
  let eventCount = 0;
  for (let position = 0; position < positions.count; position++) eventCount += positions.isClosed(position) ? 2 : 1;
  eventCount += pending.length;
  const eventMs = new Float64Array(eventCount);
  const eventKind = new Uint8Array(eventCount); // 0 open, 1 deal, 2 close
  const eventRef = new Int32Array(eventCount);
  let e = 0;
  for (let position = 0; position < positions.count; position++) {
    eventMs[e] = positions.openMs[position]!;
    eventKind[e] = 0;
    eventRef[e++] = position;
    if (positions.isClosed(position)) {
      eventMs[e] = positions.closeMs[position]!;
      eventKind[e] = 2;
      eventRef[e++] = position;
    }
  }
  for (const deal of pending) {
    eventMs[e] = deals.timeMs[deal]!;
    eventKind[e] = 1;
    eventRef[e++] = deal;
  }
  const order = new Int32Array(eventCount);
  for (let i = 0; i < eventCount; i++) order[i] = i;
  order.sort((a, b) => eventMs[a]! - eventMs[b]! || eventKind[a]! - eventKind[b]! || a - b);
  const active: Set<number>[] = [];
  const candidates: Candidates = { start: new Int32Array(deals.count), count: new Int32Array(deals.count), flat: new Int32Array(Math.max(1024, pending.length * 2)) };
  let used = 0;
  for (let i = 0; i < eventCount; i++) {
    const event = order[i]!;
    const kind = eventKind[event]!;
    if (kind !== 1) {
      const position = eventRef[event]!;
      const lane = positionLane[position]!;
      const set = (active[lane] ??= new Set());
      if (kind === 2) set.delete(position);
      else set.add(position);
      continue;
    }
    const deal = eventRef[event]!;
    const isEntry = deals.entry[deal] === IN;
    const wantedSide = isEntry ? deals.direction[deal]! : deals.direction[deal] === BUY ? SELL : BUY;
    const symbol = symbols.get(deals.brokerSymbol.get(deal)!);
    const set = symbol === undefined ? undefined : active[symbol * 2 + wantedSide];
    candidates.start[deal] = used;
    if (set) {
      for (const position of set) {
        // A scale-in cannot be the position's own opening instant.
        if (isEntry && positions.openMs[position] === deals.timeMs[deal]) continue;
        if (used === candidates.flat.length) {
          const grown = new Int32Array(used * 2);
          grown.set(candidates.flat);
          candidates.flat = grown;
        }
        candidates.flat[used++] = position;
      }
    }
    candidates.count[deal] = used - candidates.start[deal]!;
  }

  const { start, count } = candidates;
  const flat = candidates.flat;
  const fits = (deal: number, position: number): boolean => deals.entry[deal] === IN || !positions.isClosed(position) || lots.fits(position, deal);
  // Most positions get one exit: a one-element literal, not an empty array grown by push (17 slots).
  const append = (lists: PagedColumn<number[] | undefined>, position: number, deal: number) => {
    const list = lists.get(position);
    if (list) list.push(deal);
    else lists.set(position, [deal]);
  };
  const assign = (deal: number, position: number) => {
    deals.assigned[deal] = position;
    if (deals.entry[deal] === IN) append(positions.scaleIns, position, deal);
    else {
      append(positions.exits, position, deal);
      lots.assignExit(position, deal);
    }
  };

  let unresolved = pending.filter((deal) => count[deal]! > 0);
  for (let pass = 0; pass < 50 && unresolved.length > 0; pass += 1) {
    let progress = false;
    const next: number[] = [];
    for (const deal of unresolved) {
      let fitting = 0;
      let only = -1;
      for (let k = start[deal]!; k < start[deal]! + count[deal]!; k++) {
        if (fits(deal, flat[k]!)) {
          fitting += 1;
          only = flat[k]!;
        }
      }
      if (fitting === 1) {
        assign(deal, only);
        progress = true;
      } else if (fitting > 0) {
        next.push(deal);
      }
    }
    if (!progress) {
      // Tie-break: the position that closes at this instant with exactly this volume left.
      for (const deal of next) {
        if (deals.assigned[deal] !== -1 || deals.entry[deal] === IN) continue;
        let exact = 0;
        let only = -1;
        for (let k = start[deal]!; k < start[deal]! + count[deal]!; k++) {
          const position = flat[k]!;
          if (positions.isClosed(position) && positions.closeMs[position] === deals.timeMs[deal] && lots.leavesExactly(position, deal)) {
            exact += 1;
            only = position;
          }
        }
        if (exact === 1) {
          assign(deal, only);
          progress = true;
        }
      }
    }
    unresolved = next.filter((deal) => deals.assigned[deal] === -1);
    if (!progress) break;
  }
  // Restore chronological leg order.
  const chronological = (a: number, b: number) => deals.timeMs[a]! - deals.timeMs[b]! || deals.sectionRow[a]! - deals.sectionRow[b]!;
  for (let position = 0; position < positions.count; position++) {
    const exits = positions.exits.get(position);
    if (exits && exits.length > 1) exits.sort(chronological);
    const scaleIns = positions.scaleIns.get(position);
    if (scaleIns && scaleIns.length > 1) scaleIns.sort(chronological);
  }
  return { lots, candidates };
}

function legOf(deals: DealTable, deal: number, kind: "entry" | "exit"): TradeLegInput {
  const comment = deals.comment.get(deal) ?? null;
  return {
    dealId: deals.ticket.get(deal)!,
    orderId: deals.orderId.get(deal) ?? null,
    kind,
    direction: deals.directionOf(deal),
    executedAt: new Date(deals.timeMs[deal]!),
    serverUtcOffsetMinutes: deals.offset[deal]!,
    volume: deals.volume.get(deal)!,
    price: deals.price.get(deal)!,
    profit: deals.profit.get(deal)!,
    commission: deals.commission.get(deal)!,
    swap: deals.swap.get(deal)!,
    fee: deals.fee.get(deal)!,
    reason: closeReasonFromComment(comment),
    comment,
  };
}

function exitsAgree(positions: PositionTable, deals: DealTable, position: number, lots: Lots): boolean {
  const exits = positions.exits.get(position);
  const closePrice = positions.closePrice.get(position);
  if (!positions.isClosed(position) || !exits || exits.length === 0 || closePrice === null || closePrice === undefined) return false;
  if (!lots.fullyClosed(position)) return false;
  // One exit deal: its price is the VWAP (canonical texts are equal exactly when the numbers are;
  // past 12 decimals the division below rounds, so those take the long way).
  if (exits.length === 1 && deals.price.get(exits[0]!) === closePrice && decimalPlaces(closePrice) <= 12) return true;
  const volume = dec(positions.volume.get(position)!);
  const notional = sum(exits.map((deal) => dec(deals.price.get(deal)!).times(deals.volume.get(deal)!)));
  const digits = decimalPlaces(closePrice);
  // The report prints the VWAP rounded to the symbol's digits; allow one unit of rounding.
  const tolerance = new Big(1).div(new Big(10).pow(digits));
  // |VWAP − close| against the tolerance without dividing, unless it is within
  // the 12-decimal rounding of the VWAP's division of the boundary; there the
  // rounded VWAP decides, as it always has.
  const deviation = notional.minus(volume.times(closePrice)).abs();
  const margin = new Big("1e-12").times(volume);
  if (deviation.lte(tolerance.times(volume).minus(margin))) return true;
  if (deviation.gte(tolerance.times(volume).plus(margin))) return false;
  const vwap = notional.div(volume);
  return vwap.minus(closePrice).abs().lte(tolerance);
}

/** Sum of canonical decimal texts, skipping the Big arithmetic when at most one is not zero. */
function total(values: string[]): string {
  let nonZero = 0;
  let only = "0";
  for (const value of values) {
    if (value !== "0") {
      nonZero += 1;
      only = value;
    }
  }
  if (nonZero <= 1) return only;
  return toDecimalString(sum(values));
}

function buildTrade(positions: PositionTable, deals: DealTable, position: number, hasFee: boolean): TradeInput {
  const closed = positions.isClosed(position);
  const direction = positions.directionOf(position);
  const exits = positions.exits.get(position) ?? [];
  const entryDeal = positions.entryDeal[position]!;
  const entryDeals = [...(entryDeal >= 0 ? [entryDeal] : []), ...(positions.scaleIns.get(position) ?? [])];
  const legs: TradeLegInput[] = entryDeals.map((deal) => legOf(deals, deal, "entry"));
  const openedAt = new Date(positions.openMs[position]!);
  const closedAt = closed ? new Date(positions.closeMs[position]!) : null;
  const comment = positions.comment.get(position) ?? null;
  const price = positions.price.get(position)!;
  const volumeText = positions.volume.get(position)!;
  if (legs.length === 0) {
    // Entry deal outside the report period: the Positions row still tells when and at what price.
    legs.push({
      dealId: null, orderId: positions.id.get(position)!, kind: "entry", direction,
      executedAt: openedAt, serverUtcOffsetMinutes: positions.openOffset[position]!,
      volume: volumeText, price,
      profit: "0", commission: "0", swap: "0", fee: "0", reason: null, comment,
    });
  }
  for (const deal of exits) legs.push(legOf(deals, deal, "exit"));
  if (positions.fallback[position]) {
    const entryCommission = sum(entryDeals.map((deal) => deals.commission.get(deal)!));
    legs.push({
      dealId: null, orderId: null, kind: "exit", direction: direction === "buy" ? "sell" : "buy",
      executedAt: closedAt!, serverUtcOffsetMinutes: positions.closeOffset[position]!,
      volume: volumeText, price: positions.closePrice.get(position)!,
      profit: positions.profit.get(position)!, commission: toDecimalString(dec(positions.commission.get(position)!).minus(entryCommission)),
      swap: positions.swap.get(position)!, fee: "0", reason: null, comment: null,
    });
  }
  const usedDeals = [...entryDeals, ...exits];
  const fee = hasFee ? total(usedDeals.map((deal) => deals.fee.get(deal)!)) : "0";
  // Open positions print their current volume; partial closes add back to what was entered.
  const exitVolume = closed ? null : sum(exits.map((deal) => deals.volume.get(deal)!));
  const volume = closed ? volumeText : toDecimalString(dec(volumeText).plus(exitVolume!));
  const closedVolume = closed ? volumeText : toDecimalString(exitVolume!);
  const lastExit = exits[exits.length - 1];
  // Several entries or exits: their exact VWAP by the sync's rule (trades/vwap.ts), not the
  // report's printed price (that VWAP rounded to the symbol's digits), so a position has the
  // same prices and pips whether it was synced or imported. One deal's price is the printed one.
  // (Most positions have one of each: nothing to compute.)
  const entryLegCount = Math.max(entryDeals.length, 1);
  const exitLegCount = legs.length - entryLegCount;
  const averaged = (from: number, to: number) => vwap(legs.slice(from, to), vwapDigits(legs));
  const entriesCoverVolume = () => sum(legs.slice(0, entryLegCount).map((leg) => leg.volume)).eq(volume);
  const entryPrice = entryDeals.length > 1 && entriesCoverVolume() ? averaged(0, entryLegCount)! : price;
  const exitPrice = closed
    ? (exitLegCount > 1 ? averaged(entryLegCount, legs.length) : (positions.closePrice.get(position) ?? null))
    : (exitLegCount > 0 ? averaged(entryLegCount, legs.length) : null);
  const brokerSymbol = positions.brokerSymbol.get(position)!;
  const profit = positions.profit.get(position)!;
  const swap = positions.swap.get(position)!;
  return {
    positionId: positions.id.get(position)!,
    symbol: normalizeSymbol(brokerSymbol),
    brokerSymbol,
    direction,
    status: closed ? "closed" : "open",
    openedAt,
    closedAt,
    openServerUtcOffsetMinutes: positions.openOffset[position]!,
    closeServerUtcOffsetMinutes: closed ? positions.closeOffset[position]! : null,
    volume,
    closedVolume,
    entryPrice,
    exitPrice,
    initialStopLoss: null,
    stopLoss: positions.sl.get(position) ?? null,
    takeProfit: positions.tp.get(position) ?? null,
    grossProfit: closed ? profit : total(exits.map((deal) => deals.profit.get(deal)!)),
    commission: closed ? positions.commission.get(position)! : total(usedDeals.map((deal) => deals.commission.get(deal)!)),
    swap: closed ? swap : total(exits.map((deal) => deals.swap.get(deal)!)),
    fee,
    pnlSource: "broker",
    profitCurrency: null,
    conversionRate: null,
    pips: null,
    initialRiskAmount: null,
    closeReason: closed ? closeReasonFromComment(lastExit === undefined ? null : (deals.comment.get(lastExit) ?? null)) : null,
    magic: null,
    comment: comment ?? (entryDeal >= 0 ? (deals.comment.get(entryDeal) ?? null) : null),
    raw: positions.fromOpenSection[position]
      ? { section: "Open Positions", row: positions.sectionRow[position]!, floatingProfit: profit, floatingSwap: swap, marketPrice: positions.marketPrice.get(position) ?? null }
      : { section: "Positions", row: positions.sectionRow[position]! },
    legs,
  };
}
