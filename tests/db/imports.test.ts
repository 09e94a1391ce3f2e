// The import pipeline against a real database, with parsers stubbed by
// in-test ParsedImport objects: staging, preview counts, one-transaction
// import with progress visible from outside, atomicity on a mid-way failure,
// the free-plan refusal, undo, remembered column mappings, rejected-rows CSV.
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import type { ParseOutcome } from "../../app/domain/imports/parse-import.ts";
import type { CashMovementInput, ParsedImport, RejectedRow, TradeInput } from "../../app/domain/trades/types.ts";
import { AppError } from "../../app/lib/app-error.ts";
import { withRlsTransaction } from "../../app/lib/db.server.ts";
import {
  listImportBatches as listImportBatchesInRequest,
  loadRejectedRows as loadRejectedRowsInRequest,
  undoImportBatch as undoImportBatchInRequest,
} from "../../app/models/imports/history.server.ts";
import type { ParseFile } from "../../app/models/imports/parse-staged.server.ts";
import { buildPreview as buildPreviewInRequest } from "../../app/models/imports/preview.server.ts";
import { readProgress as readProgressInRequest } from "../../app/models/imports/progress.server.ts";
import { rejectedRowsCsv } from "../../app/models/imports/rejected-csv.ts";
import { runImport } from "../../app/models/imports/run-import.server.ts";
import {
  loadUpload as loadUploadInRequest,
  saveColumnMapping as saveColumnMappingInRequest,
  stageUpload as stageUploadInRequest,
} from "../../app/models/imports/uploads.server.ts";
import { storeTrades } from "../../app/models/trade-store.server.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createUser, userClaims } from "../support/fixtures.ts";
import { asRequest, asRequestOf } from "./as-request.ts";

const listImportBatches = asRequest(listImportBatchesInRequest);
const loadRejectedRows = asRequest(loadRejectedRowsInRequest);
const undoImportBatch = asRequest(undoImportBatchInRequest);
const buildPreview = asRequest(buildPreviewInRequest);
const readProgress = asRequestOf(readProgressInRequest);
const loadUpload = asRequest(loadUploadInRequest);
const saveColumnMapping = asRequest(saveColumnMappingInRequest);
const stageUpload = asRequest(stageUploadInRequest);

// These tests hand the pipeline their own ParsedImport objects; the real
// parsers are covered beside them and in the browser test (and one test here
// runs a real report through the server's own parser, planImportFile).
vi.mock("../../app/domain/imports/parse-import.ts", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../app/domain/imports/parse-import.ts")>()),
  parseImportFile: () => {
    throw new Error("the pipeline tests pass their own parser");
  },
  detectImportFormat: () => ({ ok: true, format: "json" }),
}));

const db = await createTestDatabase();

function trade(positionId: string, fields: Partial<TradeInput> = {}): TradeInput {
  const openedAt = new Date("2026-03-02T09:15:00Z");
  const closedAt = new Date("2026-03-02T11:40:00Z");
  return {
    positionId,
    symbol: "EURUSD",
    brokerSymbol: "EURUSD",
    direction: "buy",
    status: "closed",
    openedAt,
    closedAt,
    openServerUtcOffsetMinutes: 120,
    closeServerUtcOffsetMinutes: 120,
    volume: "0.5",
    closedVolume: "0.5",
    entryPrice: "1.0825",
    exitPrice: "1.0842",
    initialStopLoss: null,
    stopLoss: null,
    takeProfit: null,
    grossProfit: "85",
    commission: "-3.5",
    swap: "0",
    fee: "0",
    pnlSource: "broker",
    profitCurrency: null,
    conversionRate: null,
    pips: null,
    initialRiskAmount: null,
    closeReason: null,
    magic: null,
    comment: null,
    raw: null,
    legs: [
      {
        dealId: `${positionId}a`,
        orderId: null,
        kind: "entry",
        direction: "buy",
        executedAt: openedAt,
        serverUtcOffsetMinutes: 120,
        volume: "0.5",
        price: "1.0825",
        profit: "0",
        commission: "-1.75",
        swap: "0",
        fee: "0",
        reason: null,
        comment: null,
      },
      {
        dealId: `${positionId}b`,
        orderId: null,
        kind: "exit",
        direction: "sell",
        executedAt: closedAt,
        serverUtcOffsetMinutes: 120,
        volume: "0.5",
        price: "1.0842",
        profit: "85",
        commission: "-1.75",
        swap: "0",
        fee: "0",
        reason: null,
        comment: null,
      },
    ],
    ...fields,
  };
}

const deposit: CashMovementInput = {
  dealId: "D1",
  kind: "deposit",
  amount: "10000",
  occurredAt: new Date("2026-03-01T08:00:00Z"),
  serverUtcOffsetMinutes: 120,
  comment: null,
};

function parsedImport(trades: TradeInput[], extra: Partial<ParsedImport> = {}): ParsedImport {
  return {
    format: "json",
    language: null,
    account: null,
    trades,
    cash: [deposit],
    rejected: [],
    warnings: [],
    sourceRowCount: trades.length,
    ...extra,
  };
}

const parserReturning =
  (parsed: ParsedImport): ParseFile =>
  () => ({ ok: true, parsed });

async function setUp(tier: "free" | "pro" = "pro") {
  const userId = await createUser(db.pool, { tier });
  const accountId = await createAccount(db.pool, userId);
  const claims = userClaims(userId);
  const stage = (content = `file ${Math.random()}`) =>
    stageUpload(db.appPool, claims, {
      fileName: "C:\\reports\\ReportHistory.json",
      bytes: new TextEncoder().encode(content),
      accountId,
      detectedFormat: "json",
    });
  return { userId, accountId, claims, stage };
}

const count = async (sql: string, params: unknown[]) => (await db.pool.query(sql, params)).rows[0].n as number;

describe("staging and preview", () => {
  it("stages the bytes with name, size and hash, and previews the first 10 trades with the duplicates-to-be", async () => {
    const { accountId, claims, stage, userId } = await setUp();
    const uploadId = await stage("0123456789");
    const upload = await loadUpload(db.appPool, claims, uploadId);
    expect(upload).toMatchObject({ fileName: "ReportHistory.json", sizeBytes: 10, accountId, detectedFormat: "json", batchId: null });
    expect(upload!.sha256).toBe("84d89877f0d4041efb6bf91a16f0248f2fd573e6af05c19f96bedb9f882f7882");

    await withRlsTransaction(db.appPool, claims, (c) =>
      storeTrades(c, { userId, accountId, source: "file", importBatchId: null }, { trades: [trade("1"), trade("2")], cash: [] }),
    );
    const trades = Array.from({ length: 12 }, (_, i) => trade(String(i + 1)));
    const preview = await buildPreview(
      db.appPool,
      claims,
      upload!,
      accountId,
      parserReturning(
        parsedImport(trades, {
          rejected: [{ row: 14, reason: "Close time is before open time.", values: { Symbol: "EURUSD" } }],
          warnings: ["2 deals were clipped by the report period"],
        }),
      ),
    );
    expect(preview).toMatchObject({ kind: "ready", tradeCount: 12, alreadyImported: 2, cashCount: 1, rejectedCount: 1, monthlyAllowanceLeft: null });
    if (preview.kind !== "ready") throw new Error("not ready");
    expect(preview.firstTrades).toHaveLength(10);
    expect(preview.firstTrades[0]).toMatchObject({ positionId: "1", netProfit: "81.5" });
  });

  it("reads a staged file larger than one slice back byte for byte", async () => {
    const { accountId, claims } = await setUp();
    const bytes = randomBytes(20 * 1024 * 1024 + 123);
    const uploadId = await stageUpload(db.appPool, claims, { fileName: "big.bin", bytes, accountId, detectedFormat: null });
    const upload = await loadUpload(db.appPool, claims, uploadId);
    expect(upload!.sizeBytes).toBe(bytes.length);
    expect(Buffer.from(upload!.bytes!).equals(bytes)).toBe(true);
    expect(upload!.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect((await loadUpload(db.appPool, claims, uploadId, { withBytes: false }))!.bytes).toBeNull();
  });

  it("another user cannot read the upload", async () => {
    const { stage } = await setUp();
    const uploadId = await stage();
    const other = await createUser(db.pool);
    expect(await loadUpload(db.appPool, userClaims(other), uploadId)).toBeNull();
  });

  it("asks for a column mapping, remembers it per header signature and pre-applies it to the next file", async () => {
    const { accountId, claims, stage } = await setUp();
    const parse: ParseFile = (_bytes, options): ParseOutcome =>
      options.columnMapping?.symbol
        ? { ok: true, parsed: parsedImport([trade("m1")]) }
        : {
            ok: false,
            format: "generic-csv",
            error: { code: "needs-mapping", message: "Tell us which column is which." },
            mapping: {
              headers: ["Sym", "Side"],
              sampleRows: [["EURUSD", "buy"]],
              headerSignature: "sig-1",
              suggested: { symbol: null },
              fields: [{ name: "symbol", label: "Symbol", required: true }],
            },
          };
    const first = await loadUpload(db.appPool, claims, await stage());
    expect((await buildPreview(db.appPool, claims, first!, accountId, parse)).kind).toBe("needs-mapping");
    await saveColumnMapping(db.appPool, claims, first!.id, "sig-1", { symbol: "Sym" });
    expect((await buildPreview(db.appPool, claims, (await loadUpload(db.appPool, claims, first!.id))!, accountId, parse)).kind).toBe("ready");
    const second = await loadUpload(db.appPool, claims, await stage());
    expect(await buildPreview(db.appPool, claims, second!, accountId, parse)).toMatchObject({ kind: "ready", tradeCount: 1 });
  });
});

describe("runImport", () => {
  it("imports in one batch, re-confirming is harmless, and a re-upload of the same file is all duplicates", async () => {
    const { accountId, claims, stage } = await setUp();
    const parsed = parsedImport([trade("10"), trade("11"), trade("12")], { rejected: [{ row: 7, reason: "No symbol.", values: { Symbol: "" } }] });
    const uploadId = await stage();
    const first = await runImport(db.appPool, claims, { uploadId, accountId, parse: parserReturning(parsed) });
    expect(first).toMatchObject({ repeated: false, rejected: 1, result: { inserted: 3, duplicates: 0, cashInserted: 1 } });
    expect(await count("select count(*)::int as n from public.trades where import_batch_id = $1", [first.batchId])).toBe(3);
    expect(await readProgress(db.appPool, claims, uploadId)).toMatchObject({ phase: "done", done: 4, total: 4, batchId: first.batchId });

    const again = await runImport(db.appPool, claims, { uploadId, accountId, parse: parserReturning(parsed) });
    expect(again).toMatchObject({ batchId: first.batchId, repeated: true });

    const second = await runImport(db.appPool, claims, { uploadId: await stage(), accountId, parse: parserReturning(parsed) });
    expect(second.result).toEqual({ inserted: 0, duplicates: 3, updated: 0, cashInserted: 0, cashDuplicates: 1 });
    const history = await listImportBatches(db.appPool, claims);
    expect(history.map((b) => [b.imported, b.duplicates, b.rejected, b.status])).toEqual([
      [0, 3, 1, "completed"],
      [3, 0, 1, "completed"],
    ]);
  });

  it("writes progress on a separate connection that can be read while the import transaction runs", async () => {
    const { accountId, claims, stage } = await setUp();
    const uploadId = await stage();
    const trades = Array.from({ length: 15_000 }, (_, i) => trade(`p${i}`));
    const seen: { phase: string; done: number }[] = [];
    let running = true;
    const poller = (async () => {
      while (running) {
        const p = await readProgress(db.appPool, claims, uploadId);
        if (p) seen.push({ phase: p.phase, done: p.done });
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const outcome = await runImport(db.appPool, claims, { uploadId, accountId, parse: parserReturning(parsedImport(trades)) });
    running = false;
    await poller;
    expect(outcome.result.inserted).toBe(15_000);
    const midway = seen.filter((s) => s.phase === "storing" && s.done > 0 && s.done < 15_001);
    expect(midway.length).toBeGreaterThan(0);
    // While progress said "storing", nothing of the batch was visible outside its transaction.
  }, 120_000);

  it("a failure mid-way leaves no batch, no trades and no cash, and touches nothing already saved", async () => {
    const { accountId, claims, stage, userId } = await setUp();
    await withRlsTransaction(db.appPool, claims, (c) =>
      storeTrades(
        c,
        { userId, accountId, source: "file", importBatchId: null },
        { trades: [trade("saved", { status: "open", closedAt: null, exitPrice: null, closedVolume: "0", legs: [] })], cash: [] },
      ),
    );
    const trades = Array.from({ length: 8000 }, (_, i) => trade(`f${i}`));
    // Row 6001 (second chunk) closes before it opens: the database refuses it.
    trades[6000] = trade("bad", { closedAt: new Date("2026-03-01T00:00:00Z") });
    // The saved open trade shows up closed in the file: it would be updated, and must not be.
    trades.unshift(trade("saved"));
    const uploadId = await stage();
    await expect(runImport(db.appPool, claims, { uploadId, accountId, parse: parserReturning(parsedImport(trades)) })).rejects.toThrow(
      /^The import failed and nothing was saved: the database refused a row of this file \(exit_not_before_entry\)\./,
    );
    expect(await count("select count(*)::int as n from public.import_batches where user_id = $1", [userId])).toBe(0);
    expect(await count("select count(*)::int as n from public.cash_movements where user_id = $1", [userId])).toBe(0);
    const { rows } = await db.pool.query("select position_id, status from public.trades where user_id = $1", [userId]);
    expect(rows).toEqual([{ position_id: "saved", status: "open" }]);
    expect(await readProgress(db.appPool, claims, uploadId)).toMatchObject({ phase: "failed", batchId: null });
  });

  it("refuses a file that would pass the free plan's 15 trades a month, saying how many it has and how many are left", async () => {
    const { accountId, claims, stage, userId } = await setUp("free");
    await withRlsTransaction(db.appPool, claims, (c) =>
      storeTrades(c, { userId, accountId, source: "file", importBatchId: null }, { trades: [trade("a1"), trade("a2"), trade("a3")], cash: [] }),
    );
    const trades = Array.from({ length: 20 }, (_, i) => trade(`free${i}`));
    const uploadId = await stage();
    const failure = await runImport(db.appPool, claims, {
      uploadId,
      accountId,
      parse: parserReturning(parsedImport([trade("a1"), ...trades])),
    }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).hint).toBe("upgrade");
    expect((failure as AppError).message).toMatch(/This file has 20 new trades.*you have 12 trades left this month.*Nothing was imported/);
    expect(await count("select count(*)::int as n from public.trades where user_id = $1", [userId])).toBe(3);
    expect(await count("select count(*)::int as n from public.import_batches where user_id = $1", [userId])).toBe(0);

    // Within the allowance it goes through.
    const ok = await runImport(db.appPool, claims, { uploadId: await stage(), accountId, parse: parserReturning(parsedImport(trades.slice(0, 12))) });
    expect(ok.result.inserted).toBe(12);
  });

  it("reports a file-level parse error with its message and saves nothing", async () => {
    const { accountId, claims, stage, userId } = await setUp();
    const uploadId = await stage();
    const binary: ParseFile = () => ({ ok: false, error: { code: "binary", message: "This looks like a binary file, not a report." } });
    await expect(runImport(db.appPool, claims, { uploadId, accountId, parse: binary })).rejects.toThrow(
      "This looks like a binary file, not a report.",
    );
    expect(await count("select count(*)::int as n from public.import_batches where user_id = $1", [userId])).toBe(0);
  });
});

describe("the server's own parser", () => {
  it("previews and imports a real MT5 report (Node's zlib, trades built chunk by chunk), then a re-upload is all duplicates", async () => {
    const { accountId, claims, userId } = await setUp();
    await db.pool.query("update public.accounts set server_time_zone = 'NY+7' where id = $1", [accountId]);
    const bytes = new Uint8Array(readFileSync(new URL("../fixtures/real/ReportHistory-hfm-demo.xlsx", import.meta.url)));
    const stageReport = () => stageUpload(db.appPool, claims, { fileName: "ReportHistory.xlsx", bytes, accountId, detectedFormat: "mt5-xlsx" });
    const uploadId = await stageReport();
    const preview = await buildPreview(db.appPool, claims, (await loadUpload(db.appPool, claims, uploadId))!, accountId);
    expect(preview).toMatchObject({ kind: "ready", format: "mt5-xlsx", tradeCount: 10, openCount: 1, rejectedCount: 0, alreadyImported: 0 });
    if (preview.kind !== "ready") throw new Error("not ready");
    expect(preview.firstTrades.map((t) => t.positionId).slice(0, 2)).toEqual(["35324172", "35324758"]);
    const first = await runImport(db.appPool, claims, { uploadId, accountId });
    expect(first.result).toMatchObject({ inserted: 10, duplicates: 0 });
    const { rows } = await db.pool.query(
      `select count(*)::int as trades, (select count(*)::int from public.trade_leg_rows where user_id = $1) as legs,
              sum(gross_profit) filter (where status = 'closed')::text as gross
         from public.trades where user_id = $1`,
      [userId],
    );
    expect(rows[0]).toMatchObject({ trades: 10, gross: "-49.67" });
    expect(rows[0].legs).toBeGreaterThanOrEqual(19);
    const again = await runImport(db.appPool, claims, { uploadId: await stageReport(), accountId });
    expect(again.result).toMatchObject({ inserted: 0, duplicates: 10 });
  });
});

describe("undo", () => {
  it("deletes the batch's trades, legs and cash, marks it undone, leaves trades it only updated, and a second undo is harmless", async () => {
    const { accountId, claims, stage, userId } = await setUp();
    await withRlsTransaction(db.appPool, claims, (c) =>
      storeTrades(
        c,
        { userId, accountId, source: "file", importBatchId: null },
        { trades: [trade("u0", { status: "open", closedAt: null, exitPrice: null, closedVolume: "0", legs: [] })], cash: [] },
      ),
    );
    const { batchId } = await runImport(db.appPool, claims, {
      uploadId: await stage(),
      accountId,
      parse: parserReturning(parsedImport([trade("u0"), trade("u1"), trade("u2")])),
    });
    expect(await undoImportBatch(db.appPool, claims, batchId)).toEqual({ tradesDeleted: 2, cashDeleted: 1 });
    const { rows } = await db.pool.query("select position_id, status from public.trades where user_id = $1", [userId]);
    expect(rows).toEqual([{ position_id: "u0", status: "closed" }]);
    expect(await count("select count(*)::int as n from public.trade_leg_rows where user_id = $1", [userId])).toBe(2);
    expect(await count("select count(*)::int as n from public.cash_movements where user_id = $1", [userId])).toBe(0);
    expect(await undoImportBatch(db.appPool, claims, batchId)).toEqual({ tradesDeleted: 0, cashDeleted: 0 });
    const [batch] = await listImportBatches(db.appPool, claims);
    expect(batch).toMatchObject({ status: "undone", imported: 2, updated: 1 });
    expect(batch!.undoneAt).not.toBeNull();
    // After undo the same file imports again.
    const again = await runImport(db.appPool, claims, {
      uploadId: await stage(),
      accountId,
      parse: parserReturning(parsedImport([trade("u1"), trade("u2")])),
    });
    expect(again.result.inserted).toBe(2);
  });

  it("cannot undo another user's batch", async () => {
    const { accountId, claims, stage, userId } = await setUp();
    const { batchId } = await runImport(db.appPool, claims, {
      uploadId: await stage(),
      accountId,
      parse: parserReturning(parsedImport([trade("x1")])),
    });
    const intruder = await createUser(db.pool);
    expect(await undoImportBatch(db.appPool, userClaims(intruder), batchId)).toBeNull();
    expect(await count("select count(*)::int as n from public.trades where user_id = $1", [userId])).toBe(1);
  });
});

describe("rejected rows", () => {
  it("are kept on the batch and download as CSV with formula cells neutralised", async () => {
    const { accountId, claims, stage } = await setUp();
    const rejected: RejectedRow[] = [
      { row: 3, section: "Positions", reason: "Volume is not a number.", values: { Symbol: "=cmd|' /C calc'!A0", Volume: "abc" } },
      { row: 9, reason: 'Unknown side "x"', values: { Symbol: "@SUM(1)", Type: "-x", Note: '+1, "quoted"' } },
    ];
    const { batchId } = await runImport(db.appPool, claims, {
      uploadId: await stage(),
      accountId,
      parse: parserReturning(parsedImport([trade("r1")], { rejected })),
    });
    const stored = await loadRejectedRows(db.appPool, claims, batchId);
    expect(stored!.rows).toEqual(rejected);
    expect(rejectedRowsCsv(stored!.rows).split("\r\n")).toEqual([
      // Value columns in the order the database keeps jsonb keys (shorter first).
      "row,section,reason,Symbol,Volume,Note,Type",
      "3,Positions,Volume is not a number.,'=cmd|' /C calc'!A0,abc,,",
      `9,,"Unknown side ""x""",'@SUM(1),,"'+1, ""quoted""",'-x`,
      "",
    ]);
  });
});
