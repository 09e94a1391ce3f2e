// An account's corrections to the instrument catalogue, read inside an open
// transaction (as the user or the service role) in the shape
// resolveInstrument() takes: only the fields the user set, since null means
// "use the catalogue". Manual entry uses them for P&L, pips and R; anything
// that computes pips for stored trades (tradePips) should pass them too.
import type { RequestDb } from "~/lib/db.server.ts";
import type { InstrumentOverride, InstrumentOverrides } from "~/domain/instruments/catalogue.ts";
import type { CalculationMode } from "~/domain/instruments/types.ts";

/** An override row as stored: null means "use the catalogue". */
export interface OverrideRow {
  account_id: string;
  symbol: string;
  contract_size: string | null;
  point: string | null;
  pip_size: string | null;
  tick_size: string | null;
  tick_value: string | null;
  digits: number | null;
  profit_currency: string | null;
  calculation_mode: string | null;
}

/** The columns of an OverrideRow, numerics as exact text. */
export const OVERRIDE_COLUMNS = `account_id, symbol, contract_size::text, point::text, pip_size::text, tick_size::text, tick_value::text,
  digits, profit_currency, calculation_mode`;

function toOverride(row: OverrideRow): InstrumentOverride {
  return {
    ...(row.contract_size ? { contractSize: row.contract_size } : {}),
    ...(row.point ? { point: row.point } : {}),
    ...(row.pip_size ? { pipSize: row.pip_size } : {}),
    ...(row.tick_size ? { tickSize: row.tick_size } : {}),
    ...(row.tick_value ? { tickValue: row.tick_value } : {}),
    ...(row.digits !== null ? { digits: row.digits } : {}),
    ...(row.profit_currency ? { profitCurrency: row.profit_currency } : {}),
    ...(row.calculation_mode ? { calculationMode: row.calculation_mode as CalculationMode } : {}),
  };
}

/** Overrides by account id, then canonical symbol: every account of a user, or one account. */
export async function readInstrumentOverrides(
  db: RequestDb,
  owner: { userId: string } | { accountId: string },
): Promise<Record<string, InstrumentOverrides>> {
  const [column, value] = "userId" in owner ? ["user_id", owner.userId] : ["account_id", owner.accountId];
  const { rows } = await db.query<OverrideRow>(`select ${OVERRIDE_COLUMNS} from public.account_instrument_overrides where ${column} = $1`, [value]);
  const overrides: Record<string, Record<string, InstrumentOverride>> = {};
  for (const row of rows) (overrides[row.account_id] ??= {})[row.symbol] = toOverride(row);
  return overrides;
}
