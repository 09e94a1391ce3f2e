// Reads the data rows of a report's Positions, Deals and Open Positions
// sections (handed one at a time by Mt5ReportReader) into the column tables
// (report-tables.ts), the cash rows, and the rows rejected with a reason.
// Nothing is matched here: a row is read on its own.
import { dec, toDecimalString } from "../../decimal.ts";
import { cashKindOfDealType } from "../../trades/pair-deals.ts";
import type { CashMovementInput, Direction, RejectedRow } from "../../trades/types.ts";
import { symbolDigits } from "../../instruments/price-display.ts";
import { decimalText } from "../decimal-text.ts";
import { withoutDoubleNoise } from "./excel-noise.ts";
import { cellOf, rowValues, type KeptSection, type SectionColumns, type SectionRow } from "./report-reader.ts";
import { DealTable, PositionTable, type DealEntry, type PositionFields } from "./report-tables.ts";
import { ServerTimes, type ServerInstant } from "./report-times.ts";
import { TicketIndex } from "./ticket-index.ts";

export const SECTION_NAMES = { positions: "Positions", deals: "Deals", openPositions: "Open Positions" } as const;

// A section whose header lacks the columns we need is reported once, not row by row.
export const REQUIRED = {
  positions: ["time", "position", "symbol", "type", "volume", "price"],
  openPositions: ["time", "position", "symbol", "type", "volume", "price"],
  deals: ["time", "deal", "type", "volume", "price", "profit"],
} as const;

class RowError extends Error {}

/** Money in a report has cents at most (JPY none): the most a re-saved double is read back to. */
const MONEY_DIGITS = 2;

const isZeroText = (text: string) => text === "" || text === "0.00" || text === "0" || text === "0.000000";

class RowContext {
  /** The row being read (one context serves every row). */
  row!: SectionRow;
  /** Decimals of the row's symbol (catalogue), null when unknown: only for reading back re-saved doubles. */
  priceDigits: number | null = null;
  private readonly digitsBySymbol = new Map<string, number | null>();

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

  /** Sets `priceDigits` for the row's broker symbol. */
  useSymbol(brokerSymbol: string): void {
    let digits = this.digitsBySymbol.get(brokerSymbol);
    if (digits === undefined) this.digitsBySymbol.set(brokerSymbol, (digits = symbolDigits(brokerSymbol)));
    this.priceDigits = digits;
  }

  /**
   * Canonical decimal text of a number cell. A value re-saved by a
   * spreadsheet as a 17-digit double is read back to what the broker printed
   * (excel-noise.ts), with at most `digits` decimals when given.
   */
  number(key: string, options: { optional?: boolean; digits?: number | null } = {}): string | null {
    const text = this.text(key);
    if (text === "") {
      if (options.optional) return null;
      throw new RowError(`${this.where()}: "${this.label(key)}" is empty`);
    }
    const value = decimalText(text);
    if (value === null) throw new RowError(`${this.where()}: "${this.label(key)}" is "${text}", not a number`);
    // Printed figures are far shorter than 16 characters; only longer ones can be noise.
    return value.length < 16 ? value : withoutDoubleNoise(value, options.digits ?? null);
  }

  money(key: string): string {
    const at = this.row.columns.index[key];
    // Most money cells are zero; skip the decimal parser for them.
    if (at === undefined || isZeroText(this.row.cells[at] ?? "")) return "0";
    return this.number(key, { optional: true, digits: MONEY_DIGITS }) ?? "0";
  }

  /** A price as printed, or null for an empty or zero SL/TP. */
  price(key: string, options: { optional?: boolean; zeroIsNone?: boolean } = {}): string | null {
    const value = this.number(key, { optional: options.optional, digits: this.priceDigits });
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

/** "0.02 / 0.05": the closed and the opened volume of a partly closed position. */
const PARTLY_CLOSED_VOLUME = /^\d+(?:[.,]\d+)?\s*\/\s*\d+(?:[.,]\d+)?$/;

const isCanceled = (type: string) => type === "buy canceled" || type === "sell canceled" || type === "buy cancelled" || type === "sell cancelled";

/** The rows of a report as read so far. */
export class ReportRowsCollector {
  readonly cash: CashMovementInput[] = [];
  readonly positions = new PositionTable();
  /** Position id → index in `positions`. */
  readonly positionIndex = new TicketIndex();
  private readonly openPositions: PositionFields[] = [];
  readonly deals = new DealTable();
  private readonly rejectedPositions: RejectedRow[] = [];
  /**
   * Positions rows of partially closed positions (Volume "0.02 / 0.05":
   * closed / opened), by id, with their rejection should Open Positions not
   * list the rest.
   */
  private readonly partlyClosed = new Map<string, RejectedRow>();
  private readonly rejectedOpenPositions: RejectedRow[] = [];
  private readonly rejectedDeals: RejectedRow[] = [];
  /** Rows not read because their section's header lacks required columns, per section. */
  readonly unreadRows: Record<KeptSection, number> = { positions: 0, openPositions: 0, deals: 0 };
  private readonly complete = new WeakMap<SectionColumns, boolean>();
  private readonly context: RowContext;
  /** Volumes and charges take a few hundred values across a report: one string each. */
  private readonly texts = new Map<string, string>();

  constructor(serverTimeZone: string) {
    this.context = new RowContext(new ServerTimes(serverTimeZone));
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
      if (!fromOpenSection && PARTLY_CLOSED_VOLUME.test(context.text("volume"))) {
        // MT5 lists a position still open after a partial close in Positions too, with its
        // closed part; the position itself is its Open Positions row and its deals carry the exits.
        this.partlyClosed.set(id, {
          row: row.sectionRow,
          section: SECTION_NAMES.positions,
          reason: `Positions row ${row.sectionRow}: position ${id} is partly closed (Volume "${context.text("volume")}") but the Open Positions section does not list the rest of it`,
          values: rowValues(row.columns, row.cells),
        });
        return;
      }
      context.useSymbol(context.required("symbol"));
      const open = context.time("time")!;
      const close = fromOpenSection ? null : context.time("time2", { optional: true });
      const closePrice = fromOpenSection ? null : context.price("price2", { optional: true });
      if (close && closePrice === null) throw new RowError(`Positions row ${row.sectionRow}: a close time without a close price`);
      if (close && close.ms < open.ms) throw new RowError(`Positions row ${row.sectionRow}: closes before it opens`);
      const fields: PositionFields = {
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
        comment: row.hiddenComment || context.text("comment") || null,
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
      context.useSymbol(context.required("symbol"));
      const direction = context.direction("type");
      const entry = dealEntry(context.required("direction"));
      if (!entry)
        throw new RowError(
          `Deals row ${row.sectionRow}: "${row.columns.labels.direction ?? "Direction"}" is "${context.text("direction")}", expected in, out, in/out or out by`,
        );
      const volume = this.intern(context.number("volume")!);
      if (volume.startsWith("-") || volume === "0") throw new RowError(`Deals row ${row.sectionRow}: "Volume" must be positive`);
      const orderCell = context.text("order");
      const orderText = isDigits(orderCell) ? orderCell : orderCell.replace(/[\s\u00a0]/g, "");
      // An entry deal's order is its position's id: keep one string for both
      // (an exit's order is a ticket of its own, so it is not looked up).
      const position = entry === "in" && orderText ? this.positionIndex.get(orderText) : undefined;
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

  /** Open Positions join after every Positions row, whatever the order in the file (a position listed in both stays a Positions one). */
  joinOpenPositions(): void {
    for (const fields of this.openPositions) this.partlyClosed.delete(fields.id);
    for (const rejection of this.partlyClosed.values()) this.rejectedPositions.push(rejection);
    this.partlyClosed.clear();
    for (const fields of this.openPositions) {
      if (!this.positionIndex.has(fields.id)) this.positionIndex.set(fields.id, this.positions.add(fields));
    }
    this.openPositions.length = 0;
  }

  /** Rows rejected while reading, section by section. */
  rejected(): RejectedRow[] {
    return [...this.rejectedPositions, ...this.rejectedOpenPositions, ...this.rejectedDeals];
  }
}
