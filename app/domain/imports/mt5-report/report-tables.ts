// The positions and trading deals of an MT5 report, kept column-wise for
// matching (match-deals.ts) and building trades (build-trade.ts). A record is
// an index into the columns.
import type { Direction } from "../../trades/types.ts";
import type { SectionColumns } from "./report-reader.ts";
import type { ServerInstant } from "./report-times.ts";
import { grownCopy } from "../grown-copy.ts";
import { TextColumn } from "./text-column.ts";

export const BUY = 0;
export const SELL = 1;
const ENTRY_KINDS = ["in", "out", "inout", "out_by"] as const;
export type DealEntry = (typeof ENTRY_KINDS)[number];
export const IN = 0;

/** A typed array at least `needed` long, the old contents kept. */
function grown<T extends Float64Array | Int32Array | Int16Array | Uint8Array>(array: T, needed: number): T {
  return grownCopy(array, needed, (length) => new (array.constructor as new (length: number) => T)(length));
}

const PAGE_BITS = 14;
const PAGE = 1 << PAGE_BITS;

/**
 * A growing column of values in fixed pages: growing never copies (an array
 * grown by push leaves its old backing stores behind — for a report's
 * columns, tens of megabytes of garbage).
 */
export class PagedColumn<T> {
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
export class PositionTable {
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
  // Texts that are nearly all different are kept as bytes; repeated ones (interned) as shared strings.
  price = new TextColumn();
  closePrice = new TextColumn<string | null>();
  sl = new TextColumn<string | null>();
  tp = new TextColumn<string | null>();
  commission = new PagedColumn<string>();
  swap = new PagedColumn<string>();
  profit = new TextColumn();
  comment = new PagedColumn<string | null>();
  /** Open Positions: the Market Price cell as printed (null without that column). */
  marketPrice = new TextColumn<string | null>();
  /** Deal indexes of scale-ins and exits (undefined: none). */
  scaleIns = new PagedColumn<number[] | undefined>();
  exits = new PagedColumn<number[] | undefined>();

  add(fields: {
    sectionRow: number;
    direction: Direction;
    open: ServerInstant;
    close: ServerInstant | null;
    fromOpenSection: boolean;
    id: string;
    brokerSymbol: string;
    volume: string;
    price: string;
    closePrice: string | null;
    sl: string | null;
    tp: string | null;
    commission: string;
    swap: string;
    profit: string;
    comment: string | null;
    marketPrice: string | null;
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
export class DealTable {
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
  ticket = new TextColumn();
  orderId = new PagedColumn<string | null>();
  brokerSymbol = new PagedColumn<string>();
  volume = new PagedColumn<string>();
  price = new TextColumn();
  commission = new PagedColumn<string>();
  fee = new PagedColumn<string>();
  swap = new PagedColumn<string>();
  profit = new TextColumn();
  comment = new PagedColumn<string | null>();

  add(fields: {
    fileRow: number;
    sectionRow: number;
    time: ServerInstant;
    direction: Direction;
    entry: DealEntry;
    columns: SectionColumns;
    ticket: string;
    orderId: string | null;
    brokerSymbol: string;
    volume: string;
    price: string;
    commission: string;
    fee: string;
    swap: string;
    profit: string;
    comment: string | null;
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

/** The fields of one position row, as PositionTable.add takes them. */
export type PositionFields = Parameters<PositionTable["add"]>[0];
