// Diagnostic, not a figure of the product: where the time goes when 100,000
// trades (2 legs each) are stored through storeTrades, durable, as the service
// role, by switching parts of the schema off in fresh databases cloned from
// one migrated template. Variants are cumulative; VARIANTS="as is,…" picks some
// by prefix. `npx tsx bench/store-profile.ts [trades]`.
//
// Then the floor: the same rows generated inside PostgreSQL (generate_series,
// no parameters, no JavaScript at all) into the schema as migrated, 2,500 per
// statement in one transaction — what the database alone costs, whatever the
// app sends. FLOOR=only runs just that; FLOOR=off skips it.
import path from "node:path";
import { rm } from "node:fs/promises";
import pg from "pg";
import { REPO_ROOT, runBootstrap } from "../supabase/local/database.ts";
import { startLocalPostgres } from "../supabase/local/postgres.ts";
import { migrate } from "../supabase/migrate.ts";
import { withRlsTransaction } from "../app/lib/db.server.ts";
import { storeTrades } from "../app/models/trade-store.server.ts";
import type { TradeInput } from "../app/domain/trades/types.ts";
import { createAccount, createUser } from "../tests/support/fixtures.ts";

const N = Number(process.argv[2] ?? 100_000);
const dataDir = path.join(REPO_ROOT, ".data/bench-store-profile");
await rm(dataDir, { recursive: true, force: true });
const cluster = await startLocalPostgres({ dataDir: path.join(dataDir, "postgres"), port: 54375, fast: false });
await runBootstrap(cluster.url);
await migrate(cluster.url);
const owner = new pg.Client({ connectionString: cluster.url });
await owner.connect();
await owner.query("create database template_rj template postgres");

function trades(): TradeInput[] {
  const start = Date.UTC(2024, 0, 2, 8);
  return Array.from({ length: N }, (_, i) => {
    const openedAt = new Date(start + i * 300_000),
      closedAt = new Date(start + i * 300_000 + 120_000);
    const id = String(10_000_000 + i);
    return {
      positionId: id,
      symbol: ["EURUSD", "XAUUSD", "GBPJPY"][i % 3]!,
      brokerSymbol: "EURUSD.Z",
      direction: i % 2 ? "sell" : "buy",
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
      grossProfit: String((i % 200) - 100),
      commission: "-3.5",
      swap: "0",
      fee: "0",
      pnlSource: "broker",
      profitCurrency: "USD",
      conversionRate: null,
      pips: "17",
      initialRiskAmount: null,
      closeReason: "tp",
      magic: null,
      comment: null,
      raw: null,
      legs: [
        {
          dealId: `${id}1`,
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
          reason: "client",
          comment: null,
        },
        {
          dealId: `${id}2`,
          orderId: null,
          kind: "exit",
          direction: "sell",
          executedAt: closedAt,
          serverUtcOffsetMinutes: 120,
          volume: "0.5",
          price: "1.0842",
          // The trade's own profit, as a broker's one exit deal carries it: the pair is kept in the row (ADR 017).
          profit: String((i % 200) - 100),
          commission: "-1.75",
          swap: "0",
          fee: "0",
          reason: "client",
          comment: null,
        },
      ],
    } as TradeInput;
  });
}

// The trade list's indexes left after 20261207140100 (the rest went there).
const LIST = ["closed", "opened", "symbol", "status", "net_profit", "account_closed"].map((c) => `public.trades_user_${c}_idx`);
const variants: Record<string, string[]> = {
  "as is": [],
  "no statement triggers": ["alter table public.trades disable trigger user", "alter table public.trade_legs disable trigger user"],
  "no triggers, no FK checks": ["alter table public.trades disable trigger all", "alter table public.trade_legs disable trigger all"],
  "no triggers/FK, no list indexes": [
    "alter table public.trades disable trigger all",
    "alter table public.trade_legs disable trigger all",
    `drop index ${LIST.join(", ")}`,
  ],
  "no triggers/FK, no secondary indexes at all": [
    "alter table public.trades disable trigger all",
    "alter table public.trade_legs disable trigger all",
    `drop index ${LIST.join(", ")}`,
    "drop index public.trades_account_opened_idx, public.trades_user_created_idx, public.trades_import_batch_idx, public.trades_user_journaled_idx, public.trade_legs_user_trade_idx",
  ],
};
const only = process.env.VARIANTS?.split(",");
for (const [name, setup] of Object.entries(variants)) {
  if (process.env.FLOOR === "only") break;
  if (only && !only.some((o) => name.startsWith(o))) continue;
  const dbName = `v${Math.random().toString(36).slice(2, 8)}`;
  await owner.query(`create database ${dbName} template template_rj`);
  const url = cluster.url.replace(/\/[^/]*$/, `/${dbName}`);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  for (const statement of setup) await admin.query(statement);
  const userId = await createUser(admin, { tier: "pro" });
  const accountId = await createAccount(admin, userId);
  await admin.query("checkpoint");
  const appUrl = new URL(url);
  appUrl.username = "authenticator";
  const pool = new pg.Pool({ connectionString: appUrl.toString(), max: 2 });
  const input = trades();
  const started = performance.now();
  const cpu = process.cpuUsage();
  await withRlsTransaction(pool, { role: "service_role", sub: userId }, (db) =>
    storeTrades(db, { userId, accountId, source: "file", importBatchId: null }, { trades: input, cash: [] }),
  );
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  console.log(`${name.padEnd(48)} ${ms.toFixed(0)} ms (node CPU ${((used.user + used.system) / 1000).toFixed(0)} ms)`);
  await pool.end();
  await admin.end();
}
// Trade rows like trades() above, made by PostgreSQL itself: each a single
// entry/exit pair, so its legs are in its row (ADR 017) and no leg rows are
// written; FLOOR_LEGS_SQL is the old layout's two leg rows per trade
// (FLOOR_LEGS=rows adds them, for comparison).
const FLOOR_TRADES_SQL = `
insert into public.trades (id, user_id, account_id, position_id, symbol, broker_symbol, direction, status, opened_at, closed_at,
  open_server_utc_offset_minutes, close_server_utc_offset_minutes, volume, closed_volume, entry_price, exit_price,
  gross_profit, commission, swap, fee, pnl_source, profit_currency, pips, close_reason, session_tag, source,
  legs_in_row, entry_deal_id, entry_reason, entry_commission, exit_deal_id, exit_reason, exit_commission)
select ('00000000-0000-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, $1, $2, (10000000 + g)::text, (array['EURUSD', 'XAUUSD', 'GBPJPY'])[1 + g % 3],
  'EURUSD.Z', case when g % 2 = 0 then 'buy' else 'sell' end, 'closed',
  timestamptz '2024-01-02 08:00Z' + g * interval '5 min', timestamptz '2024-01-02 08:02Z' + g * interval '5 min',
  120, 120, 0.5, 0.5, 1.0825, 1.0842, (g % 200) - 100, -3.5, 0, 0, 'broker', 'USD', 17, 'tp', 'london', 'file',
  true, (10000000 + g)::text || '1', 'client', -1.75, (10000000 + g)::text || '2', 'client', -1.75
from generate_series($3::int, $4::int) g`;
const FLOOR_LEGS_SQL = `
insert into public.trade_legs (id, user_id, trade_id, deal_id, kind, direction, executed_at, server_utc_offset_minutes,
  volume, price, profit, commission, swap, fee, reason)
select ('00000000-0000-7000-9000-' || lpad(to_hex(g * 2 + k), 12, '0'))::uuid, $1, ('00000000-0000-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid,
  (10000000 + g)::text || k, case when k = 1 then 'entry' else 'exit' end, 'buy',
  timestamptz '2024-01-02 08:00Z' + g * interval '5 min', 120, 0.5, 1.0825, 85, -1.75, 0, 0, 'client'
from generate_series($2::int, $3::int) g, generate_series(1, 2) k`;
const STEP = 2500;

if (process.env.FLOOR !== "off") {
  for (const [name, conflict] of [
    ["floor: trades + legs made in SQL", ""],
    ["floor: … trades with on conflict do nothing", " on conflict (account_id, position_id) do nothing"],
  ] as const) {
    const dbName = `f${Math.random().toString(36).slice(2, 8)}`;
    await owner.query(`create database ${dbName} template template_rj`);
    const db = new pg.Client({ connectionString: cluster.url.replace(/\/[^/]*$/, `/${dbName}`) });
    await db.connect();
    const userId = await createUser(db, { tier: "pro" });
    const accountId = await createAccount(db, userId);
    await db.query("checkpoint");
    let tradesMs = 0,
      legsMs = 0;
    const started = performance.now();
    await db.query("begin");
    for (let first = 1; first <= N; first += STEP) {
      const last = Math.min(N, first + STEP - 1);
      const t = performance.now();
      await db.query(FLOOR_TRADES_SQL + conflict, [userId, accountId, first, last]);
      const l = performance.now();
      if (process.env.FLOOR_LEGS === "rows") await db.query(FLOOR_LEGS_SQL, [userId, first, last]);
      tradesMs += l - t;
      legsMs += performance.now() - l;
    }
    await db.query("commit");
    console.log(`${name.padEnd(48)} ${(performance.now() - started).toFixed(0)} ms (trades ${tradesMs.toFixed(0)}, legs ${legsMs.toFixed(0)})`);
    await db.end();
  }
}
await owner.end();
await cluster.stop();
process.exit(0);
