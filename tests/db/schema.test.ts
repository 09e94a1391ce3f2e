// The rules the schema itself enforces: rows created with the user, plan limits,
// trade identity, write-once initial stop, exact money, broker time, analytics
// invalidation, the screenshots bucket and what Realtime may carry.
import { describe, expect, it } from "vitest";
import pg from "pg";
import { withRlsTransaction } from "../../app/lib/db.server.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createTrade, createUser, userClaims } from "../support/fixtures.ts";

const db = await createTestDatabase();
const asUser = <T>(userId: string, work: (c: pg.PoolClient) => Promise<T>) => withRlsTransaction(db.appPool, userClaims(userId), work);

async function insertTradesAsUser(userId: string, accountId: string, count: number) {
  return asUser(userId, (c) =>
    c.query(
      `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at,
         volume, entry_price, exit_price, gross_profit)
       select $1, $2, gen_random_uuid()::text, 'EURUSD', 'buy', 'closed', now() - interval '1 hour', now(), 0.1, 1.1, 1.2, 10
         from generate_series(1, $3)`,
      [userId, accountId, count],
    ),
  );
}

describe("a new auth user", () => {
  it("gets a profile and settings from the sign-up metadata", async () => {
    const id = await createUser(db.pool, { email: "new@example.test", fullName: "Ana Trader", timeZone: "Europe/Berlin" });
    const { rows } = await db.pool.query(
      `select p.email, p.full_name, p.subscription_tier, s.time_zone, s.trading_day_start_hour, s.trading_day_time_zone
         from public.profiles p join public.user_settings s on s.user_id = p.id where p.id = $1`,
      [id],
    );
    expect(rows[0]).toEqual({
      email: "new@example.test",
      full_name: "Ana Trader",
      subscription_tier: "free",
      time_zone: "Europe/Berlin",
      // metrics.md: a trading day starts at 00:00 in the user's own zone (null) unless they choose otherwise.
      trading_day_start_hour: 0,
      trading_day_time_zone: null,
    });
  });

  it("falls back to UTC for a time zone that is not a named zone", async () => {
    const id = await createUser(db.pool, { timeZone: "UTC+3" });
    const { rows } = await db.pool.query("select time_zone from public.user_settings where user_id = $1", [id]);
    expect(rows[0].time_zone).toBe("UTC");
  });

  it("keeps the profile email in step with a confirmed email change, and is deleted with the user", async () => {
    const id = await createUser(db.pool);
    await db.pool.query("update auth.users set email = 'changed@example.test' where id = $1", [id]);
    expect((await db.pool.query("select email from public.profiles where id = $1", [id])).rows[0].email).toBe("changed@example.test");
    const account = await createAccount(db.pool, id);
    await createTrade(db.pool, id, account);
    await db.pool.query("delete from auth.users where id = $1", [id]);
    const { rows } = await db.pool.query(
      "select (select count(*) from public.profiles where id = $1) + (select count(*) from public.trades where user_id = $1) as n",
      [id],
    );
    expect(Number(rows[0].n)).toBe(0);
  });

  it("stamps updated_at on every update", async () => {
    const id = await createUser(db.pool);
    await db.pool.query("update public.profiles set updated_at = '2000-01-01' where id = $1", [id]);
    await asUser(id, (c) => c.query("update public.profiles set full_name = 'X' where id = $1", [id]));
    const { rows } = await db.pool.query("select updated_at > now() - interval '1 minute' as fresh from public.profiles where id = $1", [id]);
    expect(rows[0].fresh).toBe(true);
  });
});

describe("free plan: 15 trades added per calendar month", () => {
  it("accepts the 15th trade and refuses the 16th with RJ001 and an upgrade hint", async () => {
    const user = await createUser(db.pool);
    const account = await createAccount(db.pool, user);
    await insertTradesAsUser(user, account, 15);
    const error = await insertTradesAsUser(user, account, 1).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "RJ001", message: "monthly_trade_limit_reached", hint: "upgrade" });
  });

  it("refuses a bulk insert that would cross the limit as a whole, keeping what was saved", async () => {
    const user = await createUser(db.pool);
    const account = await createAccount(db.pool, user);
    await insertTradesAsUser(user, account, 10);
    await expect(insertTradesAsUser(user, account, 6)).rejects.toMatchObject({ code: "RJ001" });
    const { rows } = await db.pool.query("select count(*)::int as n from public.trades where user_id = $1", [user]);
    expect(rows[0].n).toBe(10);
  });

  it("counts only trades added this month in the user's time zone", async () => {
    const user = await createUser(db.pool, { timeZone: "Pacific/Auckland" });
    const account = await createAccount(db.pool, user);
    await insertTradesAsUser(user, account, 15);
    // Added before the start of this month in Auckland: they no longer count.
    await db.pool.query(
      `update public.trades set created_at = date_trunc('month', now() at time zone 'Pacific/Auckland') at time zone 'Pacific/Auckland' - interval '1 second'
        where user_id = $1`,
      [user],
    );
    await insertTradesAsUser(user, account, 15);
    await expect(insertTradesAsUser(user, account, 1)).rejects.toMatchObject({ code: "RJ001" });
  });

  it("cannot be raced: two concurrent inserts of 8 from an empty month leave at most 15", async () => {
    const user = await createUser(db.pool);
    const account = await createAccount(db.pool, user);
    const results = await Promise.allSettled([insertTradesAsUser(user, account, 8), insertTradesAsUser(user, account, 8)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const { rows } = await db.pool.query("select count(*)::int as n from public.trades where user_id = $1", [user]);
    expect(rows[0].n).toBe(8);
  });

  it("does not apply to Pro", async () => {
    const user = await createUser(db.pool, { tier: "pro" });
    const account = await createAccount(db.pool, user);
    await insertTradesAsUser(user, account, 40);
  });
});

describe("accounts per plan", () => {
  it("free: one account, and no MT5", async () => {
    const user = await createUser(db.pool);
    await expect(
      asUser(user, (c) =>
        c.query("insert into public.accounts (user_id, name, kind, mt5_server, mt5_login) values ($1, 'Live', 'mt5', 'Broker-Live', 123)", [user]),
      ),
    ).rejects.toMatchObject({ code: "RJ004" });
    await asUser(user, (c) => c.query("insert into public.accounts (user_id, name) values ($1, 'Manual')", [user]));
    await expect(asUser(user, (c) => c.query("insert into public.accounts (user_id, name) values ($1, 'Second')", [user]))).rejects.toMatchObject({
      code: "RJ003",
      hint: "upgrade",
    });
  });

  it("pro: one MT5 account plus manual ones; switching a manual account to MT5 counts", async () => {
    const user = await createUser(db.pool, { tier: "pro" });
    await createAccount(db.pool, user, { kind: "mt5", mt5_server: "Broker-Live", mt5_login: 1 });
    const manual = await createAccount(db.pool, user, { name: "Manual" });
    await createAccount(db.pool, user, { name: "Manual 2" });
    await expect(
      asUser(user, (c) => c.query("update public.accounts set kind = 'mt5', mt5_server = 'B', mt5_login = 2 where id = $1", [manual])),
    ).rejects.toMatchObject({ code: "RJ004" });
  });

  it("elite: five MT5 accounts", async () => {
    const user = await createUser(db.pool, { tier: "elite" });
    for (let login = 1; login <= 5; login++) {
      await createAccount(db.pool, user, { kind: "mt5", mt5_server: "Broker-Live", mt5_login: login });
    }
    await expect(createAccount(db.pool, user, { kind: "mt5", mt5_server: "Broker-Live", mt5_login: 6 })).rejects.toMatchObject({
      code: "RJ004",
    });
  });
});

describe("trades", () => {
  it("are one row per (account, broker position id): a second copy conflicts, an upsert updates", async () => {
    const user = await createUser(db.pool, { tier: "pro" });
    const account = await createAccount(db.pool, user);
    await createTrade(db.pool, user, account, { position_id: "51234" });
    await expect(createTrade(db.pool, user, account, { position_id: "51234" })).rejects.toMatchObject({ code: "23505" });
    await db.pool.query(
      `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at, volume, entry_price, exit_price, gross_profit)
       values ($1, $2, '51234', 'EURUSD', 'buy', 'closed', '2026-03-02T09:15:00Z', '2026-03-02T11:40:00Z', 0.5, 1.0825, 1.0842, 85)
       on conflict (account_id, position_id) do update set gross_profit = excluded.gross_profit`,
      [user, account],
    );
    const { rows } = await db.pool.query("select count(*)::int as n from public.trades where account_id = $1", [account]);
    expect(rows[0].n).toBe(1);
  });

  it("keep exact decimal money and derive net profit from its parts", async () => {
    const user = await createUser(db.pool, { tier: "pro" });
    const account = await createAccount(db.pool, user);
    const id = await createTrade(db.pool, user, account, { gross_profit: "0.1" });
    await db.pool.query("update public.trades set commission = 0.2, swap = -0.30, fee = 0.000001 where id = $1", [id]);
    const { rows } = await db.pool.query("select net_profit::text as net, pg_typeof(net_profit)::text as type from public.trades where id = $1", [
      id,
    ]);
    expect(rows[0]).toEqual({ net: "0.000001", type: "numeric" });
  });

  it("keep the initial stop loss once set (RJ002) while the current stop may move", async () => {
    const user = await createUser(db.pool, { tier: "pro" });
    const account = await createAccount(db.pool, user);
    const id = await createTrade(db.pool, user, account, { initial_stop_loss: null });
    await asUser(user, (c) => c.query("update public.trades set initial_stop_loss = 1.081 where id = $1", [id]));
    await asUser(user, (c) => c.query("update public.trades set stop_loss = 1.083 where id = $1", [id]));
    await expect(asUser(user, (c) => c.query("update public.trades set initial_stop_loss = 1.079 where id = $1", [id]))).rejects.toMatchObject({
      code: "RJ002",
      message: "initial_stop_loss_immutable",
    });
  });

  it("refuse impossible shapes: closed without exit, exit before entry, more closed than opened", async () => {
    const user = await createUser(db.pool, { tier: "pro" });
    const account = await createAccount(db.pool, user);
    await expect(createTrade(db.pool, user, account, { exit_price: null })).rejects.toMatchObject({ code: "23514" });
    await expect(createTrade(db.pool, user, account, { opened_at: "2026-03-02T12:00:00Z", closed_at: "2026-03-02T11:00:00Z" })).rejects.toMatchObject(
      { code: "23514" },
    );
    const id = await createTrade(db.pool, user, account);
    await expect(db.pool.query("update public.trades set closed_volume = 0.6 where id = $1", [id])).rejects.toMatchObject({
      code: "23514",
    });
  });

  it("bump the owner's analytics data version on every change to trades, cash, tags and settings, and nobody else's", async () => {
    const user = await createUser(db.pool, { tier: "pro" });
    const other = await createUser(db.pool, { tier: "pro" });
    const account = await createAccount(db.pool, user);
    const version = async (id: string) =>
      Number(
        (await db.pool.query("select coalesce((select version from public.analytics_data_versions where user_id = $1), 0) as v", [id])).rows[0].v,
      );
    const otherBefore = await version(other);
    let last = await version(user);
    const bumped = async () => {
      const now = await version(user);
      const moved = now > last;
      last = now;
      return moved;
    };

    const trade = await createTrade(db.pool, user, account);
    expect(await bumped()).toBe(true);
    await db.pool.query("update public.trades set comment = 'x' where id = $1", [trade]);
    expect(await bumped()).toBe(true);
    const {
      rows: [tag],
    } = await db.pool.query("insert into public.tags (user_id, name) values ($1, 'breakout') returning id", [user]);
    expect(await bumped()).toBe(true);
    await db.pool.query("insert into public.trade_tags (user_id, trade_id, tag_id) values ($1, $2, $3)", [user, trade, tag.id]);
    expect(await bumped()).toBe(true);
    await db.pool.query("insert into public.cash_movements (user_id, account_id, kind, amount, occurred_at) values ($1, $2, 'deposit', 500, now())", [
      user,
      account,
    ]);
    expect(await bumped()).toBe(true);
    await db.pool.query("update public.user_settings set trading_day_start_hour = 17 where user_id = $1", [user]);
    expect(await bumped()).toBe(true);
    await db.pool.query("delete from public.trades where id = $1", [trade]);
    expect(await bumped()).toBe(true);
    expect(await version(other)).toBe(otherBefore);
  });
});

describe("broker server time", () => {
  it.each([
    // NY+7: GMT+2 in the US winter, GMT+3 in the US summer, switching on US dates.
    ["2026-01-15 10:00:00", "NY+7", "2026-01-15T08:00:00.000Z"],
    ["2026-07-15 10:00:00", "NY+7", "2026-07-15T07:00:00.000Z"],
    ["2026-03-10 10:00:00", "NY+7", "2026-03-10T07:00:00.000Z"], // US already on DST, EU not yet
    ["2026-03-10 10:00:00", "Europe/Athens", "2026-03-10T08:00:00.000Z"],
    ["2026-07-15 10:00:00", "UTC", "2026-07-15T10:00:00.000Z"],
  ])("%s on a %s server is %s UTC", async (serverTime, zone, utc) => {
    const { rows } = await db.pool.query("select public.server_time_to_utc($1::timestamp, $2) as t", [serverTime, zone]);
    expect((rows[0].t as Date).toISOString()).toBe(utc);
  });

  it("accepts named zones and NY+7 only", async () => {
    const { rows } = await db.pool.query(
      "select z, public.is_valid_server_time_zone(z) as ok from unnest(array['NY+7','Europe/London','UTC','UTC+3','EET; drop table x','Mars/Olympus']) z",
    );
    expect(Object.fromEntries(rows.map((r) => [r.z, r.ok]))).toEqual({
      "NY+7": true,
      "Europe/London": true,
      UTC: true,
      "UTC+3": false,
      "EET; drop table x": false,
      "Mars/Olympus": false,
    });
  });
});

describe("screenshots bucket and realtime", () => {
  it("trade-screenshots is private, 5 MB, png/jpeg/webp", async () => {
    const { rows } = await db.pool.query("select public, file_size_limit, allowed_mime_types from storage.buckets where id = 'trade-screenshots'");
    expect(rows[0]).toEqual({ public: false, file_size_limit: "5242880", allowed_mime_types: ["image/png", "image/jpeg", "image/webp"] });
  });

  it("users reach only their own screenshot folder", async () => {
    const alice = await createUser(db.pool);
    const bob = await createUser(db.pool);
    const insert = (owner: string, folder: string) =>
      asUser(owner, (c) =>
        c.query("insert into storage.objects (bucket_id, name, owner) values ('trade-screenshots', $1, $2)", [`${folder}/t1/a.png`, owner]),
      );
    await insert(alice, alice);
    await expect(insert(alice, bob)).rejects.toMatchObject({ code: "42501" });
    const seen = await asUser(bob, (c) => c.query("select * from storage.objects where bucket_id = 'trade-screenshots'"));
    expect(seen.rowCount).toBe(0);
  });

  it("publishes trades, open_positions, accounts, candle_cache and candle_window_requests, without full replica identity", async () => {
    const { rows } = await db.pool.query(
      `select t.tablename, c.relreplident
         from pg_publication_tables t join pg_class c on c.relname = t.tablename and c.relnamespace = 'public'::regnamespace
        where t.pubname = 'supabase_realtime' order by 1`,
    );
    expect(rows).toEqual([
      { tablename: "accounts", relreplident: "d" },
      { tablename: "candle_cache", relreplident: "d" },
      { tablename: "candle_window_requests", relreplident: "d" },
      { tablename: "open_positions", relreplident: "d" },
      { tablename: "trades", relreplident: "d" },
    ]);
  });

  it("presence: a user may track only on their own topic and may read nobody's roster", async () => {
    const alice = await createUser(db.pool);
    const bob = await createUser(db.pool);
    // What Realtime does on join (read) and on the first track (write): probe
    // realtime.messages in a rolled-back transaction as the user, with realtime.topic set.
    const probe = async (user: string, topic: string, extension: string, op: "read" | "write") => {
      const client = await db.pool.connect();
      try {
        await client.query("begin");
        if (op === "read") {
          await client.query("insert into realtime.messages (topic, extension, private) values ($1, $2, true)", [topic, extension]);
        }
        await client.query(
          "select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true), set_config('realtime.topic', $2, true)",
          [JSON.stringify(userClaims(user)), topic],
        );
        if (op === "write") {
          await client.query("insert into realtime.messages (topic, extension, private) values ($1, $2, true)", [topic, extension]);
          return true;
        }
        return ((await client.query("select 1 from realtime.messages where topic = $1 and extension = $2", [topic, extension])).rowCount ?? 0) > 0;
      } catch (error) {
        if ((error as { code?: string }).code === "42501") return false;
        throw error;
      } finally {
        await client.query("rollback");
        client.release();
      }
    };

    expect(await probe(alice, `presence:${alice}`, "presence", "write")).toBe(true);
    expect(await probe(alice, `presence:${bob}`, "presence", "write")).toBe(false);
    expect(await probe(alice, `presence:${alice}`, "broadcast", "read")).toBe(true); // may join
    expect(await probe(alice, `presence:${alice}`, "presence", "read")).toBe(false); // roster hidden
    expect(await probe(alice, `presence:${bob}`, "broadcast", "read")).toBe(false);
  });
});
