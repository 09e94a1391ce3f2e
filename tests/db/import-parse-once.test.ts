// Parse once (issue 16, docs/decisions/017): the preview takes the bytes the
// upload handed over instead of reading them back from PostgreSQL, and the
// confirm reuses the preview's parse. Each step is proven by spoiling the
// staged bytes in the database after the step before: a step that read them
// back would fail or store something else.
import { describe, expect, it } from "vitest";
import { withRlsTransaction } from "../../app/lib/db.server.ts";
import { forgetUpload, parsedBefore, sameFileParsed, takeUploadBytes } from "../../app/models/imports/parsed-uploads.server.ts";
import { receiveUpload as receiveUploadInRequest } from "../../app/models/imports/receive-upload.server.ts";
import { buildPreview as buildPreviewInRequest } from "../../app/models/imports/preview.server.ts";
import { runImport } from "../../app/models/imports/run-import.server.ts";
import { loadUpload as loadUploadInRequest, stageUpload as stageUploadInRequest } from "../../app/models/imports/uploads.server.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createUser, userClaims } from "../support/fixtures.ts";
import { asRequest } from "./as-request.ts";

const db = await createTestDatabase();
const stageUpload = asRequest(stageUploadInRequest);
const loadUpload = asRequest(loadUploadInRequest);
const buildPreview = asRequest(buildPreviewInRequest);
const receiveUpload = asRequest(receiveUploadInRequest);

/** Our JSON format: `count` closed trades. */
function jsonFile(count: number): Uint8Array {
  const trades = Array.from({ length: count }, (_, i) => ({
    positionId: String(5000 + i),
    symbol: "EURUSD",
    side: i % 2 ? "sell" : "buy",
    openTime: new Date(Date.UTC(2026, 2, 2, 8, i)).toISOString(),
    closeTime: new Date(Date.UTC(2026, 2, 2, 9, i)).toISOString(),
    volume: "0.1",
    openPrice: "1.08250",
    closePrice: "1.08310",
    profit: "6.00",
    commission: "-0.70",
    swap: "0",
    fee: "0",
  }));
  return new TextEncoder().encode(JSON.stringify(trades));
}

async function setUp(count = 3) {
  const userId = await createUser(db.pool, { tier: "pro" });
  const accountId = await createAccount(db.pool, userId);
  const claims = userClaims(userId);
  const uploadId = await stageUpload(db.appPool, claims, {
    fileName: "t.json",
    bytes: jsonFile(count),
    accountId,
    detectedFormat: "json",
    handOver: true,
  });
  // What a read back would get from now on: not a file of trades at all.
  const spoil = () => db.pool.query("update public.import_uploads set bytes = convert_to('not json', 'UTF8') where id = $1", [uploadId]);
  const preview = async () => buildPreview(db.appPool, claims, (await loadUpload(db.appPool, claims, uploadId))!, accountId);
  const confirm = () => runImport(db.appPool, claims, { uploadId, accountId });
  const stored = async () =>
    (await db.pool.query<{ n: number }>("select count(*)::int as n from public.trades where account_id = $1", [accountId])).rows[0]!.n;
  return { claims, uploadId, accountId, spoil, preview, confirm, stored };
}

describe("parse once", () => {
  it("the preview parses the bytes the upload handed over, and the confirm stores the preview's parse", async () => {
    const { spoil, preview, confirm, stored } = await setUp(3);
    await spoil();
    expect(await preview()).toMatchObject({ kind: "ready", tradeCount: 3 });
    const outcome = await confirm();
    expect(outcome.result).toMatchObject({ inserted: 3 });
    expect(await stored()).toBe(3);
  });

  it("the upload starts the parse while it stages the file: the preview needs neither the staged nor the handed-over bytes", async () => {
    const userId = await createUser(db.pool, { tier: "pro" });
    const accountId = await createAccount(db.pool, userId);
    const claims = userClaims(userId);
    const form = new FormData();
    form.set("accountId", accountId);
    form.set("file", new Blob([jsonFile(5) as Uint8Array<ArrayBuffer>]), "t.json");
    const received = await receiveUpload(db.appPool, claims, new Request("http://localhost/trades/import", { method: "POST", body: form }));
    if (!received.ok) throw new Error(received.message);
    const { rows } = await db.pool.query<{ sha256: string }>("select sha256 from public.import_uploads where id = $1", [received.uploadId]);
    expect(takeUploadBytes({ userId, uploadId: received.uploadId, sha256: rows[0]!.sha256 })).not.toBeNull();
    await db.pool.query("update public.import_uploads set bytes = convert_to('not json', 'UTF8') where id = $1", [received.uploadId]);
    const upload = (await loadUpload(db.appPool, claims, received.uploadId))!;
    expect(await buildPreview(db.appPool, claims, upload, accountId)).toMatchObject({ kind: "ready", tradeCount: 5 });
    expect((await runImport(db.appPool, claims, { uploadId: received.uploadId, accountId })).result).toMatchObject({ inserted: 5 });
  });

  it("without a kept parse (another server, a restart) the confirm reads the staged file and parses it", async () => {
    const { uploadId, preview, confirm, stored, spoil } = await setUp(4);
    expect(await preview()).toMatchObject({ kind: "ready", tradeCount: 4 });
    forgetUpload(uploadId);
    expect((await confirm()).result).toMatchObject({ inserted: 4 });
    expect(await stored()).toBe(4);
    // And a kept parse is never reused once the import is stored: a repeated confirm stores nothing.
    await spoil();
    expect((await confirm()).repeated).toBe(true);
  });

  it("a preview for an account that reads the file differently parses again (the kept parse is for other options)", async () => {
    const { claims, uploadId, accountId, spoil, preview } = await setUp(2);
    expect(await preview()).toMatchObject({ kind: "ready", tradeCount: 2 });
    await db.pool.query("update public.accounts set server_time_zone = 'Europe/London' where id = $1", [accountId]);
    await spoil();
    // Different options: the bytes are read back (now spoiled), so the file no longer parses.
    const again = await buildPreview(db.appPool, claims, (await loadUpload(db.appPool, claims, uploadId))!, accountId);
    expect(again.kind).toBe("error");
  });

  it("a re-import of the same file by the same user takes the stored import's parse: the second upload is not parsed again", async () => {
    const userId = await createUser(db.pool, { tier: "pro" });
    const accountId = await createAccount(db.pool, userId);
    const claims = userClaims(userId);
    const bytes = jsonFile(6);
    const upload = async () => {
      const form = new FormData();
      form.set("accountId", accountId);
      form.set("file", new Blob([bytes as Uint8Array<ArrayBuffer>]), "t.json");
      const received = await receiveUpload(db.appPool, claims, new Request("http://localhost/trades/import", { method: "POST", body: form }));
      if (!received.ok) throw new Error(received.message);
      return (await loadUpload(db.appPool, claims, received.uploadId))!;
    };
    const first = await upload();
    expect(await buildPreview(db.appPool, claims, first, accountId)).toMatchObject({ kind: "ready", tradeCount: 6, alreadyImported: 0 });
    expect((await runImport(db.appPool, claims, { uploadId: first.id, accountId })).result).toMatchObject({ inserted: 6 });
    const options = { serverTimeZone: "NY+7", marginMode: "hedging", accountCurrency: "USD" } as const;
    const account = (await db.pool.query("select server_time_zone, margin_mode, currency from public.accounts where id = $1", [accountId])).rows[0];
    expect(account).toEqual({ server_time_zone: options.serverTimeZone, margin_mode: options.marginMode, currency: options.accountCurrency });
    const stored = sameFileParsed({ userId, sha256: first.sha256 }, options);
    expect(stored).not.toBeNull();

    const second = await upload();
    expect(second.id).not.toBe(first.id);
    // The very parse of the first upload (one object), not a new parse of the same bytes.
    expect(await parsedBefore({ userId, uploadId: second.id, sha256: second.sha256 }, options)).toBe(await stored);
    expect(await buildPreview(db.appPool, claims, second, accountId)).toMatchObject({ kind: "ready", tradeCount: 6, alreadyImported: 6 });
    expect((await runImport(db.appPool, claims, { uploadId: second.id, accountId })).result).toMatchObject({ inserted: 0, duplicates: 6 });
    // Another user's upload of the same bytes finds nothing of this user's.
    expect(sameFileParsed({ userId: await createUser(db.pool), sha256: first.sha256 }, options)).toBeNull();
    // Nor do the same bytes read with other options.
    expect(sameFileParsed({ userId, sha256: first.sha256 }, { ...options, serverTimeZone: "Europe/London" })).toBeNull();
    // The stored file's plan gives way as soon as another file is parsed (it never adds to an import's memory).
    const other = await stageUpload(db.appPool, claims, {
      fileName: "u.json",
      bytes: jsonFile(2),
      accountId,
      detectedFormat: "json",
      handOver: true,
    });
    expect(sameFileParsed({ userId, sha256: first.sha256 }, options)).not.toBeNull();
    expect(await buildPreview(db.appPool, claims, (await loadUpload(db.appPool, claims, other))!, accountId)).toMatchObject({
      kind: "ready",
      tradeCount: 2,
    });
    expect(sameFileParsed({ userId, sha256: first.sha256 }, options)).toBeNull();
  });

  it("another user gets nothing of the kept bytes or parse", async () => {
    const { uploadId } = await setUp(2);
    const stranger = userClaims(await createUser(db.pool));
    expect(await withRlsTransaction(db.appPool, stranger, (client) => loadUploadInRequest(client, stranger, uploadId))).toBeNull();
  });
});
