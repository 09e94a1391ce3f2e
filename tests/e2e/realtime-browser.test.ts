// A page running supabase-js in real Chromium receives its postgres_changes from
// the local Realtime within a second of the insert, and nobody else's.
import { readFile } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { signJwt } from "../../supabase/local/jwt.ts";
import { REPO_ROOT } from "../../supabase/local/database.ts";
import { collectPageErrors, launchChromium } from "../support/browser.ts";
import { createAccount, createTrade, createUser } from "../support/fixtures.ts";
import { freePort, startSupabaseForTests } from "../support/local-supabase.ts";

const sut = await startSupabaseForTests();
const db = sut.db!;

const supabaseUmd = await readFile(path.join(REPO_ROOT, "node_modules/@supabase/supabase-js/dist/umd/supabase.js"));
const pagePort = await freePort();
const page = http.createServer((req, res) => {
  if (req.url === "/supabase.js") {
    res.writeHead(200, { "content-type": "text/javascript" }).end(supabaseUmd);
    return;
  }
  res.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><html><body>
    <script src="/supabase.js"></script>
    <script>
      const params = new URLSearchParams(location.search);
      window.received = [];
      // The access token comes from the app's loader in the product; supabase-js
      // asks this callback whenever it (re)authenticates the socket.
      const client = supabase.createClient(${JSON.stringify(sut.url)}, ${JSON.stringify(sut.anonKey)}, {
        accessToken: async () => params.get("token"),
      });
      // Resolve the token before joining, or the join goes out with the anon key.
      client.realtime.setAuth().then(() => client
        .channel("my-trades")
        .on("postgres_changes",
            { event: "INSERT", schema: "public", table: "trades", filter: "user_id=eq." + params.get("user") },
            (change) => window.received.push({ at: Date.now(), id: change.new.id, symbol: change.new.symbol }))
        .subscribe((status) => { window.channelStatus = status; }));
    </script></body></html>`);
});
await new Promise<void>((resolve) => page.listen(pagePort, "127.0.0.1", resolve));
afterAll(() => new Promise<void>((resolve) => page.close(() => resolve())));

it("delivers the user's own insert within a second, and not another user's", async () => {
  const alice = await createUser(db.pool, { tier: "pro" });
  const bob = await createUser(db.pool, { tier: "pro" });
  const aliceAccount = await createAccount(db.pool, alice);
  const bobAccount = await createAccount(db.pool, bob);
  const now = Math.floor(Date.now() / 1000);
  const token = await signJwt(sut.jwtSecret!, {
    sub: alice,
    role: "authenticated",
    aud: "authenticated",
    iat: now,
    exp: now + 600,
    session_id: crypto.randomUUID(),
  });

  const browser = await launchChromium();
  try {
    const tab = await browser.newPage();
    const errors = collectPageErrors(tab);
    await tab.goto(`http://127.0.0.1:${pagePort}/?user=${alice}&token=${token}`);
    await tab.waitForFunction(() => (window as unknown as { channelStatus?: string }).channelStatus === "SUBSCRIBED", null, {
      timeout: 10_000,
    });

    await createTrade(db.pool, bob, bobAccount, { symbol: "GBPUSD" });
    const insertedAt = Date.now();
    const tradeId = await createTrade(db.pool, alice, aliceAccount, { symbol: "XAUUSD" });
    await tab.waitForFunction(() => (window as unknown as { received: unknown[] }).received.length > 0, null, { timeout: 5_000 });
    await new Promise((r) => setTimeout(r, 300)); // time for a wrong delivery to show up
    const received = (await tab.evaluate(() => (window as unknown as { received: unknown[] }).received)) as Array<{
      at: number;
      id: string;
      symbol: string;
    }>;
    expect(received.map((r) => r.id)).toEqual([tradeId]);
    expect(received[0]!.symbol).toBe("XAUUSD");
    expect(received[0]!.at - insertedAt).toBeLessThan(1000);
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
  }
});
