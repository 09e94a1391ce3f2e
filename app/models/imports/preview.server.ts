// The preview of a staged file: what was detected, the first trades, what
// will be rejected and why, and how many trades the account already holds.
// Nothing is written here except a remembered column mapping being applied.
import type pg from "pg";
import { dec, toDecimalString } from "~/domain/decimal.ts";
import type { ParseOutcome } from "~/domain/imports/parse-import.ts";
import type { ParsedImport, TradeInput } from "~/domain/trades/types.ts";
import { withRlsTransaction, type DatabaseClaims } from "~/lib/db.server.ts";
import { countExistingTrades } from "../trade-store.server.ts";
import { monthlyAllowance } from "./allowance.server.ts";
import { loadImportAccount, parseOptionsFor, parseStagedFile, type ImportAccount, type ParseFile } from "./parse-staged.server.ts";
import type { ImportPreview, PreviewTrade } from "./types.ts";
import { rememberedMapping, type StagedUpload } from "./uploads.server.ts";

type Claims = DatabaseClaims & { sub: string };

const PREVIEW_ROWS = 10;
const PREVIEW_REJECTED = 50;

function previewTrade(trade: TradeInput): PreviewTrade {
  return {
    positionId: trade.positionId,
    symbol: trade.symbol,
    direction: trade.direction,
    status: trade.status,
    openedAt: trade.openedAt.toISOString(),
    closedAt: trade.closedAt?.toISOString() ?? null,
    volume: trade.volume,
    entryPrice: trade.entryPrice,
    exitPrice: trade.exitPrice,
    netProfit: toDecimalString(dec(trade.grossProfit).plus(trade.commission).plus(trade.swap).plus(trade.fee)),
  };
}

/**
 * Parses the upload for this account; a generic CSV without a mapping gets the
 * user's remembered mapping for its header row, when there is one.
 */
export async function parseUpload(
  pool: pg.Pool,
  claims: Claims,
  upload: StagedUpload,
  account: ImportAccount,
  parse: ParseFile = parseStagedFile,
): Promise<ParseOutcome> {
  if (!upload.bytes) {
    return { ok: false, error: { code: "empty", message: "This file has already been imported. Upload it again to import it once more." } };
  }
  const outcome = parse(upload.bytes, parseOptionsFor(account, upload.columnMapping));
  if (outcome.ok || outcome.error.code !== "needs-mapping" || !("mapping" in outcome) || upload.columnMapping) return outcome;
  const remembered = await rememberedMapping(pool, claims, outcome.mapping.headerSignature);
  if (!remembered) return outcome;
  const again = parse(upload.bytes, parseOptionsFor(account, remembered));
  if (!again.ok && again.error.code === "needs-mapping" && "mapping" in again) {
    return { ...again, mapping: { ...again.mapping, suggested: { ...again.mapping.suggested, ...remembered } } };
  }
  return again;
}

export function summarise(parsed: ParsedImport, alreadyImported: number, monthlyAllowanceLeft: number | null): ImportPreview {
  return {
    kind: "ready",
    format: parsed.format,
    language: parsed.language,
    headerAccount: parsed.account
      ? { login: parsed.account.login, name: parsed.account.name, currency: parsed.account.currency, server: parsed.account.server, company: parsed.account.company }
      : null,
    firstTrades: parsed.trades.slice(0, PREVIEW_ROWS).map(previewTrade),
    tradeCount: parsed.trades.length,
    openCount: parsed.trades.filter((t) => t.status === "open").length,
    cashCount: parsed.cash.length,
    rejected: parsed.rejected.slice(0, PREVIEW_REJECTED),
    rejectedCount: parsed.rejected.length,
    warnings: parsed.warnings,
    alreadyImported,
    monthlyAllowanceLeft,
  };
}

export async function buildPreview(
  pool: pg.Pool,
  claims: Claims,
  upload: StagedUpload,
  accountId: string,
  parse: ParseFile = parseStagedFile,
): Promise<ImportPreview> {
  const account = await withRlsTransaction(pool, claims, (db) => loadImportAccount(db, claims.sub, accountId));
  if (!account) return { kind: "error", code: "no-account", message: "Choose one of your accounts to import into." };
  const outcome = await parseUpload(pool, claims, upload, account, parse);
  if (!outcome.ok) {
    if (outcome.error.code === "needs-mapping" && "mapping" in outcome) {
      return { kind: "needs-mapping", mapping: outcome.mapping, message: outcome.error.message };
    }
    return { kind: "error", code: outcome.error.code, message: outcome.error.message };
  }
  const { existing, left } = await withRlsTransaction(pool, claims, async (db) => ({
    existing: await countExistingTrades(db, account.id, outcome.parsed.trades.map((t) => t.positionId)),
    left: (await monthlyAllowance(db, claims.sub)).left,
  }));
  return summarise(outcome.parsed, existing, left);
}
