// Trade list figures (issue 5): the /trades loader with 100,000 trades for the
// signed-in user (and 100,000 more belonging to 20 other users, so RLS has
// something to hide), through the built app on scripts/serve.ts over HTTP with a
// real session cookie. One case per single filter and per sort column in both
// directions. Targets (issue 16): every filter and the common sorts p95 < 40 ms,
// the rare sorts (side, volume, prices, pips, session, duration — no index of
// their own since 20261207140100_list_indexes_for_common_questions.sql)
// p95 < 150 ms.
//
// The same run measures the list with the indexes that migration dropped put
// back ("before") and without them ("after"), phase after phase, and prints
// the number of indexes on trades in each (BENCH_LIST_PHASES=after skips the
// first).
//
// Measured: GET /trades.data?<filters>&_routes=routes/_app.trades._index —
// the list route's loader alone (session, RLS transaction, queries,
// serialisation), the request a client-side filter change makes. The full
// document for the default view is reported next to it. Requests go in
// rounds (every case once per round), so the machine's changing load is
// shared by all cases; the load average is printed with the figures.
//
// `npx tsx bench/trades-list.ts --explain` also prints EXPLAIN ANALYZE (as
// the user, under RLS) of each case's page and count queries.
import os from "node:os";
import pg from "pg";
import { withRlsTransaction } from "../app/lib/db.server.ts";
import { metaQuery, pagePlan, pageQuery } from "../app/models/trade-list-queries.ts";
import { parseTradeFilters, SORT_COLUMNS, TRADES_PAGE_SIZE } from "../app/schemas/trade-filters.ts";
import { startBenchStack } from "./support/app-stack.ts";

const TRADES = 100_000;
const OTHER_USERS = 20;
const RUNS = Number(process.env.BENCH_RUNS ?? 100);
const explain = process.argv.includes("--explain");
const PHASES = (process.env.BENCH_LIST_PHASES ?? "before,after").split(",") as ("before" | "after")[];

// What 20261207140100_list_indexes_for_common_questions.sql dropped, as
// 20261122110200_trade_list_indexes.sql made them: put back for "before".
const DROPPED_INDEXES = [
  "trades_user_direction_idx on public.trades (user_id, direction, id)",
  "trades_user_session_idx on public.trades (user_id, session_tag, id)",
  "trades_user_result_idx on public.trades (user_id, result, id)",
  "trades_user_volume_idx on public.trades (user_id, volume, id)",
  "trades_user_entry_price_idx on public.trades (user_id, entry_price, id)",
  "trades_user_exit_price_idx on public.trades (user_id, exit_price, id)",
  "trades_user_pips_idx on public.trades (user_id, pips, id)",
  "trades_user_duration_idx on public.trades (user_id, (closed_at - opened_at), id)",
];
const RARE_SORTS = new Set(["direction", "volume", "entry_price", "exit_price", "pips", "session_tag", "duration"]);
const targetOf = (name: string) => (RARE_SORTS.has(name.split(" ")[1] ?? "") && name.startsWith("sort ") ? 150 : 40);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return +sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(2);
};

// BENCH_SOURCE_DIR builds a snapshot of the tree instead of the working copy.
const stack = await startBenchStack("trades-list", { fast: true, sourceDir: process.env.BENCH_SOURCE_DIR });
const { appUrl } = stack;

// The signed-in trader (Pro: two accounts, no monthly limit) and 20 others.
const email = "bench@example.test";
const password = "bench-password-1";
const userId = await stack.createUser(email, password, "pro");
const owner = new pg.Client({ connectionString: stack.databaseUrl });
await owner.connect();
const seedStarted = performance.now();
await stack.addOtherUsers(OTHER_USERS);
await owner.query(`
  update public.user_settings set time_zone = 'Europe/London' where user_id = '${userId}';
  insert into public.accounts (user_id, name, currency) values ('${userId}', 'Main', 'USD'), ('${userId}', 'Prop firm', 'EUR');
  insert into public.accounts (user_id, name) select id, 'Main' from public.profiles where id <> '${userId}';
  insert into public.tags (user_id, name) select '${userId}', 'tag ' || g from generate_series(1, 8) g;`);
// Trades spread over three years, 14 symbols, 3 % still open; others' trades
// use the same shape so their rows interleave with ours in every index.
const seedTrades = (user: string, count: number) =>
  owner.query(
    `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at,
                               volume, closed_volume, entry_price, exit_price, initial_stop_loss, take_profit,
                               gross_profit, commission, swap, pips, source)
     select $1::uuid, acc.ids[(1 + g % array_length(acc.ids, 1))::int], 'p' || g, s.symbols[(1 + (g * 7919) % 14)::int],
            case when g % 2 = 0 then 'buy' else 'sell' end,
            case when g % 33 = 0 then 'open' else 'closed' end,
            o.opened,
            case when g % 33 = 0 then null else o.opened + ((1 + (g * 104729) % 4320) || ' minutes')::interval end,
            v.lots, case when g % 33 = 0 then 0 else v.lots end,
            1.1 + (g % 1000) / 10000.0, case when g % 33 = 0 then null else 1.1 + ((g * 31) % 1000) / 10000.0 end,
            1.09 + (g % 1000) / 10000.0, 1.12 + (g % 1000) / 10000.0,
            round(((g * 2654435761) % 100000) / 100.0 - 480, 2), -round(v.lots * 7, 2), -((g % 5) * 0.37),
            ((g * 48271) % 2001 - 1000) / 10.0, case when g % 3 = 0 then 'file' else 'manual' end
       from generate_series(1::bigint, $2::bigint) g
       cross join lateral (select timestamptz '2023-11-22' + ((g * 6700417) % (3 * 365 * 24 * 60) || ' minutes')::interval as opened) o
       cross join lateral (select round(0.01 + ((g * 13) % 500) / 100.0, 2) as lots) v
       cross join (select array['EURUSD','GBPUSD','USDJPY','XAUUSD','AUDUSD','USDCAD','USDCHF','NZDUSD','EURJPY','GBPJPY','EURGBP','US30','NAS100','BTCUSD'] as symbols) s
       cross join (select array_agg(id order by created_at, name) as ids from public.accounts where user_id = $1) acc`,
    [user, count],
  );
await seedTrades(userId, TRADES);
const others = await owner.query<{ id: string }>("select id from public.profiles where id <> $1", [userId]);
for (const other of others.rows) await seedTrades(other.id, TRADES / OTHER_USERS);
await owner.query(
  `insert into public.trade_tags (user_id, trade_id, tag_id)
   select t.user_id, t.id, (select id from public.tags where user_id = $1 order by name offset (abs(hashtext(t.id::text)) % 8) limit 1)
     from public.trades t where t.user_id = $1 and abs(hashtext(t.id::text)) % 10 = 0`,
  [userId],
);
await owner.query(
  `insert into public.journals (user_id, trade_id, notes)
   select user_id, id, 'notes' from public.trades where user_id = $1 and abs(hashtext(id::text || 'j')) % 20 = 0`,
  [userId],
);
await owner.query("vacuum analyze");
const seedSeconds = +((performance.now() - seedStarted) / 1000).toFixed(1);
const counts = await owner.query<{ mine: string; all: string }>(
  "select count(*) filter (where user_id = $1) as mine, count(*) as all from public.trades",
  [userId],
);
const ids = await owner.query<{ account: string; tag: string }>(
  `select (select id from public.accounts where user_id = $1 order by created_at, name offset 1 limit 1) as account,
          (select id from public.tags where user_id = $1 order by name limit 1) as tag`,
  [userId],
);

const cookie = await stack.signIn(email, password);

const cases: { name: string; query: string }[] = [
  { name: "default (newest close first)", query: "" },
  { name: "filter account", query: `account=${ids.rows[0]!.account}` },
  { name: "filter from–to (one month)", query: "from=2025-03-01&to=2025-03-31" },
  { name: "filter from (last 30 days)", query: "from=2026-10-23" },
  { name: "filter symbol", query: "symbol=XAUUSD" },
  { name: "filter direction", query: "direction=sell" },
  { name: "filter session", query: "session=asian" },
  { name: "filter status open", query: "status=open" },
  { name: "filter status closed", query: "status=closed" },
  { name: "filter tag", query: `tag=${ids.rows[0]!.tag}` },
  { name: "filter result win", query: "result=win" },
  { name: "filter result breakeven", query: "result=breakeven" },
  ...SORT_COLUMNS.flatMap((column) =>
    (["desc", "asc"] as const).map((dir) => ({ name: `sort ${column} ${dir}`, query: `sort=${column}&dir=${dir}` })),
  ),
];
// Deep pages are reported but not held to the target: nobody pages 1,000 deep
// rather than filtering, and OFFSET has to walk past every earlier row.
const informational = [
  { name: "page 1,000 (offset 49,950), informational", query: "page=1000" },
  { name: "filter tag, page 10, informational", query: `tag=${ids.rows[0]!.tag}&page=10` },
];

async function timeRequests(url: string, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const response = await fetch(url, { headers: { cookie } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    times.push(performance.now() - started);
  }
  return times;
}

const appPool = new pg.Pool({ connectionString: stack.appDatabaseUrl, max: 2 });
const claims = { role: "authenticated", sub: userId, aud: "authenticated" };

const sample = await fetch(`${appUrl}/trades.data?_routes=routes/_app.trades._index`, { headers: { cookie } });
const sampleBody = await sample.text();
if (sample.status !== 200 || !sampleBody.includes("EURUSD"))
  throw new Error(`unexpected /trades.data answer ${sample.status}: ${sampleBody.slice(0, 200)}`);

const indexCount = async () =>
  Number((await owner.query<{ n: string }>("select count(*) as n from pg_indexes where schemaname = 'public' and tablename = 'trades'")).rows[0]!.n);

/** Every case RUNS times, in rounds; the figures of one schema. */
async function measure(phase: "before" | "after") {
  if (phase === "before") {
    for (const index of DROPPED_INDEXES) await owner.query(`create index if not exists ${index}`);
  } else {
    for (const index of DROPPED_INDEXES) await owner.query(`drop index if exists public.${index.split(" ")[0]}`);
  }
  await owner.query("analyze public.trades");
  const indexes = await indexCount();
  const loadBefore = os.loadavg().map((l) => +l.toFixed(2));
  // Rounds: each round requests every case once, starting at a different case
  // each time, so a burst of load from the other work on this machine lands on
  // all cases alike instead of on whichever case was running.
  const timed = [...cases, ...informational].map(({ name, query }) => ({
    name,
    query,
    url: `${appUrl}/trades.data?${query}${query ? "&" : ""}_routes=routes/_app.trades._index`,
    times: [] as number[],
  }));
  for (const { url } of timed) await timeRequests(url, 5);
  const loadSamples: number[] = [];
  for (let round = 0; round < RUNS; round++) {
    for (let i = 0; i < timed.length; i++) {
      const entry = timed[(i + round) % timed.length]!;
      entry.times.push(...(await timeRequests(entry.url, 1)));
    }
    loadSamples.push(os.loadavg()[0]!);
    if (round % 20 === 19) console.error(`${phase}: round ${round + 1}/${RUNS} (load ${os.loadavg()[0]!.toFixed(1)})`);
  }
  const results = timed.map(({ name, times }) => {
    const p95 = percentile(times, 95);
    const target = targetOf(name);
    console.error(`${phase} ${name}: p50 ${percentile(times, 50)} ms, p95 ${p95} ms (target ${target})`);
    return { case: name, p50: percentile(times, 50), p95, max: +Math.max(...times).toFixed(2), target, pass: p95 < target };
  });
  return {
    phase,
    indexesOnTrades: indexes,
    loadAverage: {
      before: loadBefore,
      after: os.loadavg().map((l) => +l.toFixed(2)),
      // 1-minute load average after each round.
      duringRounds: { min: +Math.min(...loadSamples).toFixed(2), median: percentile(loadSamples, 50), max: +Math.max(...loadSamples).toFixed(2) },
    },
    loaderDataMs: results,
    allPass: results.filter((r) => !r.case.includes("informational")).every((r) => r.pass),
    timed,
  };
}

const phases = [];
for (const phase of PHASES) phases.push(await measure(phase));
const timed = phases[phases.length - 1]!.timed;
if (explain) {
  for (const { name, query } of timed) {
    const filters = parseTradeFilters(new URLSearchParams(query));
    // The loader's two statements, built and chosen exactly as listTrades does.
    const plans = await withRlsTransaction(appPool, claims, async (db) => {
      const dayRule = filters.from || filters.to ? { timeZone: "Europe/London", dayStartMinutes: 0 } : undefined;
      const meta = metaQuery(userId, filters, dayRule);
      const found = (await db.query(meta.text, meta.values)).rows[0];
      const total = Number(found.total);
      const page = Math.min(filters.page, Math.max(1, Math.ceil(total / TRADES_PAGE_SIZE)));
      const plan = pagePlan(filters, { total, userTotal: Number(found.user_total), page });
      const out: string[] = [`page plan: ${plan}`];
      for (const q of [meta, pageQuery(userId, filters, page, plan, { dayRule })]) {
        const { rows } = await db.query(`explain (analyze, buffers, timing off, costs off) ${q.text}`, q.values);
        out.push(rows.map((r: Record<string, string>) => r["QUERY PLAN"]).join("\n"));
      }
      return out;
    });
    console.log(`\n### ${name}\n${plans.join("\n---\n")}`);
  }
}
await timeRequests(`${appUrl}/trades`, 5);
const documentTimes = await timeRequests(`${appUrl}/trades`, RUNS);

console.log(
  JSON.stringify(
    {
      trades: { user: Number(counts.rows[0]!.mine), total: Number(counts.rows[0]!.all), seedSeconds },
      runsPerCase: RUNS,
      // The machine is shared; a load average well above the core count inflates every figure.
      cores: os.cpus().length,
      phases: phases.map(({ timed: _timed, ...phase }) => phase),
      documentDefaultMs: { p50: percentile(documentTimes, 50), p95: percentile(documentTimes, 95) },
    },
    null,
    2,
  ),
);

await appPool.end();
await owner.end();
await stack.stop();
