// Deal → toast latency (issue 6), in real time: the simulator trades on its own
// (a close every few seconds), the jobs process syncs at the real 15 s cadence,
// and a signed-in Chromium tab on the dashboard shows each close as a toast.
//  - deal visible in the simulator → toast: the trade's close time (the deal's
//    time on the simulated terminal, converted to UTC) to the toast appearing
//    in the page — target p95 < 16 s at the 15 s cadence;
//  - the pipeline's own part: the bridge's answer carrying the closing deal
//    (jobs process) to the toast in the page — target p95 < 500 ms.
// Both ends are read on this machine's clock.
//
// `npm run bench sync-latency` (`npx tsx bench/sync-latency.ts`); BENCH_CLOSES (default 30).
import { writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { sealWith } from "../app/lib/credential-seal.server.ts";
import { generateCredentialKeyPair, loadCredentialKeyring } from "../jobs/credentials/credential-keys.ts";
import { systemClock } from "../jobs/clock.ts";
import { startJobsRuntime } from "../jobs/runtime.ts";
import { launchChromium } from "../tests/support/browser.ts";
import { startBenchStack } from "./support/app-stack.ts";
import { loadAverage, summary } from "./support/stats.ts";

const CLOSES = Number(process.env.BENCH_CLOSES ?? 30);
const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const credentialKeys = generateCredentialKeyPair("bench");
const stack = await startBenchStack("sync-latency", { env: { CREDENTIALS_PUBLIC_KEYS: credentialKeys.publicEntry } });

const scenario = path.join(stack.dataDir, "live.json");
await writeFile(
  scenario,
  JSON.stringify({
    name: "latency",
    start: "now",
    speed: 1,
    latency_ms: { initialize: 400, same_server: 150, switch_server: 1500 },
    servers: { "RawBroker-Demo": { zone: "NY+7", company: "RawBroker Ltd" } },
    symbols: ["EURUSD", "GBPUSD", "USDJPY", "XAUUSD"],
    accounts: [
      {
        login: 50400400,
        server: "RawBroker-Demo",
        investor_password: "latency",
        currency: "USD",
        margin_mode: "hedging",
        ticket_base: 80000000,
        generator: {
          seed: 3,
          max_open: 2,
          symbols: ["EURUSD", "GBPUSD", "USDJPY", "XAUUSD"],
          history: { from: "-2d", interval: ["3h", "6h"] },
          live: { interval: [3, 6] },
        },
      },
    ],
  }),
);

const email = "latency@example.test";
const password = "latency-password-1";
const userId = await stack.createUser(email, password, "elite");
const owner = new pg.Client({ connectionString: stack.databaseUrl });
await owner.connect();
const { rows } = await owner.query<{ id: string }>(
  `insert into public.accounts (user_id, name, kind, mt5_server, mt5_login, server_time_zone, server_time_zone_confirmed)
   values ($1, 'Latency', 'mt5', 'RawBroker-Demo', 50400400, 'NY+7', true) returning id`,
  [userId],
);
const accountId = rows[0]!.id;
const keyring = loadCredentialKeyring(credentialKeys.privateEntry);
const secret = sealWith(keyring.current, "latency", { context: accountId });
await owner.query("insert into public.account_credentials (account_id, user_id, password_ciphertext, key_id) values ($1, $2, $3, $4)", [
  accountId,
  userId,
  Buffer.from(secret.ciphertext),
  secret.keyId,
]);

/** Trade id → when the jobs process had the bridge's answer with its closing deal. */
const answeredAt = new Map<string, number>();
const jobs = await startJobsRuntime({
  databaseUrl: stack.databaseUrl,
  appDatabaseUrl: stack.appDatabaseUrl,
  supabaseUrl: stack.supabaseUrl,
  serviceRoleKey: stack.keys.serviceRoleKey,
  keyring,
  bridge: {
    python: process.env.PYTHON ?? "python3",
    env: {
      RAWJOURNAL_MT5_MODULE: "simulator",
      RAWJOURNAL_SIM_SCENARIO: scenario,
      RAWJOURNAL_SIM_STATE_FILE: path.join(stack.dataDir, "sim-state.json"),
    },
    defaultTimeoutMs: 60_000,
  },
  tradeWorkers: 3,
  marketData: null,
  clock: systemClock,
  log: () => {},
  onJobDone: (_job, result) => {
    if (result.status !== "synced" || result.outcome.kind === "light") return;
    for (const notice of result.outcome.saved.closed) answeredAt.set(notice.tradeId, result.outcome.dealsAnsweredAt);
  },
});

const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(`${stack.appUrl}/login`);
await page.getByLabel("Email").fill(email);
await page.getByLabel("Password", { exact: true }).fill(password);
await page.getByRole("button", { name: "Sign in" }).click();
await page.waitForURL(`${stack.appUrl}/dashboard`);
await page.evaluate(() => {
  const seen: Record<string, number> = {};
  (window as unknown as { toastsSeen: Record<string, number> }).toastsSeen = seen;
  new MutationObserver(() => {
    for (const link of document.querySelectorAll('[role="region"][aria-label^="Notifications"] a[href^="/trades/"]')) {
      const id = link.getAttribute("href")!.split("/").pop()!;
      seen[id] ??= Date.now();
    }
  }).observe(document.body, { subtree: true, childList: true });
});
say(`waiting for ${CLOSES} closes on the dashboard (a close every few seconds)…`);

const deadline = Date.now() + 15 * 60_000;
let seen: Record<string, number> = {};
while (Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  seen = await page.evaluate(() => ({ ...(window as unknown as { toastsSeen: Record<string, number> }).toastsSeen }));
  if (Object.keys(seen).length >= CLOSES) break;
}
const ids = Object.keys(seen);
const { rows: closes } = await owner.query<{ id: string; closed_at: Date }>("select id, closed_at from public.trades where id = any($1)", [ids]);
const endToEnd = closes.map((trade) => seen[trade.id]! - trade.closed_at.getTime());
const pipeline = ids.filter((id) => answeredAt.has(id)).map((id) => seen[id]! - answeredAt.get(id)!);
console.log(
  JSON.stringify(
    {
      load: loadAverage(),
      closesSeen: ids.length,
      dealToToastMs: { ...summary(endToEnd), target: "p95 < 16 000" },
      bridgeAnswerToToastMs: { ...summary(pipeline), target: "p95 < 500" },
    },
    null,
    2,
  ),
);

await browser.close();
await jobs.stop();
await owner.end();
await stack.stop();
