// Every real export in tests/fixtures/real through the import page's own
// pipeline (format detection, stageUpload, runImport into a fresh account),
// twice. Expected figures are read off the files, not the parser: closed and
// open counts from their sections (SOURCES.md counts), the net figure each
// prints in its own summary, and its balance/credit rows. MT5's "Total Net
// Profit" (Results) sums every deal, so it is compared with the net of all
// stored trades (an open position's realised part and entry commission
// included); MT4's "Closed Trade P/L" (Summary) with the closed trades'. The
// Slovak file has no Results: the sum of its Komisia, Swap and Zisk columns.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { dec, toDecimalString } from "../../app/domain/decimal.ts";
import { detectImportFormat } from "../../app/domain/imports/parse-import.ts";
import { runImport } from "../../app/models/imports/run-import.server.ts";
import { stageUpload as stageUploadInRequest } from "../../app/models/imports/uploads.server.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createUser, userClaims } from "../support/fixtures.ts";
import { asRequest } from "./as-request.ts";

const stageUpload = asRequest(stageUploadInRequest);
const db = await createTestDatabase();
const ROOT = fileURLToPath(new URL("../fixtures/real/", import.meta.url));

interface Imported {
  /** Closed and open trades stored. */
  closed: number;
  open: number;
  /** The net figure the file prints, against the stored trades' net_profit (closed ones only for MT4). */
  net: string;
  cashRows: number;
  currency?: string;
}
interface Refused {
  refused: RegExp;
}

const FILES: Record<string, Imported | Refused> = {
  "ReportHistory-hfm-demo.xlsx": { closed: 9, open: 1, net: "-49.67", cashRows: 1 },
  "mt4-Statement.htm": { closed: 124, open: 1, net: "8205.65", cashRows: 1 },
  // The MT5 HTML template (placeholders, no data): not a report.
  "ReportHistory-template.htm": { refused: /not a MetaTrader report/ },
  "public/mt5-template-newer/ReportHistory.htm": { refused: /not a MetaTrader report/ },
  // "Profit Total Net: 772.80" includes open position 479327047's 0.02-lot partial close (its
  // Positions row reads "0.02 / 0.05") and the 6 open positions' entry commissions (−0.61).
  "public/ftmo-fr/ReportHistory-1513621052.xlsx": { closed: 374, open: 6, net: "772.8", cashRows: 1 },
  "public/ftmo-fr/ReportTrade-1512498604.xlsx": { refused: /Trade Account Report/ },
  "public/oanda-jp/ReportHistory-400078005.html": { closed: 85, open: 1, net: "2745", cashRows: 1, currency: "JPY" },
  "public/oanda-jp/ReportTrade-400078005.html": { refused: /Trade Account Report/ },
  "public/metaquotes-jp/ReportHistory-10009822126.xlsx": { closed: 111, open: 4, net: "-62622", cashRows: 1, currency: "JPY" },
  "public/icmarkets-sk/ReportHistory-7024848.xlsx": { closed: 412, open: 0, net: "7961.67", cashRows: 0, currency: "EUR" },
  "public/metaquotes-bg-en/ReportHistory-5014131788.html": { closed: 18, open: 1, net: "-3.3", cashRows: 1 },
  "public/metaquotes-bg-en/ReportHistory-70358000.html": { closed: 658, open: 85, net: "-50.84", cashRows: 1, currency: "EUR" },
  "public/vantage-en/ReportHistory-25858699.xlsx": { closed: 8, open: 0, net: "822.08", cashRows: 1 },
  "public/xm-en/ReportHistory-314575560sa.xlsx": { closed: 63, open: 0, net: "359.34", cashRows: 5 },
  "public/xm-en/reporte25-11.xlsx": { closed: 62, open: 1, net: "387.27", cashRows: 5 },
  "public/xm-en/reporte25-11.csv": { closed: 62, open: 1, net: "387.27", cashRows: 5 },
  // User-edited: no Positions title, positive figures erased: only its open position is a trade
  // (its 2 balance + 3 credit rows are kept, their erased amounts as 0).
  "public/xm-en/ReportHistory-314575560.xlsx": { closed: 0, open: 1, net: "0", cashRows: 5 },
  "public/mt4-oanda/Statement.htm": { closed: 42, open: 0, net: "-266.19", cashRows: 3 },
  "public/mt4-fyntura/Statement.htm": { closed: 297, open: 5, net: "1635.24", cashRows: 3 },
  "public/mt4-fyntura/DetailedStatement.htm": { closed: 297, open: 5, net: "1635.24", cashRows: 3 },
  "public/mt4-ronnaru-jpy/Statement.htm": { closed: 729, open: 20, net: "-103107", cashRows: 2, currency: "JPY" },
  "public/mt4-ronnaru-jpy/DetailedStatement.htm": { closed: 1761, open: 22, net: "-348604", cashRows: 2, currency: "JPY" },
  "public/mt4-startrader-gbk/Statement.htm": { closed: 422, open: 0, net: "172705.68", cashRows: 3 },
  "public/mt4-ecmarkets/Statement.htm": { closed: 622, open: 0, net: "682.56", cashRows: 1 },
  "public/mt4-rawtrading/Statement.htm": { closed: 42, open: 0, net: "99.31", cashRows: 1 },
};

function corpusFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? corpusFiles(path) : [path];
    })
    .filter((path) => !path.endsWith(".md"));
}

async function importOnce(claims: ReturnType<typeof userClaims>, accountId: string, fileName: string, bytes: Uint8Array) {
  const detected = detectImportFormat(bytes);
  if (!detected.ok) throw new Error(detected.error.message);
  const uploadId = await stageUpload(db.appPool, claims, { fileName, bytes, accountId, detectedFormat: detected.format });
  return runImport(db.appPool, claims, { uploadId, accountId });
}

describe("every real report in tests/fixtures/real, through the import pipeline", () => {
  const onDisk = corpusFiles(ROOT).map((path) => relative(ROOT, path).split("\\").join("/"));

  it("has expected figures for every file in the folder", () => {
    expect(onDisk.sort()).toEqual(Object.keys(FILES).sort());
  });

  it.each(Object.entries(FILES))("%s", async (path, expected) => {
    const bytes = new Uint8Array(readFileSync(join(ROOT, path)));
    const userId = await createUser(db.pool, { tier: "pro" });
    const currency = "currency" in expected ? expected.currency : undefined;
    const accountId = await createAccount(db.pool, userId, currency ? { currency } : {});
    const claims = userClaims(userId);
    const fileName = path.split("/").pop()!;

    if ("refused" in expected) {
      const detected = detectImportFormat(bytes);
      const failure = detected.ok
        ? await importOnce(claims, accountId, fileName, bytes).then(
            () => null,
            (error: Error) => error.message,
          )
        : detected.error.message;
      expect(failure).toMatch(expected.refused);
      const { rows } = await db.pool.query("select count(*)::int as n from public.trades where account_id = $1", [accountId]);
      expect(rows[0].n).toBe(0);
      return;
    }

    const first = await importOnce(claims, accountId, fileName, bytes);
    expect(first.result.inserted).toBe(expected.closed + expected.open);
    const detected = detectImportFormat(bytes);
    // MT4's Closed Trade P/L covers closed trades only; MT5's Total Net Profit every deal.
    const closedOnly = detected.ok && detected.format === "mt4-html";
    const { rows } = await db.pool.query<{ closed: number; open: number; net: string }>(
      `select count(*) filter (where status = 'closed')::int as closed, count(*) filter (where status = 'open')::int as open,
              coalesce(sum(net_profit) filter (where status = 'closed' or not $2::boolean), 0)::text as net
         from public.trades where account_id = $1`,
      [accountId, closedOnly],
    );
    const cash = await db.pool.query<{ n: number }>("select count(*)::int as n from public.cash_movements where account_id = $1", [accountId]);
    expect({ closed: rows[0]!.closed, open: rows[0]!.open, net: toDecimalString(dec(rows[0]!.net)), cashRows: cash.rows[0]!.n }).toEqual({
      closed: expected.closed,
      open: expected.open,
      net: expected.net,
      cashRows: expected.cashRows,
    });

    // The same file again adds nothing.
    const again = await importOnce(claims, accountId, `again-${fileName}`, bytes);
    expect(again.result).toMatchObject({ inserted: 0, cashInserted: 0 });
    const after = await db.pool.query<{ n: number }>("select count(*)::int as n from public.trades where account_id = $1", [accountId]);
    expect(after.rows[0]!.n).toBe(expected.closed + expected.open);
  });
});
