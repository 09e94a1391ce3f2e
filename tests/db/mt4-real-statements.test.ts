// Real MT4 statements through the server's own parser and store (issue 17
// item 2): OANDA's Financing rows stored as financing, the GBK statement's
// Chinese name and comments stored readable, Fyntura's magic numbers stored.
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

const fixture = (path: string) => new Uint8Array(readFileSync(new URL(`../fixtures/real/public/${path}`, import.meta.url)));

async function importStatement(path: string) {
  const userId = await createUser(db.pool, { tier: "pro" });
  const accountId = await createAccount(db.pool, userId);
  const claims = userClaims(userId);
  const uploadId = await stageUpload(db.appPool, claims, { fileName: "Statement.htm", bytes: fixture(path), accountId, detectedFormat: "mt4-html" });
  const { batchId } = await runImport(db.appPool, claims, { uploadId, accountId });
  return { accountId, reconciliation: await loadReconciliation(db.appPool, claims, batchId) };
}

describe("real MT4 statements", () => {
  it("OANDA: Financing rows are stored as financing, and the statement still reconciles", async () => {
    const { accountId, reconciliation } = await importStatement("mt4-oanda/Statement.htm");
    const { rows } = await db.pool.query<{ kind: string; amount: string }>(
      "select kind, amount::text from public.cash_movements where account_id = $1 order by occurred_at",
      [accountId],
    );
    expect(rows).toEqual([
      { kind: "deposit", amount: "5000" },
      { kind: "financing", amount: "-2.46" },
      { kind: "financing", amount: "-0.08" },
    ]);
    // Its Deposit/Withdrawal (4 997.46) counts the financing rows; Balance 4 731.27.
    expect(reconciliation?.allMatch).toBe(true);
  });

  it("Startrader (GBK, no charset): the Chinese comments are stored readable", async () => {
    const { accountId } = await importStatement("mt4-startrader-gbk/Statement.htm");
    const { rows } = await db.pool.query<{ chinese: number; replaced: number }>(
      `select count(*) filter (where comment ~ '[一-龥]')::int as chinese, count(*) filter (where comment like '%' || chr(65533) || '%')::int as replaced
         from public.trades where account_id = $1`,
      [accountId],
    );
    expect(rows[0]).toEqual({ chinese: 96, replaced: 0 });
  });

  it("Fyntura: the magic number under each ticket is stored on its trade", async () => {
    const { accountId } = await importStatement("mt4-fyntura/Statement.htm");
    const { rows } = await db.pool.query<{ magic: string; trades: number }>(
      "select magic::text, count(*)::int as trades from public.trades where account_id = $1 group by magic order by count(*) desc limit 3",
      [accountId],
    );
    expect(rows).toEqual([
      { magic: "21000", trades: 105 },
      { magic: "5421", trades: 80 },
      { magic: "423164", trades: 42 },
    ]);
  });
});
