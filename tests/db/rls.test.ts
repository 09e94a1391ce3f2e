// Tenancy, table by table: through the same transaction the app uses
// (withRlsTransaction), user A can never select, insert, update or delete
// user B's rows, anon sees nothing private, and owners can do exactly what the
// product needs — so a dropped policy fails here as surely as a loose one.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { withRlsTransaction, type DatabaseClaims } from "../../app/lib/db.server.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createTag, createTrade, createUser, userClaims } from "../support/fixtures.ts";

const db = await createTestDatabase();
// The app connects as `authenticator`, as PostgREST does: a role with no
// privileges of its own that can only become anon / authenticated / service_role.
const appPool = db.appPool;

interface Tenant {
  id: string;
  accountId: string;
  tradeId: string;
  spareTradeId: string;
  tagId: string;
  spareTagId: string;
  batchId: string;
  playbookId: string;
  ruleId: string;
  spareRuleId: string;
}

type Access =
  | "crud" // owner may select, insert, update, delete own rows
  | "owner-read" // owner may select own rows; writes belong to jobs
  | "owner-read-delete" // owner may select and delete own rows; created through a function, written by jobs
  | "owner-read-update" // one row per user, created by trigger
  | "owner-read-insert-delete" // join rows
  | "server-only" // no client role holds any privilege
  | "signed-in-read" // shared data, any signed-in user reads, nobody writes
  | "public-read" // anyone reads, nobody writes
  | "admin-read"; // admins read, nobody writes

interface TableSpec {
  access: Access;
  /** Column holding the owning user's id. */
  owner?: string;
  /** A statement inserting a new row owned by `t` ($1 = t.id unless noted). */
  insert?: (t: Tenant) => [string, unknown[]];
  /** An assignment that changes nothing of substance, for update probes. */
  update?: string;
}

const TABLES: Record<string, TableSpec> = {
  profiles: { access: "owner-read-update", owner: "id", update: "full_name = full_name" },
  user_settings: { access: "owner-read-update", owner: "user_id", update: "time_zone = time_zone" },
  accounts: {
    access: "crud",
    owner: "user_id",
    insert: (t) => ["insert into public.accounts (user_id, name) values ($1, 'Second')", [t.id]],
    update: "name = name",
  },
  account_credentials: { access: "server-only", owner: "user_id" },
  credential_wipe_state: { access: "server-only" },
  cash_movements: {
    access: "crud",
    owner: "user_id",
    insert: (t) => [
      "insert into public.cash_movements (user_id, account_id, kind, amount, occurred_at) values ($1, $2, 'deposit', 100, now())",
      [t.id, t.accountId],
    ],
    update: "comment = comment",
  },
  import_batches: {
    access: "crud",
    owner: "user_id",
    insert: (t) => ["insert into public.import_batches (user_id, account_id, format) values ($1, $2, 'json')", [t.id, t.accountId]],
    update: "status = status",
  },
  import_uploads: {
    access: "crud",
    owner: "user_id",
    insert: (t) => [
      "insert into public.import_uploads (user_id, account_id, file_name, size_bytes, sha256) values ($1, $2, 'a.csv', 1, $3)",
      [t.id, t.accountId, "0".repeat(64)],
    ],
    update: "file_name = file_name",
  },
  account_instrument_overrides: {
    access: "crud",
    owner: "user_id",
    insert: (t) => [
      "insert into public.account_instrument_overrides (user_id, account_id, symbol, contract_size) values ($1, $2, $3, 100)",
      [t.id, t.accountId, `X${randomUUID().slice(0, 8).toUpperCase()}`],
    ],
    update: "contract_size = contract_size",
  },
  import_column_mappings: {
    access: "crud",
    owner: "user_id",
    insert: (t) => ["insert into public.import_column_mappings (user_id, header_signature, mapping) values ($1, $2, '{}')", [t.id, randomUUID()]],
    update: "mapping = mapping",
  },
  trades: {
    access: "crud",
    owner: "user_id",
    insert: (t) => [
      `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, volume, entry_price)
       values ($1, $2, $3, 'GBPUSD', 'sell', 'open', now(), 1, 1.25)`,
      [t.id, t.accountId, randomUUID()],
    ],
    update: "comment = comment",
  },
  trade_legs: {
    access: "crud",
    owner: "user_id",
    insert: (t) => [
      `insert into public.trade_legs (user_id, trade_id, deal_id, kind, direction, executed_at, volume, price)
       values ($1, $2, $3, 'exit', 'sell', now(), 0.1, 1.1)`,
      [t.id, t.tradeId, randomUUID()],
    ],
    update: "comment = comment",
  },
  open_positions: { access: "owner-read", owner: "user_id" },
  trade_excursions: { access: "owner-read", owner: "user_id" },
  journals: {
    access: "crud",
    owner: "user_id",
    insert: (t) => ["insert into public.journals (user_id, trade_id, notes) values ($1, $2, 'why')", [t.id, t.spareTradeId]],
    update: "notes = notes",
  },
  tags: {
    access: "crud",
    owner: "user_id",
    insert: (t) => ["insert into public.tags (user_id, name) values ($1, $2)", [t.id, `t-${randomUUID().slice(0, 8)}`]],
    update: "color = color",
  },
  trade_tags: {
    access: "owner-read-insert-delete",
    owner: "user_id",
    insert: (t) => ["insert into public.trade_tags (user_id, trade_id, tag_id) values ($1, $2, $3)", [t.id, t.tradeId, t.spareTagId]],
  },
  daily_journals: {
    access: "crud",
    owner: "user_id",
    insert: (t) => ["insert into public.daily_journals (user_id, trading_day, review) values ($1, '2026-01-05', 'calm')", [t.id]],
    update: "review = review",
  },
  journal_screenshots: {
    access: "crud",
    owner: "user_id",
    insert: (t) => [
      "insert into public.journal_screenshots (user_id, trade_id, object_path, content_type, bytes, width, height) values ($1, $2, $3, 'image/webp', 10, 4, 3)",
      [t.id, t.spareTradeId, `${t.id}/${t.spareTradeId}/${randomUUID()}.webp`],
    ],
    update: "caption = caption",
  },
  storage_deletions: { access: "server-only" },
  playbooks: {
    access: "crud",
    owner: "user_id",
    insert: (t) => ["insert into public.playbooks (user_id, name) values ($1, $2)", [t.id, `p-${randomUUID().slice(0, 8)}`]],
    update: "name = name",
  },
  playbook_rules: {
    access: "crud",
    owner: "user_id",
    insert: (t) => ["insert into public.playbook_rules (user_id, playbook_id, position, text) values ($1, $2, 3, 'rule')", [t.id, t.playbookId]],
    update: "text = text",
  },
  trade_rule_checks: {
    access: "owner-read-insert-delete",
    owner: "user_id",
    insert: (t) => ["insert into public.trade_rule_checks (user_id, trade_id, rule_id) values ($1, $2, $3)", [t.id, t.tradeId, t.spareRuleId]],
  },
  analytics_cache: {
    access: "crud",
    owner: "user_id",
    insert: (t) => ["insert into public.analytics_cache (user_id, cache_key, data_version, payload) values ($1, 'week', 0, '{}')", [t.id]],
    update: "payload = payload",
  },
  analytics_data_versions: { access: "owner-read", owner: "user_id" },
  analytics_trade_months: { access: "owner-read-update", owner: "user_id", update: "data = data" },
  sync_presence: { access: "owner-read", owner: "user_id" },
  mt5_connection_checks: { access: "owner-read-delete", owner: "user_id" },
  account_sync_state: { access: "owner-read", owner: "user_id" },
  trade_counts: { access: "owner-read", owner: "user_id" },
  trade_facet_counts: { access: "owner-read", owner: "user_id" },
  candle_cache: { access: "signed-in-read" },
  hot_symbols: { access: "signed-in-read" },
  candle_window_requests: { access: "signed-in-read" },
  trade_candle_snapshots: { access: "owner-read", owner: "user_id" },
  plan_limits: { access: "public-read" },
  worker_health: { access: "admin-read" },
  sync_queue_stats: { access: "admin-read" },
  stripe_events: { access: "server-only" },
  rate_limit_rules: { access: "server-only" },
  outgoing_emails: { access: "server-only", owner: "user_id" },
};

const INSERT_PROBES: Record<string, [string, unknown[]]> = {
  open_positions: [
    `insert into public.open_positions (user_id, account_id, position_id, symbol, direction, opened_at, volume, entry_price)
     values ($1, $2, $3, 'EURUSD', 'buy', now(), 1, 1.1)`,
    [],
  ],
};

async function seedTenant(email: string): Promise<Tenant> {
  const id = await createUser(db.pool, { email, tier: "elite" });
  const accountId = await createAccount(db.pool, id);
  const tradeId = await createTrade(db.pool, id, accountId);
  const spareTradeId = await createTrade(db.pool, id, accountId);
  const tagId = await createTag(db.pool, id);
  const spareTagId = await createTag(db.pool, id);
  const q = (sql: string, params: unknown[]) => db.pool.query(sql, params);
  const { rows } = await q("insert into public.import_batches (user_id, account_id, format) values ($1, $2, 'mt5-html') returning id", [
    id,
    accountId,
  ]);
  const batchId = rows[0].id as string;
  await q("insert into public.account_credentials (account_id, user_id, password_ciphertext, key_id) values ($1, $2, '\\x00', 'k1')", [
    accountId,
    id,
  ]);
  await q(
    "insert into public.outgoing_emails (user_id, to_address, kind, subject, text_body, html_body, dedupe_key) values ($1, 'x@example.test', 'payment_failed', 's', 't', 'h', 'seed:' || $2)",
    [id, id],
  );
  await q(
    "insert into public.cash_movements (user_id, account_id, kind, amount, occurred_at, deal_id) values ($1, $2, 'deposit', 1000, now(), '1')",
    [id, accountId],
  );
  await q("insert into public.import_column_mappings (user_id, header_signature, mapping) values ($1, 'sig', '{}')", [id]);
  await q("insert into public.import_uploads (user_id, account_id, file_name, size_bytes, sha256) values ($1, $2, 'seed.csv', 1, $3)", [
    id,
    accountId,
    "0".repeat(64),
  ]);
  await q("insert into public.account_instrument_overrides (user_id, account_id, symbol, contract_size) values ($1, $2, 'XAUUSD', 10)", [
    id,
    accountId,
  ]);
  await q(
    `insert into public.trade_legs (user_id, trade_id, deal_id, kind, direction, executed_at, volume, price)
     values ($1, $2, 'd1', 'entry', 'buy', now(), 0.5, 1.0825)`,
    [id, tradeId],
  );
  await q(
    `insert into public.open_positions (user_id, account_id, position_id, symbol, direction, opened_at, volume, entry_price)
     values ($1, $2, 'p1', 'EURUSD', 'buy', now(), 1, 1.1)`,
    [id, accountId],
  );
  await q("insert into public.journals (user_id, trade_id, notes) values ($1, $2, 'first')", [id, tradeId]);
  await q("insert into public.trade_tags (user_id, trade_id, tag_id) values ($1, $2, $3)", [id, tradeId, tagId]);
  await q("insert into public.analytics_cache (user_id, cache_key, data_version, payload) values ($1, 'all', 0, '{}')", [id]);
  await q("insert into public.sync_presence (user_id, state) values ($1, 'online')", [id]);
  await q(
    "insert into public.mt5_connection_checks (id, user_id, mt5_server, mt5_login, password_ciphertext, key_id) values ($1, $2, 'Broker-Demo', 1234, '\\x00', 'k1')",
    [randomUUID(), id],
  );
  await q("insert into public.account_sync_state (account_id, user_id) values ($1, $2)", [accountId, id]);
  await q("insert into public.trade_candle_snapshots (trade_id, user_id, symbol) values ($1, $2, 'EURUSD') on conflict do nothing", [tradeId, id]);
  await q("insert into public.trade_excursions (trade_id, user_id, status, trade_closed_at) values ($1, $2, 'no_bars', now())", [tradeId, id]);
  await q("insert into public.daily_journals (user_id, trading_day, review) values ($1, '2026-01-02', 'review')", [id]);
  await q(
    "insert into public.journal_screenshots (user_id, trade_id, object_path, content_type, bytes, width, height) values ($1, $2, $3, 'image/png', 10, 4, 3)",
    [id, tradeId, `${id}/${tradeId}/${randomUUID()}.png`],
  );
  const playbookId = (await q("insert into public.playbooks (user_id, name) values ($1, 'Breakout') returning id", [id])).rows[0].id as string;
  const rule = (position: number) =>
    q("insert into public.playbook_rules (user_id, playbook_id, position, text) values ($1, $2, $3, 'rule') returning id", [
      id,
      playbookId,
      position,
    ]);
  const ruleId = (await rule(0)).rows[0].id as string;
  const spareRuleId = (await rule(1)).rows[0].id as string;
  await q("insert into public.trade_rule_checks (user_id, trade_id, rule_id) values ($1, $2, $3)", [id, tradeId, ruleId]);
  return { id, accountId, tradeId, spareTradeId, tagId, spareTagId, batchId, playbookId, ruleId, spareRuleId };
}

let alice: Tenant;
let bob: Tenant;

beforeAll(async () => {
  alice = await seedTenant("alice@example.test");
  bob = await seedTenant("bob@example.test");
  await db.pool.query(
    "insert into public.candle_cache (symbol, timeframe, opened_at, open, high, low, close) values ('EURUSD', 'H1', now(), 1, 1.2, 0.9, 1.1)",
  );
  await db.pool.query("insert into public.hot_symbols (symbol) values ('EURUSD')");
  await db.pool.query(
    "insert into public.candle_window_requests (symbol, timeframe, from_at, to_at) values ('EURUSD', 'M5', '2026-03-01', '2026-03-06')",
  );
  await db.pool.query("insert into public.worker_health (worker_id, kind, status) values ('trade-1', 'trade', 'idle')");
  await db.pool.query("insert into public.sync_queue_stats (queue, queued) values ('mt5-sync', 2)");
  await db.pool.query("insert into public.storage_deletions (object_path) values ('someone/else/gone.png')");
  await db.pool.query("insert into public.stripe_events (id, type, payload) values ('evt_1', 'checkout.session.completed', '{}')");
});

const asUser = <T>(t: Tenant, work: (c: pg.PoolClient) => Promise<T>) => withRlsTransaction(appPool, userClaims(t.id), work);
const asAnon = <T>(work: (c: pg.PoolClient) => Promise<T>) => withRlsTransaction(appPool, { role: "anon" } satisfies DatabaseClaims, work);

/** Resolves to the row count, or to "denied" when the role lacks the privilege / RLS rejects. */
async function attempt(run: () => Promise<pg.QueryResult>): Promise<number | "denied"> {
  try {
    return (await run()).rowCount ?? 0;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "42501") return "denied";
    throw error;
  }
}

describe("every table in public is covered", () => {
  it("the suite lists exactly the tables the migrations create", async () => {
    const { rows } = await db.pool.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1",
    );
    expect(rows.map((r) => r.table_name)).toEqual(Object.keys(TABLES).sort());
  });

  it("every table has RLS enabled and either policies or no client privileges at all", async () => {
    const { rows } = await db.pool.query<{ table: string; rls: boolean; policies: number; client_privileges: number }>(`
      select c.relname as table,
             c.relrowsecurity as rls,
             (select count(*)::int from pg_policies p where p.schemaname = 'public' and p.tablename = c.relname) as policies,
             (select count(*)::int from information_schema.role_table_grants g
               where g.table_schema = 'public' and g.table_name = c.relname
                 and g.grantee in ('anon', 'authenticated')) as client_privileges
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p')`);
    const problems = rows.flatMap((r) => [
      ...(r.rls ? [] : [`${r.table}: row level security is off`]),
      ...(r.policies === 0 && r.client_privileges > 0 ? [`${r.table}: clients hold privileges but no policy exists`] : []),
    ]);
    expect(problems).toEqual([]);
  });

  it("policies on owned tables compare with (select auth.uid()), evaluated once per query", async () => {
    const { rows } = await db.pool.query<{ tablename: string; policyname: string; expr: string }>(`
      select tablename, policyname, coalesce(qual, '') || ' ' || coalesce(with_check, '') as expr
      from pg_policies where schemaname = 'public' and (qual like '%auth.uid()%' or with_check like '%auth.uid()%')`);
    expect(rows.length).toBeGreaterThan(20);
    const bare = rows.filter((r) => /auth\.uid\(\)/.test(r.expr.replace(/\( SELECT auth\.uid\(\) AS uid\)/g, "")));
    expect(bare.map((r) => `${r.tablename}.${r.policyname}`)).toEqual([]);
  });

  it("every policy on an owned table ties rows to the caller", async () => {
    // SELECT policies already hide other users' rows from UPDATE/DELETE … WHERE,
    // so a loosened write policy would not show up as a leak above; catch it here.
    const ownedTables = Object.entries(TABLES)
      .filter(([, s]) => s.owner)
      .map(([t]) => t);
    const { rows } = await db.pool.query<{ name: string; expr: string }>(
      `select tablename || '.' || policyname as name, coalesce(qual, '') || ' ' || coalesce(with_check, '') as expr
         from pg_policies where schemaname = 'public' and tablename = any($1)`,
      [ownedTables],
    );
    expect(rows.filter((r) => !r.expr.includes("auth.uid()")).map((r) => r.name)).toEqual([]);
  });

  it("every owner column used by a policy has an index that starts with it", async () => {
    const owned = Object.entries(TABLES).filter(([, s]) => s.owner && s.access !== "server-only");
    for (const [table, spec] of owned) {
      const { rows } = await db.pool.query(
        `select 1 from pg_index i
           join pg_class c on c.oid = i.indrelid
           join pg_attribute a on a.attrelid = c.oid and a.attnum = i.indkey[0]
          where c.relname = $1 and c.relnamespace = 'public'::regnamespace and a.attname = $2`,
        [table, spec.owner],
      );
      expect(rows.length, `${table}.${spec.owner} needs an index`).toBeGreaterThan(0);
    }
  });
});

describe.each(Object.entries(TABLES))("%s", (table, spec) => {
  const owner = spec.owner;
  // Row visibility is what matters here; the owner column is selectable on every
  // table, where `*` would also trip over column privileges (mt5_connection_checks).
  const ownedBy = (t: Tenant) => [`select ${owner} from public.${table} where ${owner} = $1`, [t.id]] as const;

  it("anon sees nothing private", async () => {
    const result = await asAnon((c) => attempt(() => c.query(`select * from public.${table}`)));
    if (spec.access === "public-read") expect(result).toBeGreaterThan(0);
    else expect(result === "denied" || result === 0).toBe(true);
  });

  if (owner) {
    it("another user cannot select, update or delete the owner's rows", async () => {
      const [sql, params] = ownedBy(bob);
      const seen = await asUser(alice, (c) => attempt(() => c.query(sql, [...params])));
      expect(seen === 0 || seen === "denied").toBe(true);
      const assignment = spec.update ?? `${owner} = ${owner}`;
      const updated = await asUser(alice, (c) => attempt(() => c.query(`update public.${table} set ${assignment} where ${owner} = $1`, [bob.id])));
      expect(updated === 0 || updated === "denied").toBe(true);
      const deleted = await asUser(alice, (c) => attempt(() => c.query(`delete from public.${table} where ${owner} = $1`, [bob.id])));
      expect(deleted === 0 || deleted === "denied").toBe(true);
      // Still there for Bob's sake.
      const { rowCount } = await db.pool.query(sql, [...params]);
      expect(rowCount).toBeGreaterThan(0);
    });

    it("another user cannot insert a row in the owner's name", async () => {
      const probe = spec.insert?.(bob) ?? INSERT_PROBES[table];
      if (!probe) {
        // Tables without any client insert path: a plain insert is refused outright.
        const result = await asUser(alice, (c) => attempt(() => c.query(`insert into public.${table} (${owner}) values ($1)`, [bob.id])));
        expect(result).toBe("denied");
        return;
      }
      const [sql, params] = probe;
      const values = params.length ? params : [bob.id, bob.accountId, randomUUID()];
      const result = await asUser(alice, (c) => attempt(() => c.query(sql, values)));
      expect(result).toBe("denied");
    });

    it("another user cannot attach rows to the owner's account or trade", async () => {
      if (!spec.insert || !["crud", "owner-read-insert-delete"].includes(spec.access)) return;
      // Alice's own user id, Bob's parent ids: the composite foreign keys refuse it.
      const [sql, params] = spec.insert({ ...bob, id: alice.id });
      const refersToParent = params.some((p) => [bob.accountId, bob.tradeId, bob.spareTradeId, bob.spareTagId].includes(p as string));
      if (!refersToParent) return;
      await expect(asUser(alice, (c) => c.query(sql, params))).rejects.toMatchObject({ code: "23503" });
    });
  }

  switch (spec.access) {
    case "crud":
      it("the owner can insert, select, update and delete their own rows", async () => {
        const [insertSql, insertParams] = spec.insert!(alice);
        expect(await asUser(alice, (c) => attempt(() => c.query(insertSql, insertParams)))).toBe(1);
        const [sql, params] = ownedBy(alice);
        expect(await asUser(alice, (c) => attempt(() => c.query(sql, [...params])))).toBeGreaterThan(0);
        expect(
          await asUser(alice, (c) => attempt(() => c.query(`update public.${table} set ${spec.update} where ${owner} = $1`, [alice.id]))),
        ).toBeGreaterThan(0);
        // Delete inside a rolled-back transaction so later tests keep their rows.
        const deleted = await withRlsTransaction(
          appPool,
          userClaims(alice.id),
          (c) => attempt(() => c.query(`delete from public.${table} where ${owner} = $1`, [alice.id])),
          { rollback: true },
        );
        expect(deleted).toBeGreaterThan(0);
      });
      break;
    case "owner-read-insert-delete":
      it("the owner can select, insert and delete their own rows but not update them", async () => {
        const [sql, params] = ownedBy(alice);
        expect(await asUser(alice, (c) => attempt(() => c.query(sql, [...params])))).toBeGreaterThan(0);
        const [insertSql, insertParams] = spec.insert!(alice);
        expect(await asUser(alice, (c) => attempt(() => c.query(insertSql, insertParams)))).toBe(1);
        expect(
          await asUser(alice, (c) => attempt(() => c.query(`update public.${table} set created_at = created_at where ${owner} = $1`, [alice.id]))),
        ).toBe("denied");
        const deleted = await withRlsTransaction(
          appPool,
          userClaims(alice.id),
          (c) => attempt(() => c.query(`delete from public.${table} where ${owner} = $1`, [alice.id])),
          { rollback: true },
        );
        expect(deleted).toBeGreaterThan(0);
      });
      break;
    case "owner-read-update":
      it("the owner can read and update their row but not create or delete one", async () => {
        const [sql, params] = ownedBy(alice);
        expect(await asUser(alice, (c) => attempt(() => c.query(sql, [...params])))).toBe(1);
        expect(await asUser(alice, (c) => attempt(() => c.query(`update public.${table} set ${spec.update} where ${owner} = $1`, [alice.id])))).toBe(
          1,
        );
        expect(await asUser(alice, (c) => attempt(() => c.query(`delete from public.${table} where ${owner} = $1`, [alice.id])))).toBe("denied");
      });
      break;
    case "owner-read":
      it("the owner can read their rows; only the jobs (service role) write them", async () => {
        const [sql, params] = ownedBy(alice);
        expect(await asUser(alice, (c) => attempt(() => c.query(sql, [...params])))).toBeGreaterThan(0);
        expect(
          await asUser(alice, (c) => attempt(() => c.query(`update public.${table} set ${owner} = ${owner} where ${owner} = $1`, [alice.id]))),
        ).toBe("denied");
        expect(await asUser(alice, (c) => attempt(() => c.query(`delete from public.${table} where ${owner} = $1`, [alice.id])))).toBe("denied");
        const serviceSees = await withRlsTransaction(appPool, { role: "service_role", sub: alice.id }, (c) =>
          attempt(() => c.query(sql, [...params])),
        );
        expect(serviceSees).toBeGreaterThan(0);
      });
      break;
    case "owner-read-delete":
      it("the owner can read and delete their rows but not write them; the service role sees them", async () => {
        const [sql, params] = ownedBy(alice);
        expect(await asUser(alice, (c) => attempt(() => c.query(sql, [...params])))).toBeGreaterThan(0);
        expect(
          await asUser(alice, (c) => attempt(() => c.query(`update public.${table} set ${owner} = ${owner} where ${owner} = $1`, [alice.id]))),
        ).toBe("denied");
        const deleted = await withRlsTransaction(
          appPool,
          userClaims(alice.id),
          (c) => attempt(() => c.query(`delete from public.${table} where ${owner} = $1`, [alice.id])),
          { rollback: true },
        );
        expect(deleted).toBeGreaterThan(0);
        const serviceSees = await withRlsTransaction(appPool, { role: "service_role", sub: alice.id }, (c) =>
          attempt(() => c.query(sql, [...params])),
        );
        expect(serviceSees).toBeGreaterThan(0);
      });
      break;
    case "server-only":
      it("no signed-in user can read it, not even their own rows; the service role can", async () => {
        expect(await asUser(alice, (c) => attempt(() => c.query(`select * from public.${table}`)))).toBe("denied");
        const serviceSees = await withRlsTransaction(appPool, { role: "service_role" }, (c) =>
          attempt(() => c.query(`select * from public.${table}`)),
        );
        expect(serviceSees).toBeGreaterThan(0);
      });
      break;
    case "signed-in-read":
    case "public-read":
      it("any signed-in user reads it and nobody but the service role writes it", async () => {
        expect(await asUser(alice, (c) => attempt(() => c.query(`select * from public.${table}`)))).toBeGreaterThan(0);
        expect(await asUser(alice, (c) => attempt(() => c.query(`delete from public.${table}`)))).toBe("denied");
      });
      break;
    case "admin-read":
      it("only admins read it", async () => {
        expect(await asUser(alice, (c) => attempt(() => c.query(`select * from public.${table}`)))).toBe(0);
        const admin = await createUser(db.pool, { admin: true });
        expect(await withRlsTransaction(appPool, userClaims(admin), (c) => attempt(() => c.query(`select * from public.${table}`)))).toBeGreaterThan(
          0,
        );
        expect(await withRlsTransaction(appPool, userClaims(admin), (c) => attempt(() => c.query(`delete from public.${table}`)))).toBe("denied");
      });
      break;
  }
});

describe("sensitive columns and escalation", () => {
  it("connection checks are requested through a function, for the caller only, and their ciphertext is never readable", async () => {
    const id = randomUUID();
    await asUser(alice, (c) => c.query("select public.request_mt5_connection_check($1, 'Broker-Live', 777, $2, 'k1')", [id, Buffer.from("cipher")]));
    const { rows } = await db.pool.query("select user_id, status from public.mt5_connection_checks where id = $1", [id]);
    expect(rows).toEqual([{ user_id: alice.id, status: "pending" }]);
    await expect(
      asUser(alice, (c) => c.query("select password_ciphertext from public.mt5_connection_checks where id = $1", [id])),
    ).rejects.toMatchObject({ code: "42501" });
    await expect(
      asUser(alice, (c) =>
        c.query("insert into public.mt5_connection_checks (id, user_id, mt5_server, mt5_login) values ($1, $2, 'x', 1)", [randomUUID(), alice.id]),
      ),
    ).rejects.toMatchObject({ code: "42501" });
    await expect(
      asAnon((c) => c.query("select public.request_mt5_connection_check($1, 'x', 1, $2, 'k1')", [randomUUID(), Buffer.from("c")])),
    ).rejects.toMatchObject({ code: "42501" });
  });

  it("limits connection checks to 10 a minute per user", async () => {
    const carol = await createUser(db.pool, { email: "carol@example.test", tier: "pro" });
    const request = () =>
      withRlsTransaction(appPool, userClaims(carol), (c) =>
        c.query("select public.request_mt5_connection_check($1, 'Broker-Live', 1, $2, 'k1')", [randomUUID(), Buffer.from("c")]),
      );
    for (let i = 0; i < 10; i++) await request();
    await expect(request()).rejects.toMatchObject({ code: "RJ005" });
  });

  it("a user cannot raise their own plan or make themselves admin", async () => {
    for (const assignment of ["subscription_tier = 'elite'", "is_admin = true", "stripe_customer_id = 'cus_x'"]) {
      const result = await asUser(alice, (c) => attempt(() => c.query(`update public.profiles set ${assignment} where id = $1`, [alice.id])));
      expect(result, assignment).toBe("denied");
    }
  });

  it("investor passwords are written through set_account_credentials and never read back by clients", async () => {
    await asUser(alice, (c) => c.query("select public.set_account_credentials($1, $2, 'k2')", [alice.accountId, Buffer.from("cipher")]));
    await expect(
      asUser(alice, (c) => c.query("select public.set_account_credentials($1, $2, 'k2')", [bob.accountId, Buffer.from("x")])),
    ).rejects.toMatchObject({ code: "42501" });
    const { rows } = await db.pool.query("select key_id from public.account_credentials where account_id = $1", [bob.accountId]);
    expect(rows[0].key_id).toBe("k1");
    await expect(asUser(alice, (c) => c.query("select password_ciphertext from public.account_credentials"))).rejects.toMatchObject({
      code: "42501",
    });
  });
});
