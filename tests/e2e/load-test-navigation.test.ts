// The load test's client mode sends what a real browser sends. Chromium
// clicks through the load test's rounds on the built app
// (bench/load-test/record-navigation.ts records every request), then the
// load test's own trader (bench/load-test/trader-session.ts) makes the same
// clicks as the load test makes them (bench/load-test/client-round.ts): the
// two must send the same requests, click by click, and every answer must be
// what a working app gives. When the app changes how it navigates (a route
// opting out of revalidation adds `_routes`, a link stops prefetching, a
// form moves), this fails and the recorder shows what Chromium sends now.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { clickRequests, manifestVersion, type Click, type SessionIds } from "../../bench/load-test/client-round.ts";
import { describeRequest, placeholders, recordBrowsing, ROUND, serverRequests } from "../../bench/load-test/record-navigation.ts";
import { TraderSession, type RequestRecord } from "../../bench/load-test/trader-session.ts";
import { createConfirmedUser } from "../support/app-server.ts";
import { browserSuite } from "../support/browser-suite.ts";
import { createAccount, createTrade } from "../support/fixtures.ts";

const REPORT = fileURLToPath(new URL("../fixtures/real/public/vantage-en/ReportHistory-25858699.xlsx", import.meta.url));

const { app, signIn } = browserSuite({ testTimeout: 240_000 });

/** An Elite trader with a few closed trades on an MT5 account and an account to import into, as the load test seeds. */
async function seededTrader() {
  const user = await createConfirmedUser(app);
  const db = app.db.pool;
  await db.query("update public.profiles set subscription_tier = 'elite' where id = $1", [user.id]);
  const mt5 = await createAccount(db, user.id, { name: "Live MT5", kind: "mt5", mt5_server: "RawBroker-Demo", mt5_login: 51000001 });
  for (let day = 1; day <= 6; day++) {
    await createTrade(db, user.id, mt5, { opened_at: `2026-11-0${day}T09:00:00Z`, closed_at: `2026-11-0${day}T11:00:00Z` });
  }
  const importAccountId = await createAccount(db, user.id, { name: "Vantage (imports)" });
  return { user, importAccountId };
}

/** The clicks the recorder made from round 2 on (a round, an import round, a reload), in order. */
const REPLAYED: Click[] = [...ROUND, "dashboard (reload)"];

describe("the load test's client mode", () => {
  it("sends, click by click, what Chromium sends on the app, and every answer is what a working app gives", async () => {
    const { user, importAccountId } = await seededTrader();
    const { context, page } = await signIn(user, { viewport: { width: 1280, height: 900 } });
    await page.goto("about:blank");
    const recorded = await recordBrowsing(page, app.url, { importFile: REPORT, importAccountId, rounds: 2 });
    const chromium = [...serverRequests(recorded.requests, 2)].map(([click, lines]) => ({ click: click.split(":")[2], requests: lines.sort() }));

    // The same clicks by the load test's trader, in the same session (Chromium's cookies).
    const records: RequestRecord[] = [];
    const trader = new TraderSession(app.url, records, { bytes: new Uint8Array(await readFile(REPORT)), name: "ReportHistory-25858699.xlsx" });
    for (const cookie of await context.cookies()) trader.cookies.set(cookie.name, cookie.value);
    const { body } = await trader.read("document", "/dashboard");
    const ids: SessionIds = { tradeId: recorded.ids.tradeId!, importAccountId, version: manifestVersion(body)! };
    const replayed: { click: string; requests: string[] }[] = [];
    for (const click of REPLAYED) {
      const before = trader.sent.length;
      expect(await trader.click(click, "client", ids), `${click}: ${JSON.stringify(records.filter((r) => r.error))}`).toBe(true);
      const lines: string[] = [];
      for (const sent of trader.sent.slice(before)) {
        const named = (text: string) => placeholders(text, { ...ids, accountId: importAccountId });
        const form = sent.form && Object.fromEntries(Object.entries(sent.form).map(([key, value]) => [key, named(value)]));
        const line = describeRequest(sent.method, named(decodeURIComponent(sent.path)), sent.prefetch, form);
        if (!(line.endsWith("/progress") && lines.at(-1) === line)) lines.push(line);
      }
      replayed.push({ click, requests: lines.sort() });
    }

    expect(replayed).toEqual(chromium);
    expect(records.filter((r) => r.error)).toEqual([]);
    // Every request of the round was judged: reads 200 with their content type, the three forms' single-fetch redirects.
    expect(records.filter((r) => r.kind === "write").map((r) => `${r.name} ${r.status}`)).toEqual([
      "import upload 202",
      "import confirm 202",
      "import undo 202",
    ]);
    await context.close();
  });

  it("makes the same clicks as documents in document mode, every answer what a working app gives", async () => {
    const { user, importAccountId } = await seededTrader();
    const { context } = await signIn(user);
    const records: RequestRecord[] = [];
    const trader = new TraderSession(app.url, records, { bytes: new Uint8Array(await readFile(REPORT)), name: "ReportHistory-25858699.xlsx" });
    for (const cookie of await context.cookies()) trader.cookies.set(cookie.name, cookie.value);
    const tradeId = (await app.db.pool.query("select id from public.trades where user_id = $1 limit 1", [user.id])).rows[0].id as string;
    const ids: SessionIds = { tradeId, importAccountId, version: "" };
    for (const click of REPLAYED) expect(await trader.click(click, "document", ids)).toBe(true);
    expect(records.filter((r) => r.error)).toEqual([]);
    expect(records.map((r) => r.name)).toEqual(REPLAYED.flatMap((click) => clickRequests(click, "document").map((r) => r.name)));
    expect(records.filter((r) => r.kind === "write").map((r) => r.status)).toEqual([302, 302, 302]);
    await context.close();
  });
});
