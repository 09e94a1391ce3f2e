// Manual trades: the data the entry form needs, and insert / update of a trade
// row with its legs, as the signed-in user (RLS decides what is visible).
// The free plan's monthly limit is checked here before inserting, so the user
// gets the upgrade prompt instead of an error; the database trigger (RJ001) is
// the backstop for races and maps to the same prompt.
import { randomUUID } from "node:crypto";
import type { AccessClaims } from "~/lib/access-token.server.ts";
import { AppError } from "~/lib/app-error.ts";
import type { RequestDb } from "~/lib/db.server.ts";
import { dec } from "~/domain/decimal.ts";
import { PLANS } from "~/domain/entitlements.ts";
import { CATALOGUE, type InstrumentOverrides } from "~/domain/instruments/catalogue.ts";
import { buildManualTrade, manualPositionId, type ManualTradeValues } from "~/domain/trades/manual-trade.ts";
import type { TradeInput, TradeSource } from "~/domain/trades/types.ts";
import { MONTHLY_LIMIT_HINT, UPGRADE_PATH } from "~/schemas/trade-form.ts";
import { monthlyAllowance } from "./imports/allowance.server.ts";
import { readInstrumentOverrides } from "./instrument-overrides.server.ts";
import type { TradeRow } from "./trade-row.ts";
import { materialiseTradeLegs } from "./trade-legs.server.ts";

export { MONTHLY_LIMIT_HINT, UPGRADE_PATH };

export interface FormAccount {
  id: string;
  name: string;
  currency: string;
  kind: "manual" | "mt5";
}

export interface MonthlyAllowance {
  /** null = unlimited. */
  limit: number | null;
  addedThisMonth: number;
}

export interface TradeFormData {
  accounts: FormAccount[];
  timeZone: string;
  allowance: MonthlyAllowance;
  /** Latest cached close per FX pair (symbol → price), for conversion-rate prefill. */
  quotes: Record<string, string>;
  /** Per-account instrument overrides (account id → canonical symbol → fields set). */
  overrides: Record<string, InstrumentOverrides>;
}

/** Only the free plan has a monthly limit; a refusal from the trigger without a read allowance is that one. */
const FREE_MONTHLY_TRADES = PLANS.free.monthlyTradeLimit!;

export function monthlyLimitError(allowance: MonthlyAllowance, cause?: unknown): AppError {
  return new AppError(
    "forbidden",
    `The free plan records up to ${allowance.limit ?? FREE_MONTHLY_TRADES} trades a month, and you've added ${allowance.addedThisMonth} this month. Upgrade to keep adding trades, or wait until the 1st.`,
    { hint: MONTHLY_LIMIT_HINT, cause },
  );
}

export function isMonthlyLimitReached(allowance: MonthlyAllowance, adding = 1): boolean {
  return allowance.limit !== null && allowance.addedThisMonth + adding > allowance.limit;
}

async function readAllowance(db: RequestDb, userId: string): Promise<MonthlyAllowance> {
  const { limit, used } = await monthlyAllowance(db, userId);
  return { limit, addedThisMonth: used };
}

/** FX pairs whose cached candles can convert one currency to another. */
const FX_PAIRS = [...CATALOGUE.values()]
  .filter((spec) => spec.calculationMode === "forex" && spec.baseCurrency?.length === 3 && spec.class !== "metal")
  .map((spec) => spec.symbol);

export async function loadTradeFormData(db: RequestDb, claims: AccessClaims): Promise<TradeFormData> {
  const accounts = await db.query<FormAccount>("select id, name, currency, kind from public.accounts where user_id = $1 order by created_at, name", [
    claims.sub,
  ]);
  const settings = await db.query<{ time_zone: string }>("select time_zone from public.user_settings where user_id = $1", [claims.sub]);
  const allowance = await readAllowance(db, claims.sub);
  const candles = await db.query<{ symbol: string; close: string }>(
    `select distinct on (symbol) symbol, close::text from public.candle_cache
      where symbol = any($1::text[]) order by symbol, opened_at desc`,
    [FX_PAIRS],
  );
  const overrides = await readInstrumentOverrides(db, { userId: claims.sub });
  return {
    accounts: accounts.rows,
    timeZone: settings.rows[0]?.time_zone ?? "UTC",
    allowance,
    quotes: Object.fromEntries(candles.rows.map((row) => [row.symbol, row.close])),
    overrides,
  };
}

export async function loadMonthlyAllowance(db: RequestDb, claims: AccessClaims): Promise<MonthlyAllowance> {
  return readAllowance(db, claims.sub);
}

const TRADE_COLUMNS = [
  "position_id",
  "symbol",
  "broker_symbol",
  "direction",
  "status",
  "opened_at",
  "closed_at",
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
  "pnl_source",
  "profit_currency",
  "conversion_rate",
  "pips",
  "initial_risk_amount",
  "comment",
  "raw",
] as const;

function tradeRowValues(trade: TradeInput): unknown[] {
  return [
    trade.positionId,
    trade.symbol,
    trade.brokerSymbol,
    trade.direction,
    trade.status,
    trade.openedAt,
    trade.closedAt,
    trade.volume,
    trade.closedVolume,
    trade.entryPrice,
    trade.exitPrice,
    trade.initialStopLoss,
    trade.stopLoss,
    trade.takeProfit,
    trade.grossProfit,
    trade.commission,
    trade.swap,
    trade.fee,
    trade.pnlSource,
    trade.profitCurrency,
    trade.conversionRate,
    trade.pips,
    trade.initialRiskAmount,
    trade.comment,
    trade.raw === null ? null : JSON.stringify(trade.raw),
  ];
}

async function insertLegs(db: RequestDb, userId: string, tradeId: string, trade: TradeInput): Promise<void> {
  for (const leg of trade.legs) {
    await db.query(
      `insert into public.trade_legs (user_id, trade_id, deal_id, order_id, kind, direction, executed_at, volume, price, profit, commission, swap, fee, comment)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        userId,
        tradeId,
        leg.dealId,
        leg.orderId,
        leg.kind,
        leg.direction,
        leg.executedAt,
        leg.volume,
        leg.price,
        leg.profit,
        leg.commission,
        leg.swap,
        leg.fee,
        leg.comment,
      ],
    );
  }
}

async function requireOwnAccount(db: RequestDb, accountId: string): Promise<void> {
  // RLS hides other users' accounts, so "not found" and "not yours" look the same.
  const { rowCount } = await db.query("select 1 from public.accounts where id = $1", [accountId]);
  if (!rowCount) throw new AppError("bad_request", "Choose one of your accounts.", { values: { field: "accountId" } });
}

function isSqlState(error: unknown, code: string): boolean {
  return (error as { code?: string } | null)?.code === code;
}

/** Inserts a manual trade with its legs; returns the new trade's id. */
export async function createManualTrade(db: RequestDb, claims: AccessClaims, values: ManualTradeValues): Promise<string> {
  let allowance: MonthlyAllowance = { limit: null, addedThisMonth: 0 };
  try {
    await requireOwnAccount(db, values.accountId);
    allowance = await readAllowance(db, claims.sub);
    if (isMonthlyLimitReached(allowance)) throw monthlyLimitError(allowance);
    const trade = buildManualTrade(values, { positionId: manualPositionId(randomUUID()) });
    const { rows } = await db.query<{ id: string }>(
      `insert into public.trades (user_id, account_id, source, ${TRADE_COLUMNS.join(", ")})
       values ($1, $2, 'manual', ${TRADE_COLUMNS.map((_, i) => `$${i + 3}`).join(", ")})
       returning id`,
      [claims.sub, values.accountId, ...tradeRowValues(trade)],
    );
    const id = rows[0]!.id;
    await insertLegs(db, claims.sub, id, trade);
    return id;
  } catch (error) {
    if (isSqlState(error, "RJ005")) {
      // An account kept read-only after a downgrade (billing migration): the database names it.
      throw new AppError("forbidden", (error as { detail?: string }).detail ?? "This account is read-only on your plan.", {
        hint: "upgrade",
        cause: error,
      });
    }
    if (isSqlState(error, "RJ001")) {
      const limit = allowance.limit ?? FREE_MONTHLY_TRADES;
      throw monthlyLimitError({ limit, addedThisMonth: Math.max(allowance.addedThisMonth, limit) }, error);
    }
    throw error;
  }
}

/** The stored figures the edit form starts from (selected with the same names as TradeRow). */
export type EditableTrade = Pick<
  TradeRow,
  | "id"
  | "source"
  | "pnlSource"
  | "symbol"
  | "brokerSymbol"
  | "direction"
  | "openedAt"
  | "closedAt"
  | "entryPrice"
  | "exitPrice"
  | "volume"
  | "initialStopLoss"
  | "stopLoss"
  | "takeProfit"
  | "grossProfit"
  | "commission"
  | "swap"
  | "fee"
  | "conversionRate"
  | "comment"
> & { accountId: string };

export async function loadEditableTrade(db: RequestDb, claims: AccessClaims, tradeId: string): Promise<EditableTrade> {
  if (!/^[0-9a-f-]{36}$/i.test(tradeId)) throw new AppError("not_found", "That trade doesn't exist, or it isn't yours.");
  const { rows } = await db.query<EditableTrade>(
    `select id, account_id as "accountId", source, pnl_source as "pnlSource", symbol, broker_symbol as "brokerSymbol", direction,
            opened_at as "openedAt", closed_at as "closedAt", entry_price::text as "entryPrice", exit_price::text as "exitPrice",
            volume::text as volume, initial_stop_loss::text as "initialStopLoss", stop_loss::text as "stopLoss",
            take_profit::text as "takeProfit", gross_profit::text as "grossProfit", commission::text as commission,
            swap::text as swap, fee::text as fee, conversion_rate::text as "conversionRate", comment
       from public.trades where id = $1`,
    [tradeId],
  );
  const trade = rows[0];
  if (!trade) throw new AppError("not_found", "That trade doesn't exist, or it isn't yours.");
  return {
    ...trade,
    openedAt: new Date(trade.openedAt).toISOString(),
    closedAt: trade.closedAt ? new Date(trade.closedAt).toISOString() : null,
  };
}

export const MT5_EDIT_REFUSAL =
  "This trade comes from your MT5 sync, which keeps it exactly as the broker reports it, so it can't be edited here. Add notes and tags in its journal instead.";

const sameAmount = (a: string | null, b: string | null) => (a === null || b === null ? a === b : dec(a).eq(b));

/**
 * Saves an edit. Manual trades take every field (legs rewritten). File
 * imports keep their legs and the broker's money unless a money field changed
 * (then the typed figures are stored with pnl_source 'user'). MT5-synced
 * trades are refused. The initial stop is write-once: a stored one is kept.
 */
export async function updateTrade(db: RequestDb, claims: AccessClaims, tradeId: string, values: ManualTradeValues): Promise<void> {
  const { rows } = await db.query<{
    source: TradeSource;
    account_id: string;
    position_id: string;
    initial_stop_loss: string | null;
    gross_profit: string;
    commission: string;
    swap: string;
    fee: string;
    pnl_source: string;
    profit_currency: string | null;
    conversion_rate: string | null;
  }>(
    `select source, account_id, position_id, initial_stop_loss::text, gross_profit::text, commission::text, swap::text, fee::text,
            pnl_source, profit_currency, conversion_rate::text
       from public.trades where id = $1 for update`,
    [tradeId],
  );
  const stored = rows[0];
  if (!stored) throw new AppError("not_found", "That trade doesn't exist, or it isn't yours.");
  if (stored.source === "mt5") throw new AppError("forbidden", MT5_EDIT_REFUSAL);
  const accountId = stored.source === "manual" ? values.accountId : stored.account_id;
  if (accountId !== stored.account_id) await requireOwnAccount(db, accountId);

  let trade = buildManualTrade(values, { positionId: stored.position_id, initialStopLoss: stored.initial_stop_loss });
  if (stored.source === "file") {
    // The edit changes the row; the broker's deals stay as they were, so a pair the row held becomes rows first.
    await materialiseTradeLegs(db, tradeId);
    const moneyChanged =
      // An open trade has no broker P&L to show, so a blank field is no change.
      !sameAmount(values.brokerProfit ?? (values.closedAt === null ? "0" : null), stored.gross_profit) ||
      !sameAmount(values.commission, stored.commission) ||
      !sameAmount(values.swap, stored.swap) ||
      !sameAmount(values.fee, stored.fee);
    trade = moneyChanged
      ? { ...trade, pnlSource: trade.pnlSource === "computed" ? "computed" : "user" }
      : {
          ...trade,
          grossProfit: stored.gross_profit,
          commission: stored.commission,
          swap: stored.swap,
          fee: stored.fee,
          pnlSource: stored.pnl_source as TradeInput["pnlSource"],
          profitCurrency: stored.profit_currency,
          conversionRate: stored.conversion_rate,
          raw: null,
        };
  }

  // position_id and raw stay as stored (identity and the broker's own fields).
  const columns = TRADE_COLUMNS.filter((column) => column !== "position_id" && column !== "raw");
  const all = tradeRowValues(trade);
  const params = columns.map((column) => all[TRADE_COLUMNS.indexOf(column)]);
  await db.query(
    `update public.trades set account_id = $2, ${columns
      .map((column, i) => (column === "initial_stop_loss" ? `${column} = coalesce(initial_stop_loss, $${i + 3})` : `${column} = $${i + 3}`))
      .join(", ")}
      where id = $1`,
    [tradeId, accountId, ...params],
  );
  if (stored.source === "manual") {
    await db.query("delete from public.trade_legs where trade_id = $1", [tradeId]);
    await insertLegs(db, claims.sub, tradeId, trade);
  }
}
