// Rate limits shared across app processes and the defects an outsider found
// attacking the sign-in form (issue 19 item 5), over real HTTP: two app
// processes (the app's server entry, scripts/serve.ts) on one database, and
// clients on distinct loopback addresses (127.0.0.x), which is what the
// limits must tell apart.
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SOCKET_ADDRESS_HEADER } from "../../app/lib/socket-address-header.ts";
import { REPO_ROOT } from "../../supabase/local/database.ts";
import { createConfirmedUser, serverBuildPath, startAppForTests, type AppUnderTest } from "../support/app-server.ts";
import { createAccount } from "../support/fixtures.ts";
import { freePort } from "../support/local-supabase.ts";
import { cookiesOf, send, type Answer } from "../support/http-client.ts";

vi.setConfig({ testTimeout: 60_000 });

let app: AppUnderTest;
let second: string;

/** A second app process on the same database and Auth server, as a second container would be. */
async function startSecondProcess(first: AppUnderTest): Promise<string> {
  const port = await freePort();
  const child = execa(process.execPath, [path.join(REPO_ROOT, "scripts/serve.ts"), serverBuildPath()], {
    cwd: REPO_ROOT,
    env: {
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      // The same site as the first: a load balancer in front of both.
      SITE_URL: first.url,
      SUPABASE_URL: first.supabase.url,
      SUPABASE_ANON_KEY: first.supabase.anonKey,
      SUPABASE_JWT_SECRET: first.supabase.jwtSecret!,
      APP_DATABASE_URL: first.db.webUrl,
    },
    extendEnv: true,
    reject: false,
  });
  afterAll(async () => {
    child.kill("SIGTERM");
    await child;
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return url;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the second app process did not start");
}

async function setRule(name: string, maxHits: number, windowSeconds: number): Promise<void> {
  await app.db.pool.query("update public.rate_limit_rules set max_hits = $2, window_seconds = $3 where name = $1", [name, maxHits, windowSeconds]);
}

/** A sign-in form post as a browser on the app's own pages sends it. */
function signIn(base: string, email: string, password: string, from: string, headers: Record<string, string> = {}): Promise<Answer> {
  return send(`${base}/login?index`, { method: "POST", from, form: { email, password }, headers: { origin: base, ...headers } });
}

beforeAll(async () => {
  app = await startAppForTests();
  second = await startSecondProcess(app);
}, 90_000);

describe("shared rate limits", () => {
  it("two app processes share one limit: the fourth sign-in from one address is refused by either, with Retry-After", async () => {
    await setRule("sign-in-address", 3, 3600);
    try {
      const answers = [];
      for (const base of [app.url, second, app.url, second]) answers.push(await signIn(base, "first@example.test", "wrong-password", "127.0.0.5"));
      expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 429]);
      const refused = answers[3]!;
      expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
      expect(Number(refused.headers["retry-after"])).toBeLessThanOrEqual(3600);
      expect(refused.body).toContain("Too many sign-in attempts.");
      // Another address is not affected.
      expect((await signIn(second, "first@example.test", "wrong-password", "127.0.0.6")).status).toBe(401);
    } finally {
      await setRule("sign-in-address", 20, 60);
    }
  });

  it("a client reaching the app directly cannot dodge the limit by rotating X-Forwarded-For (no trusted proxy by default) or the header the server entry writes the socket address into", async () => {
    await setRule("sign-in-address", 3, 3600);
    try {
      const statuses = [];
      for (let i = 1; i <= 4; i++) {
        const answer = await signIn(app.url, `rotating-${i}@example.test`, "wrong-password", "127.0.0.7", {
          "x-forwarded-for": `198.51.100.${i}`,
          [SOCKET_ADDRESS_HEADER]: `203.0.113.${i}`,
        });
        statuses.push(answer.status);
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await setRule("sign-in-address", 20, 60);
    }
  });

  it("twenty wrong passwords from an attacker do not lock the owner out at their own address; guessing from many addresses backs off", async () => {
    const owner = await createConfirmedUser(app);
    const attacker = [];
    for (let i = 0; i < 20; i++) attacker.push((await signIn(app.url, owner.email, "not-the-password", "127.0.0.8")).status);
    expect(attacker.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(attacker.slice(5).every((s) => s === 429)).toBe(true);

    const own = await signIn(second, owner.email, owner.password, "127.0.0.9");
    expect(own.status).toBe(302);
    expect(own.headers.location).toBe("/dashboard");

    // Past five failures on the account, an address that has just failed waits before its next try…
    expect((await signIn(app.url, owner.email, "guess-1", "127.0.0.10")).status).toBe(401);
    const again = await signIn(app.url, owner.email, "guess-2", "127.0.0.10");
    expect(again.status).toBe(429);
    expect(Number(again.headers["retry-after"])).toBeGreaterThan(0);
    // …while the owner, who has not failed, still signs in at once.
    expect((await signIn(app.url, owner.email, owner.password, "127.0.0.9")).status).toBe(302);
  });

  it("repeated exports get the friendly 429 page with Retry-After", async () => {
    const user = await createConfirmedUser(app);
    const signedIn = await signIn(app.url, user.email, user.password, "127.0.0.11");
    const cookie = cookiesOf(signedIn);
    await setRule("export-user", 1, 3600);
    try {
      expect((await send(`${app.url}/trades/export`, { headers: { cookie }, from: "127.0.0.11" })).status).toBe(200);
      const refused = await send(`${app.url}/trades/export`, { headers: { cookie }, from: "127.0.0.11" });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
      expect(refused.headers["content-type"]).toContain("text/html");
      expect(refused.body).toContain("Slow down a little");
      expect(refused.body).toContain("You have exported many times in a short time.");
    } finally {
      await setRule("export-user", 60, 3600);
    }
  });
});

describe("uploads", () => {
  it("past the upload limit, the import form says how long to wait (429, Retry-After) and the page still works", async () => {
    const user = await createConfirmedUser(app);
    const cookie = cookiesOf(await signIn(app.url, user.email, user.password, "127.0.0.14"));
    await setRule("upload-user", 1, 3600);
    try {
      const post = () =>
        send(`${app.url}/trades/import?index`, { method: "POST", form: { accountId: "" }, headers: { cookie, origin: app.url }, from: "127.0.0.14" });
      expect((await post()).status).toBe(400);
      const refused = await post();
      expect(refused.status).toBe(429);
      expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
      expect(refused.body).toContain("You have uploaded many files in a short time.");
    } finally {
      await setRule("upload-user", 60, 3600);
    }
  });
});

describe("webhooks", () => {
  it("past the delivery limit, /webhooks/stripe answers 429 with Retry-After before reading the signature", async () => {
    await setRule("webhook-address", 1, 3600);
    try {
      const deliver = () =>
        send(`${app.url}/webhooks/stripe`, {
          method: "POST",
          headers: { "content-type": "application/json", "stripe-signature": "t=1,v1=forged" },
          body: "{}",
          from: "127.0.0.15",
        });
      expect((await deliver()).status).toBe(400);
      const refused = await deliver();
      expect(refused.status).toBe(429);
      expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
      // Another address is still heard.
      expect(
        (
          await send(`${app.url}/webhooks/stripe`, {
            method: "POST",
            headers: { "content-type": "application/json", "stripe-signature": "t=1,v1=forged" },
            body: "{}",
            from: "127.0.0.16",
          })
        ).status,
      ).toBe(400);
    } finally {
      await setRule("webhook-address", 600, 60);
    }
  });
});

describe("defects found attacking the sign-in form", () => {
  it("a cross-site form post gets the app's 403 page, not an empty 500", async () => {
    for (const origin of ["https://evil.example", "null"]) {
      const answer = await signIn(app.url, "nobody@example.test", "x", "127.0.0.12", { origin });
      expect(answer.status).toBe(403);
      expect(answer.headers["content-type"]).toContain("text/html");
      expect(answer.body).toContain("This request did not come from RawJournal, so it was refused.");
    }
  });

  it("signed-in pages and their data say Cache-Control: no-store; the rejected-rows CSV says nosniff", async () => {
    const user = await createConfirmedUser(app);
    const cookie = cookiesOf(await signIn(app.url, user.email, user.password, "127.0.0.13"));
    for (const page of ["/dashboard", "/trades", "/dashboard.data"]) {
      const answer = await send(`${app.url}${page}`, { headers: { cookie }, from: "127.0.0.13" });
      expect(answer.status, page).toBe(200);
      expect(answer.headers["cache-control"], page).toContain("no-store");
    }
    const accountId = await createAccount(app.db.pool, user.id);
    const { rows } = await app.db.pool.query<{ id: string }>(
      `insert into public.import_batches (user_id, account_id, format, status, rejected_count, rejected_rows)
       values ($1, $2, 'generic-csv', 'completed', 1, $3) returning id`,
      [user.id, accountId, JSON.stringify([{ row: 2, reason: "bad date", values: { time: "<html><script>alert(1)</script>" } }])],
    );
    const csv = await send(`${app.url}/trades/imports/${rows[0]!.id}/rejected.csv`, { headers: { cookie }, from: "127.0.0.13" });
    expect(csv.status).toBe(200);
    expect(csv.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("the local Auth server's password grant is limited like GoTrue's /token (a burst of 30, then 150 per 5 minutes per address)", async () => {
    const statuses: number[] = [];
    const codes: string[] = [];
    for (let i = 0; i < 32; i++) {
      const answer = await send(`${app.supabase.url}/auth/v1/token?grant_type=password`, {
        method: "POST",
        from: "127.0.0.20",
        headers: { apikey: app.supabase.anonKey, "content-type": "application/json" },
        body: JSON.stringify({ email: "nobody@example.test", password: "guess-guess!" }),
      });
      statuses.push(answer.status);
      codes.push((JSON.parse(answer.body) as { code?: string }).code ?? "");
    }
    expect(statuses.slice(0, 30).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
    expect(codes.slice(30)).toEqual(["over_request_rate_limit", "over_request_rate_limit"]);
    // Another address has its own bucket.
    expect(
      (
        await send(`${app.supabase.url}/auth/v1/token?grant_type=password`, {
          method: "POST",
          from: "127.0.0.21",
          headers: { apikey: app.supabase.anonKey, "content-type": "application/json" },
          body: "{}",
        })
      ).status,
    ).toBe(400);
  });
});
