// Parses a staged file with what the account knows: its broker server clock,
// margin mode and currency (times in files are broker time).
import type { RequestDb } from "~/lib/db.server.ts";
import { processLogger } from "~/lib/logger.server.ts";
import { planOf } from "~/domain/imports/import-plan.ts";
import { planImportFile, type ParseOutcome, type PlanOutcome } from "~/domain/imports/parse-import.ts";
import type { ColumnMapping, ParseOptions } from "~/domain/imports/parse-options.ts";
import type { MarginMode } from "~/domain/trades/types.ts";
import { inflateWithZlib } from "./node-inflate.server.ts";

/** A parser handing back every trade at once (tests pass their own). */
export type ParseFile = (bytes: Uint8Array, options: ParseOptions) => ParseOutcome;
/** A parser handing back a plan whose trades are built on demand (the server's). */
export type PlanFile = (bytes: Uint8Array, options: ParseOptions) => Promise<PlanOutcome>;

export interface ImportAccount {
  id: string;
  name: string;
  currency: string;
  serverTimeZone: string;
  marginMode: MarginMode;
}

export async function loadImportAccount(db: RequestDb, userId: string, accountId: string): Promise<ImportAccount | null> {
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

const CRASHED: PlanOutcome = {
  ok: false,
  error: {
    code: "unknown-format",
    message: "We couldn't read this file. Check that it is an MT5 or MT4 report, a CSV or our JSON format, and try again.",
  },
};

/** planImportFile with Node's zlib, and a parser crash turned into a message instead of a 500. */
export const planStagedFile: PlanFile = async (bytes, options) => {
  try {
    return await planImportFile(bytes, options, { inflate: inflateWithZlib });
  } catch (error) {
    processLogger().error({ err: error }, "import: parser failed");
    return CRASHED;
  }
};

/** Either kind of parser, as a plan parser. */
export function asPlanFile(parse: ParseFile | PlanFile): PlanFile {
  return async (bytes, options) => {
    const outcome = await parse(bytes, options);
    if (!outcome.ok) return outcome;
    return "plan" in outcome ? outcome : { ok: true, plan: planOf(outcome.parsed) };
  };
}
