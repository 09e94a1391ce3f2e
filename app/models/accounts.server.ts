// Trading accounts and their instrument overrides, read and written as the
// signed-in user (RLS decides), in the transaction the caller hands in.
import type { AccountSummary, PlanAccess } from "./accounts.types.ts";
import { canAddAccount, limitErrorFromSqlState, PLANS, type Tier } from "~/domain/entitlements.ts";
import { CATALOGUE } from "~/domain/instruments/catalogue.ts";
import { AppError } from "~/lib/app-error.ts";
import type { DatabaseClaims, RequestDb } from "~/lib/db.server.ts";
import { UPGRADE_HINT, type AccountInput, type InstrumentOverrideInput, type MarginMode } from "~/schemas/account.ts";
import { OVERRIDE_COLUMNS, type OverrideRow } from "./instrument-overrides.server.ts";

/** The signed-in user's claims (an access token's, or a test's). */
type Claims = DatabaseClaims & { sub: string };

export interface AccountLimits {
  tier: Tier;
  /** null = unlimited */
  maxAccounts: number | null;
  maxMt5Accounts: number;
  total: number;
  mt5: number;
}

export interface AccountDetail extends AccountSummary {
  cashMovementCount: number;
  journalCount: number;
}

export interface InstrumentOverride {
  symbol: string;
  contractSize: string | null;
  point: string | null;
  pipSize: string | null;
  tickSize: string | null;
  tickValue: string | null;
  digits: number | null;
  profitCurrency: string | null;
  calculationMode: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function notFound(): AppError {
  return new AppError("not_found", "That account doesn't exist, or it isn't yours.");
}

function tierName(tier: Tier): string {
  return tier.charAt(0).toUpperCase() + tier.slice(1);
}

export function accountLimitMessage(limits: Pick<AccountLimits, "tier" | "maxAccounts" | "maxMt5Accounts">, kind: "manual" | "mt5"): string {
  if (kind === "mt5" && limits.maxMt5Accounts === 0) {
    return `The ${tierName(limits.tier)} plan doesn't include MT5 sync. Upgrade to connect an MT5 account.`;
  }
  if (kind === "mt5") {
    return `The ${tierName(limits.tier)} plan allows ${limits.maxMt5Accounts} MT5 account${limits.maxMt5Accounts === 1 ? "" : "s"}, and you have ${limits.maxMt5Accounts}. Upgrade for more.`;
  }
  const max = limits.maxAccounts ?? 0;
  return `The ${tierName(limits.tier)} plan allows ${max} account${max === 1 ? "" : "s"}, and you have ${max}. Upgrade to add another.`;
}

const SUMMARY_COLUMNS = `
  a.id, a.name, a.kind, a.broker, a.currency, a.initial_balance::text as initial_balance,
  public.account_balance(a)::text as balance,
  coalesce(t.trade_count, 0)::int as trade_count, a.server_time_zone, a.margin_mode,
  public.account_plan_access(a.id) as plan_access`;

const SUMMARY_JOINS = `
  left join lateral (select count(*) as trade_count from public.trades where account_id = a.id) t on true`;

interface SummaryRow {
  id: string;
  name: string;
  kind: "manual" | "mt5";
  broker: string | null;
  currency: string;
  initial_balance: string;
  balance: string;
  trade_count: number;
  server_time_zone: string;
  margin_mode: MarginMode;
  plan_access: PlanAccess;
}

function toSummary(row: SummaryRow): AccountSummary {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    broker: row.broker,
    currency: row.currency,
    initialBalance: row.initial_balance,
    balance: row.balance,
    tradeCount: row.trade_count,
    serverTimeZone: row.server_time_zone,
    marginMode: row.margin_mode,
    planAccess: row.plan_access,
  };
}

async function readLimits(db: RequestDb, userId: string): Promise<AccountLimits> {
  const { rows } = await db.query<{ tier: Tier; max_accounts: number | null; max_mt5_accounts: number; total: number; mt5: number }>(
    `select l.tier, l.max_accounts, l.max_mt5_accounts,
            (select count(*)::int from public.accounts where user_id = $1) as total,
            (select count(*)::int from public.accounts where user_id = $1 and kind = 'mt5') as mt5
       from public.profiles p join public.plan_limits l on l.tier = p.subscription_tier
      where p.id = $1`,
    [userId],
  );
  const row = rows[0];
  if (!row) throw new AppError("not_found", "We couldn't find your profile. Sign out and in again.");
  return { tier: row.tier, maxAccounts: row.max_accounts, maxMt5Accounts: row.max_mt5_accounts, total: row.total, mt5: row.mt5 };
}

export interface PlanAccountLimits {
  tier: Tier;
  maxAccounts: number | null;
  maxMt5Accounts: number;
}

export async function listAccounts(
  db: RequestDb,
  claims: Claims,
): Promise<{ accounts: AccountSummary[]; limits: AccountLimits; plans: PlanAccountLimits[] }> {
  const { rows } = await db.query<SummaryRow>(
    `select ${SUMMARY_COLUMNS} from public.accounts a ${SUMMARY_JOINS}
      where a.user_id = $1 order by a.created_at, a.name`,
    [claims.sub],
  );
  const plans = await db.query<{ tier: Tier; max_accounts: number | null; max_mt5_accounts: number }>(
    "select tier, max_accounts, max_mt5_accounts from public.plan_limits order by price_usd_cents",
  );
  return {
    accounts: rows.map(toSummary),
    limits: await readLimits(db, claims.sub),
    plans: plans.rows.map((p) => ({ tier: p.tier, maxAccounts: p.max_accounts, maxMt5Accounts: p.max_mt5_accounts })),
  };
}

export async function loadAccountLimits(db: RequestDb, claims: Claims): Promise<AccountLimits> {
  return readLimits(db, claims.sub);
}

/** A refusal from the plan-limit trigger becomes the same prompt the action's own check shows. */
async function refusingOverLimit<T>(limits: AccountLimits, kind: "manual" | "mt5", work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (limitErrorFromSqlState((error as { code?: string }).code)) {
      throw new AppError("forbidden", accountLimitMessage(limits, kind), { cause: error, hint: UPGRADE_HINT });
    }
    throw translateCheckViolation(error);
  }
}

function translateCheckViolation(error: unknown): unknown {
  const pgError = error as { code?: string; constraint?: string };
  // The database checks zones against its own tz data, which can lag the browser's.
  if (pgError.code === "23514" && pgError.constraint?.includes("server_time_zone")) {
    return new AppError("bad_request", "That server time zone isn't supported. Choose another from the list.", { cause: error });
  }
  if (pgError.code === "23514") {
    return new AppError("bad_request", "One of the values isn't accepted. Check the fields and try again.", { cause: error });
  }
  return error;
}

/**
 * Creates a manual account. The plan's limit is checked first so the user gets
 * a clear prompt; the database trigger enforces the same limit for every other
 * way in (and for two requests racing past this check).
 */
export async function createManualAccount(db: RequestDb, claims: Claims, input: AccountInput): Promise<string> {
  const limits = await readLimits(db, claims.sub);
  if (!canAddAccount(planOf(limits), limits, "manual")) {
    throw new AppError("forbidden", accountLimitMessage(limits, "manual"), { hint: UPGRADE_HINT });
  }
  return refusingOverLimit(limits, "manual", async () => {
    const { rows } = await db.query<{ id: string }>(
      `insert into public.accounts (user_id, name, kind, broker, currency, initial_balance, server_time_zone,
         server_time_zone_confirmed, margin_mode)
       values ($1, $2, 'manual', $3, $4, $5, $6, true, $7) returning id`,
      [claims.sub, input.name, input.broker, input.currency, input.initialBalance, input.serverTimeZone, input.marginMode],
    );
    return rows[0]!.id;
  });
}

/** The plan as the database holds it (public.plan_limits wins over the app's copy). */
function planOf(limits: AccountLimits) {
  return { ...PLANS[limits.tier], maxAccounts: limits.maxAccounts, maxMt5Accounts: limits.maxMt5Accounts };
}

export async function loadAccount(
  db: RequestDb,
  claims: Claims,
  accountId: string,
): Promise<{ account: AccountDetail; overrides: InstrumentOverride[] }> {
  if (!UUID.test(accountId)) throw notFound();
  const { rows } = await db.query<SummaryRow & { cash_movement_count: number; journal_count: number }>(
    `select ${SUMMARY_COLUMNS},
            (select count(*)::int from public.cash_movements where account_id = a.id) as cash_movement_count,
            (select count(*)::int from public.journals j join public.trades tr on tr.id = j.trade_id
              where tr.account_id = a.id) as journal_count
       from public.accounts a ${SUMMARY_JOINS}
      where a.id = $1`,
    [accountId],
  );
  const row = rows[0];
  if (!row) throw notFound();
  const overrides = await db.query<OverrideRow>(
    `select ${OVERRIDE_COLUMNS} from public.account_instrument_overrides where account_id = $1 order by symbol`,
    [accountId],
  );
  return {
    account: { ...toSummary(row), cashMovementCount: row.cash_movement_count, journalCount: row.journal_count },
    overrides: overrides.rows.map((o) => ({
      symbol: o.symbol,
      contractSize: o.contract_size,
      point: o.point,
      pipSize: o.pip_size,
      tickSize: o.tick_size,
      tickValue: o.tick_value,
      digits: o.digits,
      profitCurrency: o.profit_currency,
      calculationMode: o.calculation_mode,
    })),
  };
}

export async function updateAccount(db: RequestDb, claims: Claims, accountId: string, input: AccountInput): Promise<void> {
  if (!UUID.test(accountId)) throw notFound();
  try {
    const { rowCount } = await db.query(
      `update public.accounts
          set name = $2, broker = $3, currency = $4, initial_balance = $5, server_time_zone = $6,
              server_time_zone_confirmed = true, margin_mode = $7
        where id = $1`,
      [accountId, input.name, input.broker, input.currency, input.initialBalance, input.serverTimeZone, input.marginMode],
    );
    if (rowCount === 0) throw notFound();
  } catch (error) {
    throw translateCheckViolation(error);
  }
}

/** Deletes the account and, by cascade, its trades, their journals and legs, cash movements, imports and overrides. */
export async function deleteTradingAccount(db: RequestDb, claims: Claims, accountId: string): Promise<{ name: string }> {
  if (!UUID.test(accountId)) throw notFound();
  const { rows } = await db.query<{ name: string }>("delete from public.accounts where id = $1 returning name", [accountId]);
  if (!rows[0]) throw notFound();
  return { name: rows[0].name };
}

/** Adds or replaces the override for one symbol of one account. */
export async function saveInstrumentOverride(db: RequestDb, claims: Claims, accountId: string, input: InstrumentOverrideInput): Promise<void> {
  if (!UUID.test(accountId)) throw notFound();
  // A symbol the catalogue lacks resolves only from the override itself (resolveInstrument).
  if (!CATALOGUE.has(input.symbol) && (input.contractSize === null || input.profitCurrency === null)) {
    throw new AppError("bad_request", `${input.symbol} isn't in the instrument catalogue, so give at least its contract size and profit currency.`);
  }
  try {
    const owned = await db.query("select 1 from public.accounts where id = $1", [accountId]);
    if (owned.rowCount === 0) throw notFound();
    await db.query(
      `insert into public.account_instrument_overrides (user_id, account_id, symbol, contract_size, point, pip_size,
         tick_size, tick_value, digits, profit_currency, calculation_mode)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       on conflict (account_id, symbol) do update set
         contract_size = excluded.contract_size, point = excluded.point, pip_size = excluded.pip_size,
         tick_size = excluded.tick_size, tick_value = excluded.tick_value, digits = excluded.digits,
         profit_currency = excluded.profit_currency, calculation_mode = excluded.calculation_mode`,
      [
        claims.sub,
        accountId,
        input.symbol,
        input.contractSize,
        input.point,
        input.pipSize,
        input.tickSize,
        input.tickValue,
        input.digits,
        input.profitCurrency,
        input.calculationMode,
      ],
    );
  } catch (error) {
    throw translateCheckViolation(error);
  }
}

export async function removeInstrumentOverride(db: RequestDb, claims: Claims, accountId: string, symbol: string): Promise<void> {
  if (!UUID.test(accountId)) throw notFound();
  const { rowCount } = await db.query("delete from public.account_instrument_overrides where account_id = $1 and symbol = $2", [accountId, symbol]);
  if (rowCount === 0) throw new AppError("not_found", `There is no override for ${symbol} on this account.`);
}

export type { AccountSummary };
