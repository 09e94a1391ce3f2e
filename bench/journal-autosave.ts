// Journal autosave (issue 13): the round trip of one autosave — POST
// /trades/<id>/journal (intent=save, the version the text started from)
// through the built app on scripts/serve.ts over HTTP with a real session cookie:
// session, origin check, RLS transaction, the versioned update and its
// trigger, JSON back. Target p95 < 80 ms.
//
// The trader has 20,000 trades, half of them journaled with ~2,000-character
// notes, and 20 other users the same, so the journals table and its
// full-text index have something in them. Cases, in rounds so the machine's
// load is shared:
//   - update: the next keystrokes of an entry (its version matches);
//   - first save: the insert of a trade's first entry;
//   - stale: a save naming an old version (nothing written, theirs returned);
//   - tags: a picker's whole selection (set-based delete + insert).
// The same update is also timed in-process through the model function alone
// (one RLS transaction, no HTTP), to show what the server spends in SQL.
import os from "node:os";
import pg from "pg";
import { EMPTY_CONTENT } from "../app/domain/journal/entry.ts";
import { withRlsTransaction } from "../app/lib/db.server.ts";
import { saveTradeJournal } from "../app/models/journal/trade-journal.server.ts";
import { startBenchStack } from "./support/app-stack.ts";
import { loadAverage, summary } from "./support/stats.ts";

const TRADES = 20_000;
const OTHER_USERS = 20;
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const TARGET_P95 = 80;

const stack = await startBenchStack("journal-autosave", { fast: true });
const { appUrl } = stack;
const email = "bench@example.test";
const password = "bench-password-1";
const userId = await stack.createUser(email, password, "pro");
const owner = new pg.Client({ connectionString: stack.databaseUrl });
await owner.connect();

const seedStarted = performance.now();
await stack.addOtherUsers(OTHER_USERS);
await owner.query("insert into public.accounts (user_id, name) select id, 'Main' from public.profiles");
const profiles = await owner.query<{ id: string }>("select id from public.profiles");
for (const { id } of profiles.rows) {
  const count = id === userId ? TRADES : TRADES / OTHER_USERS;
  await owner.query(
    `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at,
                               volume, entry_price, exit_price, gross_profit, source)
     select $1, (select id from public.accounts where user_id = $1 limit 1), 'p' || g, 'EURUSD', 'buy', 'closed',
            timestamptz '2024-01-01' + (g || ' hours')::interval, timestamptz '2024-01-01' + (g || ' hours')::interval + interval '30 minutes',
            0.5, 1.1, 1.101, 50, 'manual'
       from generate_series(1, $2::int) g`,
    [id, count],
  );
  await owner.query(
    `insert into public.journals (user_id, trade_id, notes, lessons, mood)
     select user_id, id, repeat('Entry on the retest of the London high, stop under the wick. ', 32), 'Wait for the close.', 3
       from public.trades where user_id = $1 and abs(hashtext(id::text)) % 2 = 0`,
    [id],
  );
  await owner.query(
    `insert into public.tags (user_id, name, category) select $1, 'tag ' || g, (array['general','setup','emotion','mistake'])[1 + g % 4]
       from generate_series(1, 24) g on conflict do nothing`,
    [id],
  );
}
await owner.query("vacuum analyze");
const seedSeconds = +((performance.now() - seedStarted) / 1000).toFixed(1);

const picks = await owner.query<{ id: string; journaled: boolean; version: number | null }>(
  `select t.id, j.id is not null as journaled, j.version from public.trades t left join public.journals j on j.trade_id = t.id
    where t.user_id = $1 order by t.opened_at`,
  [userId],
);
const journaled = picks.rows.filter((row) => row.journaled);
const fresh = picks.rows.filter((row) => !row.journaled);
const tagIds = (
  await owner.query<{ id: string }>("select id from public.tags where user_id = $1 and category <> 'mistake' order by name", [userId])
).rows.map((row) => row.id);

const cookie = await stack.signIn(email, password);
const versions = new Map(journaled.map((row) => [row.id, row.version!]));

async function post(
  tradeId: string,
  fields: Record<string, string | string[]>,
): Promise<{ ms: number; body: { status: string; entry?: { version: number } } }> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(name, one);
  const started = performance.now();
  const response = await fetch(`${appUrl}/trades/${tradeId}/journal`, {
    method: "POST",
    body,
    headers: { cookie, origin: appUrl, accept: "application/json" },
  });
  const json = (await response.json()) as { status: string; entry?: { version: number } };
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`${tradeId} answered ${response.status}: ${JSON.stringify(json)}`);
  return { ms, body: json };
}

const notesOf = (round: number) => `${"Entry on the retest of the London high, stop under the wick. ".repeat(32)}Round ${round}.`;
const times: Record<string, number[]> = { update: [], "first save": [], stale: [], tags: [] };
const loadSamples: number[] = [];
const loadBefore = loadAverage();

// Warm-up: the server's first requests compile and connect.
for (let i = 0; i < 10; i++) await post(journaled[i]!.id, { intent: "save", notes: `warm ${i}`, version: "0" });

for (let round = 0; round < RUNS; round++) {
  const entry = journaled[100 + (round % 2_000)]!.id;
  const update = await post(entry, {
    intent: "save",
    notes: notesOf(round),
    lessons: "Wait for the close.",
    mood: "4",
    version: String(versions.get(entry)),
  });
  if (update.body.status !== "saved") throw new Error(`update answered ${update.body.status}`);
  versions.set(entry, update.body.entry!.version);
  times.update!.push(update.ms);

  const first = await post(fresh[round]!.id, { intent: "save", notes: notesOf(round), mood: "3", version: "0" });
  if (first.body.status !== "saved") throw new Error(`first save answered ${first.body.status}`);
  times["first save"]!.push(first.ms);

  const stale = await post(entry, { intent: "save", notes: "from an older tab", version: "1" });
  if (stale.body.status !== "conflict") throw new Error(`stale save answered ${stale.body.status}`);
  times.stale!.push(stale.ms);

  const tags = await post(entry, { intent: "set-tags", group: "tags", tagId: tagIds.slice(round % 5, (round % 5) + 3) });
  if (tags.body.status !== "tags") throw new Error(`tags answered ${tags.body.status}`);
  times.tags!.push(tags.ms);
  loadSamples.push(os.loadavg()[0]!);
}

// The same update without HTTP: the model function in one RLS transaction.
const appPool = new pg.Pool({ connectionString: stack.appDatabaseUrl, max: 2 });
const claims = { role: "authenticated", sub: userId, aud: "authenticated" };
const inProcess: number[] = [];
for (let round = 0; round < RUNS; round++) {
  const entry = journaled[3_000 + (round % 2_000)]!.id;
  const started = performance.now();
  const outcome = await withRlsTransaction(appPool, claims, (db) =>
    saveTradeJournal(db, claims, entry, { ...EMPTY_CONTENT, notes: notesOf(round), mood: 4 }, versions.get(entry) ?? 1),
  );
  inProcess.push(performance.now() - started);
  if (outcome.status === "saved") versions.set(entry, outcome.entry.version);
}

const results = Object.entries(times).map(([name, values]) => ({ case: name, ...summary(values), pass: summary(values).p95 < TARGET_P95 }));
console.log(
  JSON.stringify(
    {
      trades: { user: TRADES, journaled: journaled.length, otherUsers: OTHER_USERS, seedSeconds },
      runsPerCase: RUNS,
      cores: os.cpus().length,
      loadAverage: { before: loadBefore, after: loadAverage(), duringRounds: summary(loadSamples) },
      httpRoundTripMs: results,
      modelUpdateInProcessMs: summary(inProcess),
      targetP95: TARGET_P95,
      allPass: results.every((r) => r.pass),
    },
    null,
    2,
  ),
);

await appPool.end();
await owner.end();
await stack.stop();
