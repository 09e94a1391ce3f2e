// Matches a report's trading deals to its positions. The report's Deals have
// no position-id column, so identity, side and the broker's money per
// position come from the Positions section (and Open Positions), and the
// Deals only supply the legs. Matching is deterministic:
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
//      with exactly the deal's volume left wins; among several such (a basket
//      closed in one second at one price) the one whose close price, profit,
//      swap and comment the deal carries (wholeExitOf); then the loop runs
//      again.
//   4. A closed position is reconstructed from its deals only when its exit
//      volumes sum to its volume and their VWAP rounds to its printed close
//      price; otherwise it is imported from its Positions row with one exit
//      leg and a warning, and its deals are released.
//   5. An exit deal with no candidate at all (the report period clipped its
//      position) is rejected with a reason and counted in a warning: it never
//      becomes a trade of its own.
// (4 and 5 are decided here and acted on in build-import.ts.)
import { Big, dec, decimalPlaces, sum } from "../../decimal.ts";
import { BUY, IN, SELL, type DealTable, type PagedColumn, type PositionTable } from "./report-tables.ts";
import type { TicketIndex } from "./ticket-index.ts";
import type { PricedVolume } from "../../trades/vwap.ts";

/**
 * Exact lot arithmetic for matching, by position and deal index. Volumes are
 * decimal texts; as whole numbers of the report's smallest lot step (2
 * decimals: hundredths) they fit a JavaScript number exactly, so matching
 * needs no Big per comparison. A report whose volumes would not fit that way
 * falls back to Big (BigLots).
 */
export interface Lots {
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

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const INDEX_BITS = 22;
const INDEX_SPAN = 2 ** INDEX_BITS;

/**
 * Event indexes in sweep order: by time, then kind (0 open, 1 deal, 2
 * close), then index. Each event is packed into one unsigned 64-bit key
 * (milliseconds after the earliest event, kind, index) and the keys are
 * sorted natively: a comparator sort of a 100,000-position report's 300,000
 * events took several times as long. Times that are not whole milliseconds,
 * spans over a century or more than 4 million events take the comparator.
 */
export function sweepOrder(eventMs: Float64Array, eventKind: Uint8Array): Int32Array {
  const count = eventMs.length;
  const order = new Int32Array(count);
  let earliest = Infinity;
  let latest = -Infinity;
  let whole = true;
  for (let i = 0; i < count; i++) {
    const ms = eventMs[i]!;
    if (!Number.isInteger(ms)) whole = false;
    if (ms < earliest) earliest = ms;
    if (ms > latest) latest = ms;
  }
  // (time, kind) below 2^42 and the index below 2^22: the key fits 64 bits, each half exactly.
  if (!whole || count > INDEX_SPAN || (latest - earliest) * 4 + 3 >= 2 ** 42) {
    for (let i = 0; i < count; i++) order[i] = i;
    order.sort((a, b) => eventMs[a]! - eventMs[b]! || eventKind[a]! - eventKind[b]! || a - b);
    return order;
  }
  const keys = new BigUint64Array(count);
  const words = new Uint32Array(keys.buffer);
  const low = LITTLE_ENDIAN ? 0 : 1;
  const high = 1 - low;
  for (let i = 0; i < count; i++) {
    const timeAndKind = (eventMs[i]! - earliest) * 4 + eventKind[i]!;
    const below = timeAndKind % 1024;
    words[2 * i + low] = below * INDEX_SPAN + i;
    words[2 * i + high] = (timeAndKind - below) / 1024;
  }
  keys.sort();
  for (let i = 0; i < count; i++) order[i] = words[2 * i + low]! & (INDEX_SPAN - 1);
  return order;
}

/** Candidate positions of each swept deal, as runs in one flat array. */
export interface Candidates {
  start: Int32Array;
  count: Int32Array;
  flat: Int32Array;
}

export const candidateCount = (candidates: Candidates | null, deal: number) => (candidates ? candidates.count[deal]! : 0);

/**
 * See the header comment: entry by order id, then a time sweep and
 * unique-candidate propagation. Returns the lot book (which positions' exits
 * add up) and each swept deal's candidates.
 */
export function matchDeals(
  positions: PositionTable,
  positionIndex: Pick<TicketIndex, "get">,
  deals: DealTable,
): { lots: Lots; candidates: Candidates | null } {
  const lots = integerLots(positions, deals) ?? bigLots(positions, deals);
  const pending: number[] = [];
  for (let deal = 0; deal < deals.count; deal++) {
    const orderId = deals.orderId.get(deal);
    const position = deals.entry[deal] === IN && orderId ? positionIndex.get(orderId) : undefined;
    if (
      position !== undefined &&
      positions.entryDeal[position] === -1 &&
      positions.brokerSymbol.get(position) === deals.brokerSymbol.get(deal) &&
      positions.direction[position] === deals.direction[deal]
    ) {
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
  for (let position = 0; position < positions.count; position++)
    positionLane[position] = symbolOf(positions.brokerSymbol.get(position)!) * 2 + positions.direction[position]!;

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
  const order = sweepOrder(eventMs, eventKind);
  const active: Set<number>[] = [];
  const candidates: Candidates = {
    start: new Int32Array(deals.count),
    count: new Int32Array(deals.count),
    flat: new Int32Array(Math.max(1024, pending.length * 2)),
  };
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
        const exact: number[] = [];
        for (let k = start[deal]!; k < start[deal]! + count[deal]!; k++) {
          const position = flat[k]!;
          if (positions.isClosed(position) && positions.closeMs[position] === deals.timeMs[deal] && lots.leavesExactly(position, deal)) {
            exact.push(position);
          }
        }
        const chosen = exact.length === 1 ? exact[0]! : wholeExitOf(positions, deals, deal, exact);
        if (chosen !== -1) {
          assign(deal, chosen);
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

/**
 * Several positions on one symbol close in the same second with exactly this
 * deal's volume left (a basket closed at once). The deal closes the whole of
 * one of them, so it carries that position's close price, profit and swap,
 * and usually its comment: keep the positions that agree on each, in turn
 * (a test that would leave none is skipped). If more than one is left, they
 * are alike in every figure a trade records (same open price and time too):
 * the deal goes to the first, and the next such deal to the next. Returns -1
 * when the positions left still differ.
 */
function wholeExitOf(positions: PositionTable, deals: DealTable, deal: number, exact: number[]): number {
  if (exact.length === 0) return -1;
  const tests: ((position: number) => boolean)[] = [
    (position) => positions.closePrice.get(position) === deals.price.get(deal),
    (position) => positions.profit.get(position) === deals.profit.get(deal),
    (position) => positions.swap.get(position) === deals.swap.get(deal),
    (position) => positions.comment.get(position) === deals.comment.get(deal),
  ];
  let left = exact;
  for (const test of tests) {
    const kept = left.filter(test);
    if (kept.length > 0) left = kept;
    if (left.length === 1) return left[0]!;
  }
  const first = left[0]!;
  const alike = left.every(
    (position) =>
      positions.openMs[position] === positions.openMs[first] &&
      positions.price.get(position) === positions.price.get(first) &&
      positions.closePrice.get(position) === positions.closePrice.get(first) &&
      positions.profit.get(position) === positions.profit.get(first) &&
      positions.swap.get(position) === positions.swap.get(first) &&
      positions.commission.get(position) === positions.commission.get(first) &&
      positions.comment.get(position) === positions.comment.get(first),
  );
  return alike ? first : -1;
}

/**
 * A closed position is rebuilt from its exit deals only when they add up to
 * its volume and their VWAP rounds to its printed close price.
 */
export function exitsAgree(positions: PositionTable, deals: DealTable, position: number, lots: Lots): boolean {
  const exits = positions.exits.get(position);
  const closePrice = positions.closePrice.get(position);
  if (!positions.isClosed(position) || !exits || exits.length === 0 || closePrice === null || closePrice === undefined) return false;
  if (!lots.fullyClosed(position)) return false;
  // One exit deal: its price is the VWAP (canonical texts are equal exactly when the numbers are;
  // past 12 decimals the division below rounds, so those take the long way).
  if (exits.length === 1 && deals.price.get(exits[0]!) === closePrice && decimalPlaces(closePrice) <= 12) return true;
  const fills = exits.map((deal) => ({ price: deals.price.get(deal)!, volume: deals.volume.get(deal)! }));
  const volume = positions.volume.get(position)!;
  return vwapAgreesInWholeNumbers(closePrice, volume, fills) ?? vwapAgrees(closePrice, volume, fills);
}

/**
 * Whether the fills' VWAP is within one unit of the close price's last digit
 * (the report prints the VWAP rounded to the symbol's digits).
 */
export function vwapAgrees(closePrice: string, volume: string, fills: readonly PricedVolume[]): boolean {
  const total = dec(volume);
  const notional = sum(fills.map((fill) => dec(fill.price).times(fill.volume)));
  const digits = decimalPlaces(closePrice);
  const tolerance = new Big(1).div(new Big(10).pow(digits));
  // |VWAP − close| against the tolerance without dividing, unless it is within
  // the 12-decimal rounding of the VWAP's division of the boundary; there the
  // rounded VWAP decides, as it always has.
  const deviation = notional.minus(total.times(closePrice)).abs();
  const margin = new Big("1e-12").times(total);
  if (deviation.lte(tolerance.times(total).minus(margin))) return true;
  if (deviation.gte(tolerance.times(total).plus(margin))) return false;
  const vwap = notional.div(total);
  return vwap.minus(closePrice).abs().lte(tolerance);
}

/**
 * vwapAgrees's answer in whole numbers (prices and volumes as multiples of
 * their smallest decimal), where those hold every figure exactly and the
 * answer does not need the division: a report's positions closed in parts
 * (a fifth of the bench's 100,000) took ~15 Big operations each. Undefined
 * otherwise (a negative price, more than 12 decimals between price and
 * volume, figures past 2^53, a deviation within 1e-12 of the boundary).
 */
export function vwapAgreesInWholeNumbers(closePrice: string, volume: string, fills: readonly PricedVolume[]): boolean | undefined {
  if (closePrice.startsWith("-") || volume.startsWith("-")) return undefined;
  const digits = decimalPlaces(closePrice);
  let priceScale = digits;
  let volumeScale = decimalPlaces(volume);
  for (const fill of fills) {
    if (fill.price.startsWith("-") || fill.volume.startsWith("-")) return undefined;
    priceScale = Math.max(priceScale, decimalPlaces(fill.price));
    volumeScale = Math.max(volumeScale, decimalPlaces(fill.volume));
  }
  if (priceScale + volumeScale > 12) return undefined;
  // Units of 10^-(priceScale + volumeScale) from here on.
  let notional = 0;
  for (const fill of fills) {
    notional += scaled(fill.price, priceScale) * scaled(fill.volume, volumeScale);
    if (!(notional <= MAX_EXACT)) return undefined;
  }
  const lots = scaled(volume, volumeScale);
  const atClose = lots * scaled(closePrice, priceScale);
  // One unit of the close price's last digit, times the volume.
  const allowance = lots * 10 ** (priceScale - digits);
  if (!(atClose <= MAX_EXACT) || !(allowance <= MAX_EXACT)) return undefined;
  // vwapAgrees's margin (1e-12 × volume) is `lots` in units 10^-(12 + volumeScale): compare there.
  const room = (allowance - Math.abs(notional - atClose)) * 10 ** (12 - priceScale);
  if (!Number.isSafeInteger(room)) return undefined;
  if (room >= lots) return true;
  if (-room >= lots) return false;
  return undefined;
}
