// Parses a staged file with what the account knows: its broker server clock,
// margin mode and currency (times in files are broker time).
import type pg from "pg";
import { parseImportFile, type ParseOutcome } from "~/domain/imports/parse-import.ts";
import type { ColumnMapping, ParseOptions } from "~/domain/imports/parse-options.ts";
import type { MarginMode } from "~/domain/trades/types.ts";

export type ParseFile = (bytes: Uint8Array, options: ParseOptions) => ParseOutcome;

export interface ImportAccount {
  id: string;
  name: string;
  currency: string;
  serverTimeZone: string;
  marginMode: MarginMode;
}

type Db = Pick<pg.PoolClient, "query">;

export async function loadImportAccount(db: Db, userId: string, accountId: string): Promise<ImportAccount | null> {
  const { rows } = await db.query<{ id: string; name: string; currency: string; server_time_zone: string; margin_mode: MarginMode }>(
    "select id, name, currency, server_time_zone, margin_mode from public.accounts where id = $1 and user_id = $2",
    [accountId, userId],
  );
  const row = rows[0];
  return row ? { id: row.id, name: row.name, currency: row.currency, serverTimeZone: row.server_time_zone, marginMode: row.margin_mode } : null;
}

export function parseOptionsFor(account: ImportAccount, columnMapping: ColumnMapping | null): ParseOptions {
  return {
    serverTimeZone: account.serverTimeZone,
    marginMode: account.marginMode,
    accountCurrency: account.currency,
    ...(columnMapping ? { columnMapping } : {}),
  };
}

/** parseImportFile, with a parser crash turned into a message instead of a 500. */
export const parseStagedFile: ParseFile = (bytes, options) => {
  try {
    return parseImportFile(bytes, options);
  } catch (error) {
    console.error(`[import] parser failed: ${(error as Error).stack ?? error}`);
    return {
      ok: false,
      error: { code: "unknown-format", message: "We couldn't read this file. Check that it is an MT5 or MT4 report, a CSV or our JSON format, and try again." },
    };
  }
};
