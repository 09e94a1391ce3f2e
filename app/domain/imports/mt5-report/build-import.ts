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
import { Big, dec, parseBrokerNumber, sum, toDecimalString, ZERO } from "../../decimal.ts";
import { normalizeSymbol } from "../../instruments/normalize-symbol.ts";
import { parseMetaTraderTime, serverTimeToUtc } from "../../server-time.ts";
import { cashKindOfDealType } from "../../trades/pair-deals.ts";
import type {
  CashMovementInput,
  CloseReason,
  Direction,
  ImportFormat,
  MarginMode,
  ParsedImport,
  RejectedRow,
  ReportAccountInfo,
  TradeInput,
  TradeLegInput,
} from "../../trades/types.ts";
import type { ParseOptions } from "../parse-options.ts";
import type { ReportHeader, ReportRows, SectionColumns, SectionRow } from "./report-reader.ts";

const SECTION_NAMES = { positions: "Positions", deals: "Deals", openPositions: "Open Positions" } as const;

class RowError extends Error {}

interface Time {
  at: Date;
  offset: number;
  ms: number;
}

interface Position {
  id: string;
  row: SectionRow;
  brokerSymbol: string;
  direction: Direction;
  open: Time;
  close: Time | null;
  volume: Big;
  price: string;
  closePrice: string | null;
  sl: string | null;
  tp: string | null;
  commission: Big;
  swap: Big;
  profit: Big;
  comment: string | null;
  fromOpenSection: boolean;
  entryDeal: Deal | null;
  scaleIns: Deal[];
  exits: Deal[];
  exitVolume: Big;
}

interface Deal {
  row: SectionRow;
  ticket: string;
  orderId: string | null;
  time: Time;
  brokerSymbol: string;
  direction: Direction;
  entry: "in" | "out" | "inout" | "out_by";
  volume: Big;
  price: string;
  commission: Big;
  fee: Big;
  swap: Big;
  profit: Big;
  comment: string | null;
  candidates: Position[];
  assigned: Position | null;
}

function rowValues(row: SectionRow, columns: SectionColumns | undefined): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, text] of Object.entries(row.values)) values[columns?.labels[key] ?? key] = text;
  return values;
}

class RowContext {
  constructor(
    private readonly row: SectionRow,
    private readonly columns: SectionColumns | undefined,
    private readonly zone: string,
  ) {}

  private label(key: string): string {
    return this.columns?.labels[key] ?? key;
  }

  private where(): string {
    return `${SECTION_NAMES[this.row.section as keyof typeof SECTION_NAMES] ?? this.row.section} row ${this.row.sectionRow}`;
  }

  text(key: string): string {
    return (this.row.values[key] ?? "").trim();
  }

  required(key: string): string {
    const text = this.text(key);
    if (text === "") throw new RowError(`${this.where()}: "${this.label(key)}" is empty`);
    return text;
  }

  number(key: string, options: { optional?: boolean } = {}): Big | null {
    const text = this.text(key);
    if (text === "") {
      if (options.optional) return null;
      throw new RowError(`${this.where()}: "${this.label(key)}" is empty`);
    }
    const value = parseBrokerNumber(text);
    if (!value) throw new RowError(`${this.where()}: "${this.label(key)}" is "${text}", not a number`);
    return value;
  }

  money(key: string): Big {
    const text = this.row.values[key];
    // Most money cells are zero; skip the decimal parser for them.
    if (text === undefined || text === "" || text === "0.00" || text === "0" || text === "0.000000") return ZERO;
    return this.number(key, { optional: true }) ?? ZERO;
  }

  /** A price as printed, or null for an empty or zero SL/TP. */
  price(key: string, options: { optional?: boolean; zeroIsNone?: boolean } = {}): string | null {
    const value = this.number(key, { optional: options.optional });
    if (value === null) return null;
    if (options.zeroIsNone && value.eq(0)) return null;
    return toDecimalString(value);
  }

  time(key: string, options: { optional?: boolean } = {}): Time | null {
    const text = this.text(key);
    if (text === "") {
      if (options.optional) return null;
      throw new RowError(`${this.where()}: "${this.label(key)}" is empty`);
    }
    const wall = parseMetaTraderTime(text);
    if (!wall) throw new RowError(`${this.where()}: "${this.label(key)}" is "${text}", not a time like 2025.04.15 17:11:31`);
    const converted = serverTimeToUtc(wall, this.zone);
    return { at: converted.at, offset: converted.offsetMinutes, ms: converted.at.getTime() };
  }

  direction(key: string): Direction {
    const text = this.required(key).toLowerCase();
    if (text === "buy" || text === "sell") return text;
    throw new RowError(`${this.where()}: "${this.label(key)}" is "${this.text(key)}", expected buy or sell`);
  }

  id(key: string): string {
    const text = this.required(key).replace(/[\s\u00a0]/g, "");
    if (!/^\d+$/.test(text)) throw new RowError(`${this.where()}: "${this.label(key)}" is "${this.text(key)}", not a ticket number`);
    return text;
  }
}

function dealEntry(text: string): Deal["entry"] | null {
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

function decimals(text: string): number {
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}

export function buildMt5Import(rows: ReportRows, options: ParseOptions, format: ImportFormat): ParsedImport {
  const zone = options.serverTimeZone;
  const rejected: RejectedRow[] = [];
  const warnings: string[] = [...rows.warnings];
  const cash: CashMovementInput[] = [];
  const account = parseAccountLine(rows.header);
  const hasFee = Object.values(rows.columns.deals?.keys ?? []).includes("fee");

  const reject = (row: SectionRow, reason: string) => {
    rejected.push({
      row: row.sectionRow,
      section: SECTION_NAMES[row.section as keyof typeof SECTION_NAMES] ?? row.section,
      reason,
      values: rowValues(row, rows.columns[row.section]),
    });
  };

  if (!rows.sectionsFound.includes("positions") && !rows.sectionsFound.includes("deals")) {
    warnings.push("No Positions or Deals section was found: is this an MT5 Trade History Report in a supported language?");
  }

  // A section whose header lacks the columns we need is reported once, not row by row.
  const REQUIRED = {
    positions: ["time", "position", "symbol", "type", "volume", "price"],
    openPositions: ["time", "position", "symbol", "type", "volume", "price"],
    deals: ["time", "deal", "type", "volume", "price", "profit"],
  } as const;
  for (const section of ["positions", "openPositions", "deals"] as const) {
    const columns = rows.columns[section];
    if (!columns) continue;
    const missing = REQUIRED[section].filter((key) => !columns.keys.includes(key));
    if (missing.length > 0) {
      warnings.push(`The ${SECTION_NAMES[section]} section's header was not recognised (missing ${missing.join(", ")}); its ${rows[section].length} row(s) were not read. The report's language may not be supported yet.`);
      rows[section] = [];
    }
  }

  // Positions (closed and still open at report time) — authoritative identity.
  const positions = new Map<string, Position>();
  const readPosition = (row: SectionRow, fromOpenSection: boolean) => {
    const context = new RowContext(row, rows.columns[row.section], zone);
    try {
      const id = context.id("position");
      const open = context.time("time")!;
      const close = fromOpenSection ? null : context.time("time2", { optional: true });
      const closePrice = fromOpenSection ? null : context.price("price2", { optional: true });
      if (close && closePrice === null) throw new RowError(`Positions row ${row.sectionRow}: a close time without a close price`);
      if (close && close.ms < open.ms) throw new RowError(`Positions row ${row.sectionRow}: closes before it opens`);
      const position: Position = {
        id,
        row,
        brokerSymbol: context.required("symbol"),
        direction: context.direction("type"),
        open,
        close,
        volume: context.number("volume")!,
        price: context.price("price")!,
        closePrice: close ? closePrice : null,
        sl: context.price("sl", { optional: true, zeroIsNone: true }),
        tp: context.price("tp", { optional: true, zeroIsNone: true }),
        commission: context.money("commission"),
        swap: context.money("swap"),
        profit: context.money("profit"),
        comment: (row.hiddenComment || context.text("comment")) || null,
        fromOpenSection,
        entryDeal: null,
        scaleIns: [],
        exits: [],
        exitVolume: ZERO,
      };
      if (position.volume.lte(0)) throw new RowError(`Positions row ${row.sectionRow}: "Volume" must be positive`);
      if (positions.has(id)) {
        if (!fromOpenSection) reject(row, `${SECTION_NAMES[row.section as keyof typeof SECTION_NAMES]} row ${row.sectionRow}: position ${id} is listed twice`);
        return;
      }
      positions.set(id, position);
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      reject(row, error.message);
    }
  };
  for (const row of rows.positions) readPosition(row, false);
  for (const row of rows.openPositions) readPosition(row, true);

  // Deals: cash rows to the ledger, trading rows to matching.
  const deals: Deal[] = [];
  for (const row of rows.deals) {
    const context = new RowContext(row, rows.columns.deals, zone);
    try {
      const typeText = context.required("type");
      const cashKind = cashKindOfDealType(typeText);
      const time = context.time("time")!;
      const ticket = context.id("deal");
      if (cashKind) {
        // The Balance column is the running account balance, never money.
        const amount = context.money("profit").plus(context.money("commission")).plus(context.money("fee")).plus(context.money("swap"));
        cash.push({
          dealId: ticket,
          kind: cashKind === "balance" ? (amount.lt(0) ? "withdrawal" : "deposit") : cashKind,
          amount: toDecimalString(amount),
          occurredAt: time.at,
          serverUtcOffsetMinutes: time.offset,
          comment: context.text("comment") || null,
        });
        continue;
      }
      const lowerType = typeText.toLowerCase();
      if (lowerType === "buy canceled" || lowerType === "sell canceled" || lowerType === "buy cancelled" || lowerType === "sell cancelled") continue;
      const direction = context.direction("type");
      const entry = dealEntry(context.required("direction"));
      if (!entry) throw new RowError(`Deals row ${row.sectionRow}: "${rows.columns.deals?.labels.direction ?? "Direction"}" is "${context.text("direction")}", expected in, out, in/out or out by`);
      const volume = context.number("volume")!;
      if (volume.lte(0)) throw new RowError(`Deals row ${row.sectionRow}: "Volume" must be positive`);
      const orderText = context.text("order").replace(/[\s\u00a0]/g, "");
      deals.push({
        row,
        ticket,
        orderId: orderText || null,
        time,
        brokerSymbol: context.required("symbol"),
        direction,
        entry,
        volume,
        price: context.price("price")!,
        commission: context.money("commission"),
        fee: context.money("fee"),
        swap: context.money("swap"),
        profit: context.money("profit"),
        comment: context.text("comment") || null,
        candidates: [],
        assigned: null,
      });
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      reject(row, error.message);
    }
  }

  matchDeals(positions, deals);

  const orphans = deals.filter((deal) => deal.assigned === null && deal.candidates.length === 0 && deal.entry !== "in");
  for (const deal of orphans) {
    reject(deal.row, `Deals row ${deal.row.sectionRow}: ${deal.entry === "out_by" ? "out by" : deal.entry} deal ${deal.ticket} (${deal.brokerSymbol} ${deal.direction} ${toDecimalString(deal.volume)}) matches no position in the report; its position was opened before the report period, so it is not imported as a trade`);
  }
  if (orphans.length > 0) {
    warnings.push(`${orphans.length} exit deal(s) belong to positions opened before the report period and were not imported; export a longer period to include them.`);
  }
  const strayEntries = deals.filter((deal) => deal.assigned === null && deal.candidates.length === 0 && deal.entry === "in");
  for (const deal of strayEntries) {
    reject(deal.row, `Deals row ${deal.row.sectionRow}: entry deal ${deal.ticket} (${deal.brokerSymbol}) matches no position in the Positions or Open Positions section`);
  }

  const trades: TradeInput[] = [];
  let fallbacks = 0;
  let releasedDeals = 0;
  for (const position of positions.values()) {
    const built = buildTrade(position, hasFee);
    if (built.fallback) {
      fallbacks += 1;
      releasedDeals += built.released;
    }
    trades.push(built.trade);
  }
  if (fallbacks > 0) {
    warnings.push(`${fallbacks} position(s) were imported from their Positions row with a single exit leg because their exit deals could not be matched unambiguously (${releasedDeals} deal(s) left unattached).`);
  }
  const ambiguous = deals.filter((deal) => deal.assigned === null && deal.candidates.length > 0).length;
  if (ambiguous > 0 && fallbacks === 0) {
    warnings.push(`${ambiguous} deal(s) could belong to more than one position and were not attached as legs.`);
  }

  return {
    format,
    language: rows.language,
    account,
    trades,
    cash,
    rejected,
    warnings,
    sourceRowCount: rows.sourceRowCount,
  };
}

/** See the header comment: entry by order id, then a time sweep and unique-candidate propagation. */
function matchDeals(positions: Map<string, Position>, deals: Deal[]): void {
  const pending: Deal[] = [];
  for (const deal of deals) {
    const position = deal.entry === "in" && deal.orderId ? positions.get(deal.orderId) : undefined;
    if (position && position.entryDeal === null && position.brokerSymbol === deal.brokerSymbol && position.direction === deal.direction) {
      position.entryDeal = deal;
      deal.assigned = position;
    } else {
      pending.push(deal);
    }
  }
  // Without a usable Order column, an "in" deal at a position's exact open
  // instant (same symbol and side) is its entry when exactly one position fits.
  const opening = new Map<string, Position[]>();
  for (const position of positions.values()) {
    if (position.entryDeal) continue;
    const key = `${position.brokerSymbol}\u0000${position.direction}\u0000${position.open.ms}`;
    const list = opening.get(key);
    if (list) list.push(position);
    else opening.set(key, [position]);
  }
  for (let i = pending.length - 1; i >= 0; i -= 1) {
    const deal = pending[i]!;
    if (deal.entry !== "in") continue;
    const list = opening.get(`${deal.brokerSymbol}\u0000${deal.direction}\u0000${deal.time.ms}`);
    if (list && list.length === 1 && list[0]!.entryDeal === null) {
      list[0]!.entryDeal = deal;
      deal.assigned = list[0]!;
      pending.splice(i, 1);
    }
  }
  if (pending.length === 0) return;

  // Sweep over time: opens, then deals, then closes at equal instants.
  type Event = { ms: number; order: number; position?: Position; deal?: Deal; closing?: boolean };
  const events: Event[] = [];
  for (const position of positions.values()) {
    events.push({ ms: position.open.ms, order: 0, position });
    if (position.close) events.push({ ms: position.close.ms, order: 2, position, closing: true });
  }
  for (const deal of pending) events.push({ ms: deal.time.ms, order: 1, deal });
  events.sort((a, b) => a.ms - b.ms || a.order - b.order);
  const active = new Map<string, Set<Position>>();
  for (const event of events) {
    if (event.position) {
      const key = `${event.position.brokerSymbol}\u0000${event.position.direction}`;
      let set = active.get(key);
      if (!set) active.set(key, (set = new Set()));
      if (event.closing) set.delete(event.position);
      else set.add(event.position);
      continue;
    }
    const deal = event.deal!;
    const wantedSide: Direction = deal.entry === "in" ? deal.direction : deal.direction === "buy" ? "sell" : "buy";
    const set = active.get(`${deal.brokerSymbol}\u0000${wantedSide}`);
    if (set) {
      for (const position of set) {
        // A scale-in cannot be the position's own opening instant.
        if (deal.entry === "in" && position.open.ms === deal.time.ms) continue;
        deal.candidates.push(position);
      }
    }
  }

  const capacity = (position: Position): Big | null => (position.close ? position.volume.minus(position.exitVolume) : null);
  const fits = (deal: Deal, position: Position): boolean => {
    if (deal.entry === "in") return true;
    const left = capacity(position);
    return left === null || left.gte(deal.volume);
  };
  const assign = (deal: Deal, position: Position) => {
    deal.assigned = position;
    if (deal.entry === "in") position.scaleIns.push(deal);
    else {
      position.exits.push(deal);
      position.exitVolume = position.exitVolume.plus(deal.volume);
    }
  };

  let unresolved = pending.filter((deal) => deal.candidates.length > 0);
  for (let pass = 0; pass < 50 && unresolved.length > 0; pass += 1) {
    let progress = false;
    const next: Deal[] = [];
    for (const deal of unresolved) {
      const fitting = deal.candidates.filter((position) => fits(deal, position));
      if (fitting.length === 1) {
        assign(deal, fitting[0]!);
        progress = true;
      } else if (fitting.length > 0) {
        next.push(deal);
      }
    }
    if (!progress) {
      // Tie-break: the position that closes at this instant with exactly this volume left.
      for (const deal of next) {
        if (deal.assigned) continue;
        const exact = deal.candidates.filter((position) =>
          position.close !== null && position.close.ms === deal.time.ms && deal.entry !== "in" && capacity(position)!.eq(deal.volume));
        if (exact.length === 1) {
          assign(deal, exact[0]!);
          progress = true;
        }
      }
    }
    unresolved = next.filter((deal) => !deal.assigned);
    if (!progress) break;
  }
  // Restore chronological leg order.
  for (const position of positions.values()) {
    if (position.exits.length > 1) position.exits.sort((a, b) => a.time.ms - b.time.ms || a.row.sectionRow - b.row.sectionRow);
    if (position.scaleIns.length > 1) position.scaleIns.sort((a, b) => a.time.ms - b.time.ms || a.row.sectionRow - b.row.sectionRow);
  }
}

function legOf(deal: Deal, kind: "entry" | "exit"): TradeLegInput {
  return {
    dealId: deal.ticket,
    orderId: deal.orderId,
    kind,
    direction: deal.direction,
    executedAt: deal.time.at,
    serverUtcOffsetMinutes: deal.time.offset,
    volume: toDecimalString(deal.volume),
    price: deal.price,
    profit: toDecimalString(deal.profit),
    commission: toDecimalString(deal.commission),
    swap: toDecimalString(deal.swap),
    fee: toDecimalString(deal.fee),
    reason: closeReasonFromComment(deal.comment),
    comment: deal.comment,
  };
}

function exitsAgree(position: Position): boolean {
  if (!position.close || position.exits.length === 0 || position.closePrice === null) return false;
  if (!position.exitVolume.eq(position.volume)) return false;
  const notional = sum(position.exits.map((deal) => dec(deal.price).times(deal.volume)));
  const vwap = notional.div(position.exitVolume);
  const digits = decimals(position.closePrice);
  // The report prints the VWAP rounded to the symbol's digits; allow one unit of rounding.
  const tolerance = new Big(1).div(new Big(10).pow(digits));
  return vwap.minus(position.closePrice).abs().lte(tolerance);
}

function buildTrade(position: Position, hasFee: boolean): { trade: TradeInput; fallback: boolean; released: number } {
  const closed = position.close !== null;
  let exits = position.exits;
  let fallback = false;
  let released = 0;
  if (closed && !exitsAgree(position)) {
    fallback = true;
    released = exits.length;
    for (const deal of exits) deal.assigned = null;
    exits = [];
  }
  const entryDeals = [...(position.entryDeal ? [position.entryDeal] : []), ...position.scaleIns];
  const legs: TradeLegInput[] = entryDeals.map((deal) => legOf(deal, "entry"));
  if (legs.length === 0) {
    // Entry deal outside the report period: the Positions row still tells when and at what price.
    legs.push({
      dealId: null, orderId: position.id, kind: "entry", direction: position.direction,
      executedAt: position.open.at, serverUtcOffsetMinutes: position.open.offset,
      volume: toDecimalString(position.volume), price: position.price,
      profit: "0", commission: "0", swap: "0", fee: "0", reason: null, comment: position.comment,
    });
  }
  for (const deal of exits) legs.push(legOf(deal, "exit"));
  if (fallback) {
    const entryCommission = sum(entryDeals.map((deal) => deal.commission));
    legs.push({
      dealId: null, orderId: null, kind: "exit", direction: position.direction === "buy" ? "sell" : "buy",
      executedAt: position.close!.at, serverUtcOffsetMinutes: position.close!.offset,
      volume: toDecimalString(position.volume), price: position.closePrice!,
      profit: toDecimalString(position.profit), commission: toDecimalString(position.commission.minus(entryCommission)),
      swap: toDecimalString(position.swap), fee: "0", reason: null, comment: null,
    });
  }
  const usedDeals = [...entryDeals, ...exits];
  const fee = hasFee ? sum(usedDeals.map((deal) => deal.fee)) : ZERO;
  const exitVolume = closed ? position.volume : sum(exits.map((deal) => deal.volume));
  // Open positions print their current volume; partial closes add back to what was entered.
  const volume = closed ? position.volume : position.volume.plus(exitVolume);
  const openExitNotional = sum(exits.map((deal) => dec(deal.price).times(deal.volume)));
  const lastExit = exits[exits.length - 1];
  const realised = {
    profit: closed ? position.profit : sum(exits.map((deal) => deal.profit)),
    commission: closed ? position.commission : sum([...entryDeals, ...exits].map((deal) => deal.commission)),
    swap: closed ? position.swap : sum(exits.map((deal) => deal.swap)),
  };
  const trade: TradeInput = {
    positionId: position.id,
    symbol: normalizeSymbol(position.brokerSymbol),
    brokerSymbol: position.brokerSymbol,
    direction: position.direction,
    status: closed ? "closed" : "open",
    openedAt: position.open.at,
    closedAt: closed ? position.close!.at : null,
    openServerUtcOffsetMinutes: position.open.offset,
    closeServerUtcOffsetMinutes: closed ? position.close!.offset : null,
    volume: toDecimalString(volume),
    closedVolume: toDecimalString(exitVolume),
    entryPrice: position.price,
    exitPrice: closed
      ? position.closePrice
      : exitVolume.gt(0) ? toDecimalString(openExitNotional.div(exitVolume).round(8, Big.roundHalfUp)) : null,
    initialStopLoss: null,
    stopLoss: position.sl,
    takeProfit: position.tp,
    grossProfit: toDecimalString(realised.profit),
    commission: toDecimalString(realised.commission),
    swap: toDecimalString(realised.swap),
    fee: toDecimalString(fee),
    pnlSource: "broker",
    profitCurrency: null,
    conversionRate: null,
    pips: null,
    initialRiskAmount: null,
    closeReason: closed ? closeReasonFromComment(lastExit?.comment ?? null) : null,
    magic: null,
    comment: position.comment ?? position.entryDeal?.comment ?? null,
    raw: position.fromOpenSection
      ? { section: "Open Positions", row: position.row.sectionRow, floatingProfit: toDecimalString(position.profit), floatingSwap: toDecimalString(position.swap), marketPrice: position.row.values.marketPrice ?? null }
      : { section: "Positions", row: position.row.sectionRow },
    legs,
  };
  return { trade, fallback, released };
}
