// Deals → round-trip trades and cash-ledger rows, exactly as described in
// docs (shared/reference/mt5.md §3). The MT5 live sync and the report importer
// both feed DealInput here, so one position becomes the same TradeInput
// whichever way it arrives.
//
// Rules:
// - Deal types buy/sell are trading deals; balance, credit, charge, correction,
//   bonus, commission*, interest, dividend*, tax are cash-ledger rows;
//   buy_canceled/sell_canceled are ignored; a trading deal without a
//   position id (or position id 0) is not a trade.
// - Service reasons (rollover, vmargin, split) add their money to the
//   position but never count towards prices or volumes.
// - Hedging: one position id = one trade. The first non-service deal sets the
//   side; same-side deals are entries (VWAP over entry volume), opposite-side
//   deals are exits (VWAP over exit volume).
// - Netting: a signed quantity is tracked per position id. An INOUT deal
//   closes trade k with the part up to the open quantity (the deal's profit
//   and swap belong to trade k) and opens trade k+1 with the remainder at the
//   same price; its commission and fee are split pro rata by volume. Trade 1
//   keeps the bare position id, trade k ≥ 2 is `<position id>#k`.
// - A trade is closed when |q_in − q_out| < volume_step / 2 (exact equality
//   when no step is given).
import { Big, dec, toDecimalString, ZERO } from "../decimal.ts";
import { normalizeSymbol } from "../instruments/normalize-symbol.ts";
import { vwap, vwapDigits } from "./vwap.ts";
import type { CashMovementInput, CashMovementKind, CloseReason, DealInput, Direction, MarginMode, TradeInput, TradeLegInput } from "./types.ts";

export interface PairDealsOptions {
  marginMode: MarginMode;
  /** The symbol's volume step ("0.01"); without it a trade closes only when exit volume equals entry volume. */
  volumeStep?: string;
}

export interface PairDealsResult {
  trades: TradeInput[];
  cash: CashMovementInput[];
  warnings: string[];
  /** Trading deals that could not be attached to a trade (no position id, or exits without any entry). */
  unpaired: DealInput[];
}

const SERVICE_REASONS = new Set(["rollover", "vmargin", "split"]);
const CLOSE_REASONS = new Set<CloseReason>(["client", "mobile", "web", "expert", "sl", "tp", "so", "rollover", "vmargin", "split"]);

const CASH_KINDS: Record<string, CashMovementKind | "balance"> = {
  balance: "balance",
  credit: "credit",
  charge: "charge",
  correction: "correction",
  bonus: "bonus",
  commission: "commission",
  commission_daily: "commission",
  commission_monthly: "commission",
  commission_agent_daily: "commission",
  commission_agent_monthly: "commission",
  interest: "interest",
  dividend: "dividend",
  dividend_franked: "dividend",
  tax: "tax",
};

/** "DEAL_TYPE_COMMISSION_DAILY", "commission daily", "Commission-Daily" → "commission_daily". */
export function normalizeDealType(type: string): string {
  return type
    .trim()
    .toLowerCase()
    .replace(/^deal_type_/, "")
    .replace(/[\s-]+/g, "_");
}

export function cashKindOfDealType(type: string): CashMovementKind | "balance" | null {
  return CASH_KINDS[normalizeDealType(type)] ?? null;
}

function tradingDirection(type: string): Direction | null {
  const normalized = normalizeDealType(type);
  if (normalized === "buy") return "buy";
  if (normalized === "sell") return "sell";
  return null;
}

function isIgnoredType(type: string): boolean {
  const normalized = normalizeDealType(type);
  return normalized === "buy_canceled" || normalized === "sell_canceled" || normalized === "buy_cancelled" || normalized === "sell_cancelled";
}

function isService(deal: DealInput): boolean {
  return deal.reason !== null && SERVICE_REASONS.has(deal.reason.toLowerCase());
}

function toCashMovement(deal: DealInput, kind: CashMovementKind | "balance"): CashMovementInput {
  // Cash deals carry their amount in profit; commission/fee/swap are added so
  // nothing the broker booked is lost.
  const amount = dec(deal.profit)
    .plus(deal.commission || "0")
    .plus(deal.fee || "0")
    .plus(deal.swap || "0");
  const resolved: CashMovementKind = kind === "balance" ? (amount.lt(0) ? "withdrawal" : "deposit") : kind;
  return {
    dealId: deal.ticket,
    kind: resolved,
    amount: toDecimalString(amount),
    occurredAt: deal.executedAt,
    serverUtcOffsetMinutes: deal.serverUtcOffsetMinutes,
    comment: deal.comment,
  };
}

/** Running totals of one round-trip trade. */
interface TradeBuilder {
  positionId: string;
  brokerSymbol: string | null;
  direction: Direction;
  legs: TradeLegInput[];
  entryVolume: Big;
  exitVolume: Big;
  profit: Big;
  commission: Big;
  swap: Big;
  fee: Big;
  openedAt: Date | null;
  openOffset: number | null;
  closedAt: Date | null;
  closeOffset: number | null;
  lastExitReason: string | null;
  comment: string | null;
  magic: string | null;
  dealTickets: string[];
}

function newBuilder(positionId: string, deal: DealInput, direction: Direction): TradeBuilder {
  return {
    positionId,
    brokerSymbol: deal.brokerSymbol,
    direction,
    legs: [],
    entryVolume: ZERO,
    exitVolume: ZERO,
    profit: ZERO,
    commission: ZERO,
    swap: ZERO,
    fee: ZERO,
    openedAt: null,
    openOffset: null,
    closedAt: null,
    closeOffset: null,
    lastExitReason: null,
    comment: null,
    magic: deal.magic,
    dealTickets: [],
  };
}

interface LegMoney {
  volume: Big;
  profit: Big;
  commission: Big;
  swap: Big;
  fee: Big;
}

function moneyOf(deal: DealInput): LegMoney {
  return {
    volume: dec(deal.volume || "0"),
    profit: dec(deal.profit || "0"),
    commission: dec(deal.commission || "0"),
    swap: dec(deal.swap || "0"),
    fee: dec(deal.fee || "0"),
  };
}

function addLeg(builder: TradeBuilder, deal: DealInput, kind: "entry" | "exit", money: LegMoney, service: boolean): void {
  builder.profit = builder.profit.plus(money.profit);
  builder.commission = builder.commission.plus(money.commission);
  builder.swap = builder.swap.plus(money.swap);
  builder.fee = builder.fee.plus(money.fee);
  if (!builder.dealTickets.includes(deal.ticket)) builder.dealTickets.push(deal.ticket);
  const price = dec(deal.price || "0");
  if (!service) {
    if (kind === "entry") {
      builder.entryVolume = builder.entryVolume.plus(money.volume);
      if (builder.openedAt === null) {
        builder.openedAt = deal.executedAt;
        builder.openOffset = deal.serverUtcOffsetMinutes;
        builder.comment = deal.comment;
      }
    } else {
      builder.exitVolume = builder.exitVolume.plus(money.volume);
      builder.closedAt = deal.executedAt;
      builder.closeOffset = deal.serverUtcOffsetMinutes;
      builder.lastExitReason = deal.reason;
    }
  }
  builder.legs.push({
    dealId: deal.ticket,
    orderId: deal.orderId,
    kind,
    direction: tradingDirection(deal.type) ?? builder.direction,
    executedAt: deal.executedAt,
    serverUtcOffsetMinutes: deal.serverUtcOffsetMinutes,
    volume: toDecimalString(service ? ZERO : money.volume),
    price: toDecimalString(price),
    profit: toDecimalString(money.profit),
    commission: toDecimalString(money.commission),
    swap: toDecimalString(money.swap),
    fee: toDecimalString(money.fee),
    reason: deal.reason,
    comment: deal.comment,
  });
}

function closeReasonOf(reason: string | null): CloseReason | null {
  if (!reason) return null;
  const lower = reason.toLowerCase() as CloseReason;
  return CLOSE_REASONS.has(lower) ? lower : "other";
}

function isClosed(builder: TradeBuilder, halfStep: Big | null): boolean {
  if (builder.exitVolume.eq(0)) return false;
  const open = builder.entryVolume.minus(builder.exitVolume).abs();
  return halfStep === null ? open.eq(0) : open.lt(halfStep);
}

function finish(builder: TradeBuilder, halfStep: Big | null): TradeInput {
  const closed = isClosed(builder, halfStep);
  // Over the legs, which carry each deal's share of the volume (a service deal's is 0): the VWAP
  // rule the report importer uses too, with this position's own decimals (vwap.ts).
  const digits = vwapDigits(builder.legs);
  const averaged = (kind: "entry" | "exit") =>
    vwap(
      builder.legs.filter((leg) => leg.kind === kind),
      digits,
    );
  return {
    positionId: builder.positionId,
    symbol: normalizeSymbol(builder.brokerSymbol ?? ""),
    brokerSymbol: builder.brokerSymbol,
    direction: builder.direction,
    status: closed ? "closed" : "open",
    openedAt: builder.openedAt ?? builder.legs[0]!.executedAt,
    closedAt: closed ? builder.closedAt : null,
    openServerUtcOffsetMinutes: builder.openedAt ? builder.openOffset : builder.legs[0]!.serverUtcOffsetMinutes,
    closeServerUtcOffsetMinutes: closed ? builder.closeOffset : null,
    volume: toDecimalString(builder.entryVolume),
    closedVolume: toDecimalString(builder.exitVolume),
    entryPrice: averaged("entry") ?? "0",
    exitPrice: builder.exitVolume.eq(0) ? null : averaged("exit"),
    initialStopLoss: null,
    stopLoss: null,
    takeProfit: null,
    grossProfit: toDecimalString(builder.profit),
    commission: toDecimalString(builder.commission),
    swap: toDecimalString(builder.swap),
    fee: toDecimalString(builder.fee),
    pnlSource: "broker",
    profitCurrency: null,
    conversionRate: null,
    pips: null,
    initialRiskAmount: null,
    closeReason: closed ? closeReasonOf(builder.lastExitReason) : null,
    magic: builder.magic,
    comment: builder.comment,
    raw: { dealTickets: builder.dealTickets },
    legs: builder.legs,
  };
}

/** Stable time order: ties keep input order (the broker's ticket order). */
function inTimeOrder(deals: DealInput[]): DealInput[] {
  return deals
    .map((deal, index) => ({ deal, index }))
    .sort((a, b) => a.deal.executedAt.getTime() - b.deal.executedAt.getTime() || a.index - b.index)
    .map(({ deal }) => deal);
}

export function pairDeals(deals: DealInput[], options: PairDealsOptions): PairDealsResult {
  const halfStep = options.volumeStep ? dec(options.volumeStep).div(2) : null;
  const cash: CashMovementInput[] = [];
  const warnings: string[] = [];
  const unpaired: DealInput[] = [];
  const byPosition = new Map<string, DealInput[]>();

  for (const deal of inTimeOrder(deals)) {
    if (isIgnoredType(deal.type)) continue;
    const cashKind = cashKindOfDealType(deal.type);
    if (cashKind) {
      cash.push(toCashMovement(deal, cashKind));
      continue;
    }
    if (!tradingDirection(deal.type)) {
      warnings.push(`Deal ${deal.ticket}: type "${deal.type}" is not a trading or cash deal and was skipped.`);
      unpaired.push(deal);
      continue;
    }
    if (!deal.positionId || deal.positionId === "0") {
      warnings.push(`Deal ${deal.ticket}: a ${deal.type} deal without a position id is not a trade and was skipped.`);
      unpaired.push(deal);
      continue;
    }
    let list = byPosition.get(deal.positionId);
    if (!list) byPosition.set(deal.positionId, (list = []));
    list.push(deal);
  }
  const trades: TradeInput[] = [];
  for (const [positionId, positionDeals] of byPosition) {
    const built =
      options.marginMode === "hedging" ? pairHedgingPosition(positionId, positionDeals) : pairNettingPosition(positionId, positionDeals, halfStep);
    for (const builder of built.builders) trades.push(finish(builder, halfStep));
    warnings.push(...built.warnings);
    unpaired.push(...built.unpaired);
  }
  return { trades, cash, warnings, unpaired };
}

interface PositionPairing {
  builders: TradeBuilder[];
  warnings: string[];
  unpaired: DealInput[];
}

function pairHedgingPosition(positionId: string, deals: DealInput[]): PositionPairing {
  const first = deals.find((deal) => !isService(deal) && (deal.entry === "in" || deal.entry === null));
  if (!first) {
    return {
      builders: [],
      warnings: [
        `Position ${positionId}: no entry deal in the data (the period probably starts after it opened); its ${deals.length} deal(s) were not imported as a trade.`,
      ],
      unpaired: deals,
    };
  }
  const direction = tradingDirection(first.type)!;
  const builder = newBuilder(positionId, first, direction);
  for (const deal of deals) {
    const sameSide = tradingDirection(deal.type) === direction;
    addLeg(builder, deal, sameSide ? "entry" : "exit", moneyOf(deal), isService(deal));
  }
  return { builders: [builder], warnings: [], unpaired: [] };
}

function pairNettingPosition(positionId: string, deals: DealInput[], halfStep: Big | null): PositionPairing {
  const builders: TradeBuilder[] = [];
  const warnings: string[] = [];
  const unpaired: DealInput[] = [];
  let current: TradeBuilder | null = null;
  // Signed open quantity of the current trade (+ long, − short).
  let quantity = ZERO;
  const isFlat = (q: Big): boolean => (halfStep === null ? q.eq(0) : q.abs().lt(halfStep));
  const open = (deal: DealInput, direction: Direction): TradeBuilder => {
    const id = builders.length === 0 ? positionId : `${positionId}#${builders.length + 1}`;
    const builder = newBuilder(id, deal, direction);
    builders.push(builder);
    return builder;
  };

  for (const deal of deals) {
    const direction = tradingDirection(deal.type)!;
    const money = moneyOf(deal);
    const signed = direction === "buy" ? money.volume : money.volume.neg();
    if (isService(deal)) {
      if (current) addLeg(current, deal, "entry", money, true);
      else unpaired.push(deal);
      continue;
    }
    if (current === null || isFlat(quantity)) {
      if (deal.entry === "out" || deal.entry === "out_by") {
        warnings.push(
          `Position ${positionId}: exit deal ${deal.ticket} has no open quantity before it (its entry is outside the data) and was not imported.`,
        );
        unpaired.push(deal);
        continue;
      }
      current = open(deal, direction);
      quantity = ZERO;
    }
    const sameSide = current.direction === direction;
    if (sameSide) {
      addLeg(current, deal, "entry", money, false);
      quantity = quantity.plus(signed);
      continue;
    }
    const openVolume = quantity.abs();
    if (money.volume.lte(openVolume) || deal.entry !== "inout") {
      // Plain exit (or an exit larger than the open quantity that is not a
      // reversal: recorded as it is, the trade shows the over-close).
      addLeg(current, deal, "exit", money, false);
      quantity = quantity.plus(signed);
      if (money.volume.gt(openVolume) && halfStep === null) {
        warnings.push(
          `Position ${positionId}: deal ${deal.ticket} closes ${toDecimalString(money.volume)} lots while only ${toDecimalString(openVolume)} were open.`,
        );
      }
      if (isFlat(quantity)) current = null;
      continue;
    }
    // INOUT reversal: split by volume.
    const remainder = money.volume.minus(openVolume);
    const closingShare = openVolume.div(money.volume);
    const closingCommission = money.commission.times(closingShare).round(2, Big.roundHalfUp);
    const closingFee = money.fee.times(closingShare).round(2, Big.roundHalfUp);
    addLeg(
      current,
      deal,
      "exit",
      {
        volume: openVolume,
        profit: money.profit,
        swap: money.swap,
        commission: closingCommission,
        fee: closingFee,
      },
      false,
    );
    const next = open(deal, direction);
    addLeg(
      next,
      deal,
      "entry",
      {
        volume: remainder,
        profit: ZERO,
        swap: ZERO,
        commission: money.commission.minus(closingCommission),
        fee: money.fee.minus(closingFee),
      },
      false,
    );
    current = next;
    quantity = direction === "buy" ? remainder : remainder.neg();
  }
  return { builders, warnings, unpaired };
}
