// The preview of a staged file: what was detected, the first trades, what
// will be rejected and why, and how many trades the account already holds.
// Nothing is written here except a remembered column mapping being applied.
//
// Only the first trades are built (the plan builds trades on demand); the
// counts come from the whole file's positions without building the rest.
import { GENERIC_FIELDS, missingMappedFields } from "~/domain/imports/csv/generic-fields.ts";
import type { ColumnMapping } from "~/domain/imports/parse-options.ts";
import { dec, toDecimalString } from "~/domain/decimal.ts";
import type { ImportPlan } from "~/domain/imports/import-plan.ts";
import type { PlanOutcome } from "~/domain/imports/parse-import.ts";
import type { TradeInput } from "~/domain/trades/types.ts";
import type { DatabaseClaims, RequestDb } from "~/lib/db.server.ts";
import { countExistingTrades } from "../trade-store.server.ts";
import { monthlyAllowance } from "./allowance.server.ts";
import {
  asPlanFile,
  loadImportAccount,
  parseOptionsFor,
  planStagedFile,
  type ImportAccount,
  type ParseFile,
  type PlanFile,
} from "./parse-staged.server.ts";
import type { ImportPreview, PreviewTrade } from "./types.ts";
import { keepParse, makeRoomForParse, parsedBefore } from "./parsed-uploads.server.ts";
import { ensureUploadBytes, rememberedMapping, type StagedUpload } from "./uploads.server.ts";

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
 * user's remembered mapping for its header row, when there is one. With the
 * server's parser the outcome is kept for the next step (parse once:
 * parsed-uploads.server.ts), and a kept one with the same options is reused.
 */
export async function parseUpload(
  db: RequestDb,
  claims: Claims,
  upload: StagedUpload,
  account: ImportAccount,
  parser: ParseFile | PlanFile = planStagedFile,
): Promise<PlanOutcome> {
  const options = parseOptionsFor(account, upload.columnMapping);
  const owner = { userId: claims.sub, uploadId: upload.id, sha256: upload.sha256 };
  const kept = parser === planStagedFile ? await parsedBefore(owner, options) : null;
  // A parse started at upload knows no remembered column mapping: a file that needs one is parsed here.
  if (kept && (kept.ok || kept.error.code !== "needs-mapping")) return kept;
  if (parser === planStagedFile) makeRoomForParse();
  const outcome = await parseStagedUpload(db, claims, upload, account, parser);
  if (parser === planStagedFile) keepParse(owner, options, outcome);
  return outcome;
}

async function parseStagedUpload(
  db: RequestDb,
  claims: Claims,
  upload: StagedUpload,
  account: ImportAccount,
  parser: ParseFile | PlanFile,
): Promise<PlanOutcome> {
  const bytes = await ensureUploadBytes(db, upload);
  if (!bytes) {
    return { ok: false, error: { code: "empty", message: "This file has already been imported. Upload it again to import it once more." } };
  }
  const parse = asPlanFile(parser);
  const outcome = await parse(bytes, parseOptionsFor(account, upload.columnMapping));
  if (outcome.ok || outcome.error.code !== "needs-mapping" || !("mapping" in outcome) || upload.columnMapping) return outcome;
  const remembered = await rememberedMapping(db, claims, outcome.mapping.headerSignature);
  if (!remembered) return withConfidentGuess(outcome, (mapping) => parse(bytes, parseOptionsFor(account, mapping)));
  const again = await parse(bytes, parseOptionsFor(account, remembered));
  if (!again.ok && again.error.code === "needs-mapping" && "mapping" in again) {
    return { ...again, mapping: { ...again.mapping, suggested: { ...again.mapping.suggested, ...remembered } } };
  }
  return again;
}

/**
 * A header row whose names alone match every required field needs no question
 * (issue 18): the suggested mapping is applied at once, the same way for the
 * preview and the import (it is a function of the header row), and the
 * preview's warnings say which column went where. Only a file whose headers
 * leave a required field unmatched shows the mapping form.
 */
async function withConfidentGuess(outcome: PlanOutcome, parseWith: (mapping: ColumnMapping) => Promise<PlanOutcome>): Promise<PlanOutcome> {
  if (outcome.ok || !("mapping" in outcome)) return outcome;
  const { suggested, headers } = outcome.mapping;
  if (missingMappedFields(suggested, headers).length > 0) return outcome;
  const guessed = await parseWith(suggested);
  if (!guessed.ok) return outcome;
  const matched = GENERIC_FIELDS.filter(({ name }) => suggested[name]).map(
    ({ name, label }) => `${label.replace(/ \(.*\)$/, "")} ← ${suggested[name]}`,
  );
  guessed.plan.warnings.unshift(`Columns were matched by their names: ${matched.join(", ")}.`);
  return guessed;
}

export function summarise(plan: ImportPlan, alreadyImported: number, monthlyAllowanceLeft: number | null): ImportPreview {
  return {
    kind: "ready",
    format: plan.format,
    language: plan.language,
    headerAccount: plan.account
      ? {
          login: plan.account.login,
          name: plan.account.name,
          currency: plan.account.currency,
          server: plan.account.server,
          company: plan.account.company,
        }
      : null,
    firstTrades: plan.firstTrades(PREVIEW_ROWS).map(previewTrade),
    tradeCount: plan.tradeCount,
    openCount: plan.openCount,
    cashCount: plan.cash.length,
    financingCount: plan.cash.filter((movement) => movement.kind === "financing").length,
    rejected: plan.rejected.slice(0, PREVIEW_REJECTED),
    rejectedCount: plan.rejected.length,
    warnings: plan.warnings,
    alreadyImported,
    monthlyAllowanceLeft,
  };
}

/** The parse a preview was made from, for a second preview with the same parse options. */
export interface PreviewParse {
  account: ImportAccount;
  outcome: PlanOutcome;
}

const sameParseOptions = (a: ImportAccount, b: ImportAccount) =>
  a.serverTimeZone === b.serverTimeZone && a.marginMode === b.marginMode && a.currency === b.currency;

/**
 * The preview for one account, and the parse behind it. `reuse` is an earlier
 * parse of the same upload: when this account reads the file the same way
 * (server clock, margin mode, currency), the file is not parsed again.
 */
export async function previewWithParse(
  db: RequestDb,
  claims: Claims,
  upload: StagedUpload,
  accountId: string,
  parse: ParseFile | PlanFile = planStagedFile,
  reuse: PreviewParse | null = null,
): Promise<{ preview: ImportPreview; parse: PreviewParse | null }> {
  const account = await loadImportAccount(db, claims.sub, accountId);
  if (!account) return { preview: { kind: "error", code: "no-account", message: "Choose one of your accounts to import into." }, parse: null };
  const outcome = reuse && sameParseOptions(reuse.account, account) ? reuse.outcome : await parseUpload(db, claims, upload, account, parse);
  const parsed: PreviewParse = { account, outcome };
  if (!outcome.ok) {
    if (outcome.error.code === "needs-mapping" && "mapping" in outcome) {
      return { preview: { kind: "needs-mapping", mapping: outcome.mapping, message: outcome.error.message }, parse: parsed };
    }
    return { preview: { kind: "error", code: outcome.error.code, message: outcome.error.message }, parse: parsed };
  }
  const existing = await countExistingTrades(db, account.id, outcome.plan.positionIds);
  const { left } = await monthlyAllowance(db, claims.sub);
  return { preview: summarise(outcome.plan, existing, left), parse: parsed };
}

export async function buildPreview(
  db: RequestDb,
  claims: Claims,
  upload: StagedUpload,
  accountId: string,
  parse: ParseFile | PlanFile = planStagedFile,
): Promise<ImportPreview> {
  return (await previewWithParse(db, claims, upload, accountId, parse)).preview;
}
