// The dashboard's live rows: what the loader sent, kept current by Realtime
// postgres_changes on accounts, open_positions and trades.
//
// Realtime delivers a row as `to_jsonb` would, so numeric columns arrive as
// JSON numbers. A number with at most 15 significant digits converts back to
// exactly the decimal that was stored (up to trailing zeros), which is every
// real balance, price and volume; anything longer may have been rounded by
// JSON parsing, so the change is flagged `inexact` and the page reloads the
// exact figure from its loader instead of showing a rounded one.
// DELETE events carry the primary key only (RLS is not applied to them), so
// deletes of ids we do not hold are ignored.
// Generated columns (trades.net_profit) are not part of logical replication:
// a trade's net P&L is summed from its parts with big.js.
import { dec, toDecimalString } from "../decimal.ts";
import { CATALOGUE } from "../instruments/catalogue.ts";
import { normalizeSymbol } from "../instruments/normalize-symbol.ts";
import type { AccountSyncStatus } from "./sync-indicator.ts";

/**
 * Closed trades the dashboard lists. Here, not in the dashboard's .server
 * module: the browser needs it too, to keep the live list that long (a
 * .server export is undefined in the client bundle).
 */
export const RECENT_TRADES = 5;

export interface LivePosition {
  id: string;
  accountId: string;
  positionId: string;
  symbol: string;
  direction: "buy" | "sell";
  volume: string;
  entryPrice: string;
  currentPrice: string | null;
  stopLoss: string | null;
  takeProfit: string | null;
  swap: string;
  floatingProfit: string | null;
  /** ISO-8601 UTC. */
  openedAt: string;
}

export interface LiveAccount {
  id: string;
  name: string;
  kind: "manual" | "mt5";
  currency: string;
  /** What the broker last reported (MT5); null before the first report or for manual accounts. */
  balance: string | null;
  equity: string | null;
  margin: string | null;
  freeMargin: string | null;
  /** Initial balance + closed trades + cash movements (what a manual account's balance is). */
  ledgerBalance: string;
  syncEnabled: boolean;
  syncStatus: AccountSyncStatus;
  syncError: string | null;
  lastSyncedAt: string | null;
}

export interface LiveTrade {
  id: string;
  accountId: string;
  symbol: string;
  direction: "buy" | "sell";
  netProfit: string;
  pips: string | null;
  /** ISO-8601 UTC. */
  closedAt: string;
}

export interface RowChange {
  table: string;
  eventType: "INSERT" | "UPDATE" | "DELETE";
  new: Record<string, unknown>;
  old: Record<string, unknown>;
}

/** A change applied to one collection: the next rows, and whether the page should reload exact figures. */
export interface Applied<T> {
  rows: T;
  inexact: boolean;
}

const MAX_EXACT_DIGITS = 15;

/** Significant digits of a decimal text ("0.00012300" → 3, "1200" → 2). */
function significantDigits(text: string): number {
  const digits = text.replace(/^-/, "").replace(".", "").replace(/^0+/, "").replace(/0+$/, "");
  return digits.length;
}

interface DecimalRead {
  text: string | null;
  exact: boolean;
}

/**
 * A numeric column's value as decimal text. `scaleOf` keeps the scale of a
 * reference figure ("1.08250" stays five decimals after an update to 1.0826).
 */
export function readDecimal(value: unknown, scaleOf?: string | null, minScale = 0): DecimalRead {
  if (value === null || value === undefined) return { text: null, exact: true };
  let text: string;
  let exact = true;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return { text: null, exact: false };
    text = toDecimalString(dec(value));
    exact = significantDigits(text) <= MAX_EXACT_DIGITS;
  } else if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim())) {
    text = value.trim();
  } else {
    return { text: null, exact: false };
  }
  const scale = Math.max(minScale, scaleOf ? (scaleOf.split(".")[1]?.length ?? 0) : 0);
  const own = text.split(".")[1]?.length ?? 0;
  if (scale > own) text = dec(text).toFixed(scale);
  return { text, exact };
}

function str(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function iso(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

function direction(value: unknown): "buy" | "sell" | null {
  return value === "buy" || value === "sell" ? value : null;
}

// --- open positions ---------------------------------------------------------

export type PositionRows = Readonly<Record<string, LivePosition>>;

export function positionFromRecord(record: Record<string, unknown>, previous?: LivePosition): { row: LivePosition | null; exact: boolean } {
  const id = str(record.id);
  const accountId = str(record.account_id);
  const positionId = str(record.position_id);
  const symbol = str(record.symbol);
  const side = direction(record.direction);
  const openedAt = iso(record.opened_at);
  // JSON drops trailing zeros: prices get back at least the instrument's usual
  // digits (2650.1 → 2650.10 for gold) and the entry price's, so 1.0826 shows
  // as 1.08260 beside 1.08250; nothing the broker sent is ever cut.
  const digits = symbol ? (CATALOGUE.get(normalizeSymbol(symbol))?.digits ?? 0) : 0;
  const volume = readDecimal(record.volume, previous?.volume);
  const entry = readDecimal(record.entry_price, previous?.entryPrice, digits);
  if (!id || !accountId || !positionId || !symbol || !side || !openedAt || !volume.text || !entry.text) {
    return { row: null, exact: false };
  }
  const current = readDecimal(record.current_price, entry.text);
  const stopLoss = readDecimal(record.stop_loss, entry.text);
  const takeProfit = readDecimal(record.take_profit, entry.text);
  const swap = readDecimal(record.swap);
  const floating = readDecimal(record.floating_profit);
  const exact = [volume, entry, current, stopLoss, takeProfit, swap, floating].every((read) => read.exact);
  return {
    row: {
      id,
      accountId,
      positionId,
      symbol,
      direction: side,
      volume: volume.text,
      entryPrice: entry.text,
      currentPrice: current.text,
      stopLoss: stopLoss.text,
      takeProfit: takeProfit.text,
      swap: swap.text ?? "0",
      floatingProfit: floating.text,
      openedAt,
    },
    exact,
  };
}

export function applyPositionChange(rows: PositionRows, change: RowChange): Applied<PositionRows> {
  if (change.table !== "open_positions") return { rows, inexact: false };
  if (change.eventType === "DELETE") {
    const id = str(change.old.id);
    if (!id || !(id in rows)) return { rows, inexact: false };
    const next = { ...rows };
    delete next[id];
    return { rows: next, inexact: false };
  }
  const id = str(change.new.id);
  const { row, exact } = positionFromRecord(change.new, id ? rows[id] : undefined);
  if (!row) return { rows, inexact: true };
  return { rows: { ...rows, [row.id]: row }, inexact: !exact };
}

/** Newest first, the order the table shows. */
export function sortedPositions(rows: PositionRows): LivePosition[] {
  return Object.values(rows).sort((a, b) => (a.openedAt < b.openedAt ? 1 : a.openedAt > b.openedAt ? -1 : a.id.localeCompare(b.id)));
}

/** Sum of the floating P&L of one account's positions, exact; null when no position reports one. */
export function floatingTotal(positions: Iterable<LivePosition>, accountId: string): string | null {
  let total = null as ReturnType<typeof dec> | null;
  for (const position of positions) {
    if (position.accountId !== accountId || position.floatingProfit === null) continue;
    total = (total ?? dec(0)).plus(position.floatingProfit);
  }
  return total === null ? null : toDecimalString(total);
}

// --- accounts ---------------------------------------------------------------

export type AccountRows = readonly LiveAccount[];

const SYNC_STATUSES: ReadonlySet<string> = new Set(["idle", "pending", "syncing", "ok", "error", "paused"]);

/**
 * An accounts UPDATE merged into the card it belongs to. INSERTs and DELETEs
 * change which cards exist (and the loader computes their ledger balance), so
 * they ask for a reload instead (`inexact`).
 */
export function applyAccountChange<A extends LiveAccount>(rows: readonly A[], change: RowChange): Applied<readonly A[]> {
  if (change.table !== "accounts") return { rows, inexact: false };
  if (change.eventType === "DELETE") {
    const id = str(change.old.id);
    return id && rows.some((a) => a.id === id) ? { rows: rows.filter((a) => a.id !== id), inexact: false } : { rows, inexact: false };
  }
  const record = change.new;
  const id = str(record.id);
  const index = rows.findIndex((a) => a.id === id);
  if (index === -1) return { rows, inexact: change.eventType === "INSERT" };
  const current = rows[index]!;
  // A column missing from the record (never the case for a full UPDATE) keeps its value.
  const figure = (column: string, kept: string | null): DecimalRead => (column in record ? readDecimal(record[column]) : { text: kept, exact: true });
  const balance = figure("balance", current.balance);
  const equity = figure("equity", current.equity);
  const margin = figure("margin", current.margin);
  const freeMargin = figure("free_margin", current.freeMargin);
  const status = str(record.sync_status);
  const next: A = {
    ...current,
    name: str(record.name) ?? current.name,
    currency: str(record.currency) ?? current.currency,
    balance: balance.text,
    equity: equity.text,
    margin: margin.text,
    freeMargin: freeMargin.text,
    syncEnabled: typeof record.sync_enabled === "boolean" ? record.sync_enabled : current.syncEnabled,
    syncStatus: status && SYNC_STATUSES.has(status) ? (status as AccountSyncStatus) : current.syncStatus,
    syncError: record.sync_error === null ? null : (str(record.sync_error) ?? current.syncError),
    lastSyncedAt: record.last_synced_at === null ? null : (iso(record.last_synced_at) ?? current.lastSyncedAt),
  };
  const copy = [...rows];
  copy[index] = next;
  return { rows: copy, inexact: ![balance, equity, margin, freeMargin].every((read) => read.exact) };
}

// --- recently closed trades -------------------------------------------------

export type TradeRows = readonly LiveTrade[];

export function tradeFromRecord(record: Record<string, unknown>): { row: LiveTrade | null; exact: boolean } {
  const id = str(record.id);
  const accountId = str(record.account_id);
  const symbol = str(record.symbol);
  const side = direction(record.direction);
  const closedAt = iso(record.closed_at);
  if (!id || !accountId || !symbol || !side || !closedAt || record.status !== "closed") return { row: null, exact: true };
  const parts = ["gross_profit", "commission", "swap", "fee"].map((column) => readDecimal(record[column]));
  const stored = readDecimal(record.net_profit);
  const pips = readDecimal(record.pips);
  const netProfit = stored.text ?? toDecimalString(parts.reduce((total, part) => total.plus(part.text ?? "0"), dec(0)));
  const exact = (stored.text ? stored.exact : parts.every((part) => part.exact)) && pips.exact;
  return { row: { id, accountId, symbol, direction: side, netProfit, pips: pips.text, closedAt }, exact };
}

/** Keeps the `limit` most recently closed trades, newest first. */
export function applyTradeChange(rows: TradeRows, change: RowChange, limit: number): Applied<TradeRows> {
  if (change.table !== "trades") return { rows, inexact: false };
  const id = str(change.eventType === "DELETE" ? change.old.id : change.new.id);
  const without = rows.filter((t) => t.id !== id);
  if (change.eventType === "DELETE") return { rows: without.length === rows.length ? rows : without, inexact: false };
  const { row, exact } = tradeFromRecord(change.new);
  // A trade that is (still, or again) open leaves the list of closed ones.
  if (!row) return { rows: without.length === rows.length ? rows : without, inexact: false };
  const next = [...without, row].sort((a, b) => (a.closedAt < b.closedAt ? 1 : a.closedAt > b.closedAt ? -1 : 0)).slice(0, limit);
  return { rows: next, inexact: !exact };
}
