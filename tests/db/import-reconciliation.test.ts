// The reconciliation line after an import (issue 18 item 6): real reports
// through the server's own parser and store, then the file's own balance and
// net profit against the sums of what was stored. A doctored copy of the same
// report names the difference.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadReconciliation as loadReconciliationInRequest } from "../../app/models/imports/reconciliation.server.ts";
import { runImport } from "../../app/models/imports/run-import.server.ts";
import { stageUpload as stageUploadInRequest } from "../../app/models/imports/uploads.server.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createUser, userClaims } from "../support/fixtures.ts";
import { asRequest, asRequestOf } from "./as-request.ts";

const stageUpload = asRequest(stageUploadInRequest);
const loadReconciliation = asRequestOf(loadReconciliationInRequest);

const db = await createTestDatabase();

const fixture = (path: string) => new Uint8Array(readFileSync(new URL(`../fixtures/real/${path}`, import.meta.url)));
const BULGARIAN = "public/metaquotes-bg-en/ReportHistory-5014131788.html";

async function importFile(bytes: Uint8Array, fileName: string, detectedFormat: "mt5-xlsx" | "mt5-html") {
  const userId = await createUser(db.pool, { tier: "pro" });
  const accountId = await createAccount(db.pool, userId);
  const claims = userClaims(userId);
  const uploadId = await stageUpload(db.appPool, claims, { fileName, bytes, accountId, detectedFormat });
  const { batchId } = await runImport(db.appPool, claims, { uploadId, accountId });
  return { claims, accountId, batchId, reconciliation: await loadReconciliation(db.appPool, claims, batchId) };
}

describe("the reconciliation line after an import", () => {
  it("a real report whose stored trades and cash give its own balance and net profit says ✓", async () => {
    const { reconciliation } = await importFile(fixture("ReportHistory-hfm-demo.xlsx"), "ReportHistory.xlsx", "mt5-xlsx");
    expect(reconciliation).toMatchObject({
      allMatch: true,
      sentence: "The report says balance 50.94 and Total Net Profit −49.67; stored trades and cash movements give 50.94 and −49.67 ✓",
    });
  });

  it("a report in Bulgarian reconciles too", async () => {
    const { reconciliation } = await importFile(fixture(BULGARIAN), "ReportHistory.html", "mt5-html");
    expect(reconciliation?.sentence).toBe(
      "The report says balance 99,996.70 and Обща нетна печалба −3.30; stored trades and cash movements give 99,996.70 and −3.30 ✓",
    );
  });

  it("a doctored report (balance and net profit each 0.50 lower than its rows) names both differences", async () => {
    const text = new TextDecoder().decode(fixture(BULGARIAN));
    const doctored = text
      .replace('<td colspan="2"><b>99 996.70</b></td>', '<td colspan="2"><b>99 996.20</b></td>')
      .replace("<b>-3.30</b>", "<b>-3.80</b>");
    expect(doctored).not.toBe(text);
    const { reconciliation } = await importFile(new TextEncoder().encode(doctored), "ReportHistory.html", "mt5-html");
    expect(reconciliation?.allMatch).toBe(false);
    expect(reconciliation?.checks.map((check) => [check.figure, check.file, check.stored, check.difference])).toEqual([
      ["balance", "99996.2", "99996.7", "0.5"],
      ["net", "-3.8", "-3.3", "0.5"],
    ]);
    expect(reconciliation?.sentence).toBe(
      "The report says balance 99,996.20 and Обща нетна печалба −3.80; stored trades and cash movements give 99,996.70 and −3.30: balance differs by +0.50 (stored 99,996.70, file 99,996.20) and Обща нетна печалба differs by +0.50 (stored −3.30, file −3.80).",
    );
  });

  it("a re-import of the same file (all duplicates) still compares the file with what is stored", async () => {
    const first = await importFile(fixture("ReportHistory-hfm-demo.xlsx"), "ReportHistory.xlsx", "mt5-xlsx");
    const uploadId = await stageUpload(db.appPool, first.claims, {
      fileName: "ReportHistory.xlsx",
      bytes: fixture("ReportHistory-hfm-demo.xlsx"),
      accountId: first.accountId,
      detectedFormat: "mt5-xlsx",
    });
    const again = await runImport(db.appPool, first.claims, { uploadId, accountId: first.accountId });
    expect(again.result).toMatchObject({ inserted: 0, duplicates: 10 });
    expect((await loadReconciliation(db.appPool, first.claims, again.batchId))?.allMatch).toBe(true);
  });
});
