// The store's bulk path (issue 16): rows staged with binary COPY into
// temporary tables, then INSERT … SELECT into the real tables — the new trades
// in parts, each sent when the database has finished the one before while
// the next chunks are built. What goes in comes back exactly — awkward text,
// NULLs, huge and tiny numbers, Unicode — every part takes its trades' legs,
// the first failure is the one reported, and a failure anywhere leaves
// nothing stored and nothing staged.
import { readFile } from "node:fs/promises";
import pg from "pg";
import { describe, expect, it } from "vitest";
import type { CashMovementInput, TradeInput } from "../../app/domain/trades/types.ts";
import { withRlsTransaction } from "../../app/lib/db.server.ts";
import { storeTrades, STORE_CHUNK_SIZE, type StoreContext } from "../../app/models/trade-store.server.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createUser, userClaims } from "../support/fixtures.ts";
import { closedPair, scaleIn } from "../support/leg-pair-trades.ts";

const db = await createTestDatabase();

const AWKWARD = [
  "comma, and tab\there",
  "line one\nline two\r\nline three",
  "back\\slash \\N \\. and \"quotes\" 'single'",
  "NULL",
  "日本語のコメント ✓ 𝔘 ёлка e\u0301",
  "ends in a backslash \\",
];

function cash(fields: Partial<CashMovementInput> = {}): CashMovementInput {
  return {
    dealId: null,
    kind: "deposit",
    amount: "10000",
    occurredAt: new Date("2026-03-01T08:00:00Z"),
    serverUtcOffsetMinutes: 120,
    comment: null,
    ...fields,
  };
}

async function setUp() {
  const userId = await createUser(db.pool, { tier: "pro" });
  const accountId = await createAccount(db.pool, userId);
  const context: StoreContext = { userId, accountId, source: "file", importBatchId: null };
  const store = (trades: TradeInput[], cashRows: CashMovementInput[] = [], pool: pg.Pool = db.appPool) =>
    withRlsTransaction(pool, userClaims(userId), (client) => storeTrades(client, context, { trades, cash: cashRows }));
  const stored = async () =>
    (
      await db.pool.query<{ trades: number; legs: number; cash: number }>(
        `select (select count(*)::int from public.trades where account_id = $1) as trades,
                (select count(*)::int from public.trade_legs l join public.trades t on t.id = l.trade_id where t.account_id = $1) as legs,
                (select count(*)::int from public.cash_movements where account_id = $1) as cash`,
        [accountId],
      )
    ).rows[0];
  return { userId, accountId, context, store, stored };
}

describe("the staged bulk path", () => {
  it("stores awkward text exactly: commas, tabs, newlines, backslashes, quotes, \\N and Unicode, in trades, legs and cash", async () => {
    const { accountId, store } = await setUp();
    const trades = AWKWARD.map((text, i) => {
      // Even positions keep their pair in the row (entry_/exit_ columns), odd ones have leg rows.
      const trade = i % 2 ? scaleIn(`p,\t${i}`) : closedPair(`p,\t${i}`);
      trade.comment = text;
      trade.brokerSymbol = `EUR\tUSD,${i}`;
      trade.raw = { note: text };
      trade.legs = trade.legs.map((leg, k) => ({ ...leg, comment: `${text} #${k}`, dealId: `${leg.dealId}\n${k}` }));
      return trade;
    });
    const movements = AWKWARD.map((text, i) => cash({ comment: text, amount: String(100 + i) }));
    expect(await store(trades, movements)).toMatchObject({ inserted: AWKWARD.length, cashInserted: AWKWARD.length });

    const { rows } = await db.pool.query(
      `select t.position_id, t.comment, t.broker_symbol, t.raw, t.legs_in_row,
              array_agg(l.comment order by l.executed_at, l.deal_id) as leg_comments,
              array_agg(l.deal_id order by l.executed_at, l.deal_id) as deal_ids
         from public.trades t join public.trade_leg_rows l on l.trade_id = t.id
        where t.account_id = $1 group by t.id order by t.position_id`,
      [accountId],
    );
    expect(rows).toEqual(
      trades.map((trade, i) => ({
        position_id: trade.positionId,
        comment: AWKWARD[i],
        broker_symbol: trade.brokerSymbol,
        raw: { note: AWKWARD[i] },
        legs_in_row: i % 2 === 0,
        leg_comments: trade.legs.map((leg) => leg.comment),
        deal_ids: trade.legs.map((leg) => leg.dealId),
      })),
    );
    const { rows: cashRows } = await db.pool.query("select comment from public.cash_movements where account_id = $1 order by amount", [accountId]);
    expect(cashRows.map((row) => row.comment)).toEqual(AWKWARD);
    // The same rows again are duplicates: identity survives the awkward text.
    expect(await store(trades, movements)).toMatchObject({
      inserted: 0,
      duplicates: AWKWARD.length,
      cashInserted: 0,
      cashDuplicates: AWKWARD.length,
    });
  });

  it("keeps NULLs NULL and stores the texts 'NULL' and '\\N' as text", async () => {
    const { accountId, store } = await setUp();
    const bare = scaleIn("bare");
    Object.assign(bare, {
      brokerSymbol: null,
      stopLoss: null,
      takeProfit: null,
      initialStopLoss: null,
      profitCurrency: null,
      conversionRate: null,
      initialRiskAmount: null,
      closeReason: null,
      magic: null,
      comment: null,
      raw: null,
    });
    bare.legs = bare.legs.map((leg) => ({ ...leg, orderId: null, reason: null, comment: null, serverUtcOffsetMinutes: null }));
    const texts = closedPair("texts", { comment: "NULL", brokerSymbol: "\\N" });
    await store([bare, texts], [cash({ comment: null, serverUtcOffsetMinutes: null })]);
    const { rows } = await db.pool.query(
      `select position_id, broker_symbol, stop_loss, take_profit, initial_stop_loss, profit_currency, conversion_rate,
              initial_risk_amount, close_reason, magic, comment, raw
         from public.trades where account_id = $1 order by position_id`,
      [accountId],
    );
    expect(rows).toEqual([
      {
        position_id: "bare",
        broker_symbol: null,
        stop_loss: null,
        take_profit: null,
        initial_stop_loss: null,
        profit_currency: null,
        conversion_rate: null,
        initial_risk_amount: null,
        close_reason: null,
        magic: null,
        comment: null,
        raw: null,
      },
      expect.objectContaining({ position_id: "texts", broker_symbol: "\\N", comment: "NULL" }),
    ]);
    const { rows: legs } = await db.pool.query(
      `select l.order_id, l.reason, l.comment, l.server_utc_offset_minutes from public.trade_legs l
         join public.trades t on t.id = l.trade_id where t.account_id = $1 and t.position_id = 'bare'`,
      [accountId],
    );
    expect(legs).toEqual(bare.legs.map(() => ({ order_id: null, reason: null, comment: null, server_utc_offset_minutes: null })));
    const { rows: cashRows } = await db.pool.query("select comment, server_utc_offset_minutes from public.cash_movements where account_id = $1", [
      accountId,
    ]);
    expect(cashRows).toEqual([{ comment: null, server_utc_offset_minutes: null }]);
  });

  it("stores huge and tiny decimals and the largest magic number exactly", async () => {
    const { accountId, store } = await setUp();
    const huge = "123456789012345678901234567890.12345678901234567890";
    const tiny = "-0.000000000000000000000000000001";
    const trade = closedPair("big", {
      grossProfit: huge,
      commission: tiny,
      swap: "0",
      volume: "1e-7",
      closedVolume: "0.0000001",
      entryPrice: "98765432109876543210.000000000000000001",
      magic: "9223372036854775807",
    });
    trade.legs = trade.legs.map((leg) => ({ ...leg, volume: "0.0000001", profit: leg.kind === "exit" ? huge : "0", commission: "-0" }));
    await store([trade], [cash({ amount: "-99999999999999999999999999.99", kind: "withdrawal" })]);
    const { rows } = await db.pool.query(
      `select gross_profit::text, commission::text, net_profit::text, volume::text, entry_price::text, magic::text
         from public.trades where account_id = $1`,
      [accountId],
    );
    expect(rows[0]).toEqual({
      gross_profit: huge,
      commission: tiny,
      net_profit: "123456789012345678901234567890.123456789012345678899999999999",
      volume: "0.0000001",
      entry_price: "98765432109876543210.000000000000000001",
      magic: "9223372036854775807",
    });
    const { rows: legs } = await db.pool.query(
      `select l.profit::text from public.trade_leg_rows l join public.trades t on t.id = l.trade_id where t.account_id = $1 order by l.kind`,
      [accountId],
    );
    expect(legs.map((row) => row.profit)).toEqual(["0", huge]);
    const { rows: cashRows } = await db.pool.query("select amount::text from public.cash_movements where account_id = $1", [accountId]);
    expect(cashRows).toEqual([{ amount: "-99999999999999999999999999.99" }]);
  });

  it("leaves nothing when a row fails in the last statement, and the same connection stores again (no staging table left)", async () => {
    const { store, stored } = await setUp();
    // One connection: whatever a failed store left in its session, the next store meets it.
    const single = new pg.Pool({ connectionString: db.authenticatorUrl, max: 1 });
    try {
      const count = STORE_CHUNK_SIZE * 2 + 500;
      const trades = Array.from({ length: count }, (_, i) => scaleIn(String(10_000 + i)));
      // Valid to the encoder and to COPY; refused by the trades' check when the one INSERT … SELECT runs.
      trades[count - 3] = { ...scaleIn("bad"), closedVolume: "2.00" };
      await expect(store(trades, [cash({ dealId: "77" })], single)).rejects.toThrow(/closed_volume_within_volume/);
      expect(await stored()).toEqual({ trades: 0, legs: 0, cash: 0 });

      trades[count - 3] = scaleIn("good");
      expect(await store(trades, [cash({ dealId: "77" })], single)).toMatchObject({ inserted: count, cashInserted: 1 });
      expect(await stored()).toEqual({ trades: count, legs: count * 3, cash: 1 });
    } finally {
      await single.end();
    }
  });

  it("leaves nothing when a value fails to encode mid-way, after earlier chunks were already copied", async () => {
    const { store, stored } = await setUp();
    const single = new pg.Pool({ connectionString: db.authenticatorUrl, max: 1 });
    try {
      const trades = Array.from({ length: STORE_CHUNK_SIZE * 3 }, (_, i) => closedPair(String(50_000 + i)));
      trades[STORE_CHUNK_SIZE * 2 + 10] = closedPair("bad-magic", { magic: "12.5" });
      await expect(store(trades, [], single)).rejects.toThrow('"12.5" is not an integer');
      expect(await stored()).toEqual({ trades: 0, legs: 0, cash: 0 });
      expect(await store(trades.slice(0, 10), [], single)).toMatchObject({ inserted: 10 });
    } finally {
      await single.end();
    }
  });

  it("stores twice in one transaction (each store drops its staging tables)", async () => {
    const { userId, context, stored } = await setUp();
    const result = await withRlsTransaction(db.appPool, userClaims(userId), async (client) => [
      await storeTrades(client, context, { trades: [scaleIn("1")], cash: [cash({ dealId: "1" })] }),
      await storeTrades(client, context, { trades: [scaleIn("1"), scaleIn("2")], cash: [cash({ dealId: "1" }), cash({ dealId: "2" })] }),
    ]);
    expect(result).toEqual([
      { inserted: 1, duplicates: 0, updated: 0, cashInserted: 1, cashDuplicates: 0 },
      { inserted: 1, duplicates: 1, updated: 0, cashInserted: 1, cashDuplicates: 1 },
    ]);
    expect(await stored()).toEqual({ trades: 2, legs: 6, cash: 2 });
  });

  it("stages as the user and as the service role without PUBLIC's TEMPORARY: the migration grants it by name", async () => {
    const { userId, context, stored } = await setUp();
    // New sessions each time: PostgreSQL checks the privilege when a session first makes its temporary schema.
    const fresh = async <T>(work: (pool: pg.Pool) => Promise<T>): Promise<T> => {
      const pool = new pg.Pool({ connectionString: db.authenticatorUrl, max: 1 });
      try {
        return await work(pool);
      } finally {
        await pool.end();
      }
    };
    const store = (trades: TradeInput[]) =>
      fresh((pool) => withRlsTransaction(pool, userClaims(userId), (client) => storeTrades(client, context, { trades, cash: [] })));
    const { rows } = await db.pool.query<{ name: string }>("select current_database() as name");
    const database = rows[0]!.name;
    // Cloned databases do not inherit database grants: apply the migration's own SQL to this one.
    const migration = await readFile(new URL("../../supabase/migrations/20261208130000_staging_tables.sql", import.meta.url), "utf8");
    await db.pool.query(`revoke temporary on database ${database} from public`);
    try {
      await db.pool.query(`revoke temporary on database ${database} from authenticated, service_role`);
      // Without the privilege a store cannot stage at all: the privilege is what the path needs.
      await expect(store([scaleIn("1")])).rejects.toThrow(/permission denied to create temporary tables/);
      await db.pool.query(migration);
      expect(await store([scaleIn("1")])).toMatchObject({ inserted: 1 });
      const asService = await fresh((pool) =>
        withRlsTransaction(pool, { role: "service_role", sub: userId }, (client) =>
          storeTrades(client, { ...context, source: "mt5" }, { trades: [scaleIn("2")], cash: [cash({ dealId: "9" })] }),
        ),
      );
      expect(asService).toMatchObject({ inserted: 1, cashInserted: 1 });
      expect(await stored()).toEqual({ trades: 2, legs: 6, cash: 1 });
    } finally {
      await db.pool.query(`grant temporary on database ${database} to public`);
    }
  });

  /**
   * A client of the pool whose part INSERTs answer `delayMs` late (the
   * database's work is done; only its answer waits), as a slow database
   * would, and which records the parts sent.
   */
  /**
   * Makes each part's INSERT answer (or fail) `delayMs` late, and records the
   * statements sent and how many were still running when a rollback was sent.
   */
  async function slowInsertsClient(
    client: pg.PoolClient,
    delayMs: number,
  ): Promise<{ parts: number[]; statements: string[]; runningAtRollback: number[] }> {
    const parts: number[] = [];
    const statements: string[] = [];
    const runningAtRollback: number[] = [];
    let running = 0;
    const later = <T>(settle: () => T) =>
      new Promise<T>((resolve, reject) =>
        setTimeout(() => {
          try {
            resolve(settle());
          } catch (error) {
            reject(error);
          }
        }, delayMs),
      );
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const [text, values] = args as [unknown, unknown[] | undefined];
      const name = typeof text === "string" ? text.trim().split(/\s+/).slice(0, 3).join(" ") : "copy";
      statements.push(name);
      if (/^rollback/i.test(name)) runningAtRollback.push(running);
      running++;
      const result = query(...args);
      if (result instanceof Promise) {
        const slow = typeof text === "string" && /insert into public\.trades/.test(text) && Array.isArray(values);
        if (slow) parts.push(parts.length);
        const answered = slow
          ? result.then(
              (answer) => later(() => answer),
              (error: unknown) =>
                later(() => {
                  throw error;
                }),
            )
          : result;
        answered.then(
          () => running--,
          () => running--,
        );
        return answered;
      }
      // A COPY: a stream that ends when the server has taken its rows (or fails).
      const stream = result as NodeJS.EventEmitter;
      stream.once("finish", () => running--);
      stream.once("error", () => running--);
      return result;
    };
    return { parts, statements, runningAtRollback };
  }

  it("inserts the new trades in parts while the next chunks are built, each part with its legs", async () => {
    const { userId, context, stored } = await setUp();
    const count = STORE_CHUNK_SIZE * 12 + 7;
    // Every third position keeps its legs as rows (a scale-in), the rest in the row.
    const trades = Array.from({ length: count }, (_, i) => (i % 3 === 0 ? scaleIn(String(200_000 + i)) : closedPair(String(200_000 + i))));
    const progress: number[] = [];
    const { result, parts } = await withRlsTransaction(db.appPool, userClaims(userId), async (client) => {
      const { parts } = await slowInsertsClient(client as pg.PoolClient, 150);
      const result = await storeTrades(client, context, { trades, cash: [cash({ dealId: "5" })] }, ({ done }) => {
        progress.push(done);
      });
      return { result, parts };
    });
    expect(result).toEqual({ inserted: count, duplicates: 0, updated: 0, cashInserted: 1, cashDuplicates: 0 });
    const withLegRows = trades.filter((_, i) => i % 3 === 0).length;
    // Leg rows only for the scale-ins: a pair lives in its row.
    expect(await stored()).toEqual({ trades: count, legs: withLegRows * 3, cash: 1 });
    // The first part is the first chunk; the others gathered what was staged while the one before ran.
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.length).toBeLessThan(13);
    expect(progress.at(-1)).toBe(count + 1);
    const { rows } = await db.pool.query(
      `select count(*)::int as n from public.trades t
        where t.account_id = $1 and not t.legs_in_row and (select count(*) from public.trade_legs l where l.trade_id = t.id) <> 3`,
      [context.accountId],
    );
    expect(rows[0].n).toBe(0);
  });

  it("reports the part that failed, not the statements queued behind it, and leaves nothing", async () => {
    // A free trader over the monthly limit: the first part's INSERT refuses while later chunks' COPYs are queued.
    const userId = await createUser(db.pool, { tier: "free" });
    const accountId = await createAccount(db.pool, userId);
    const context: StoreContext = { userId, accountId, source: "file", importBatchId: null };
    const trades = Array.from({ length: STORE_CHUNK_SIZE * 4 }, (_, i) => closedPair(String(300_000 + i)));
    let statements: string[] = [];
    let runningAtRollback: number[] = [];
    const attempt = withRlsTransaction(db.appPool, userClaims(userId), async (client) => {
      ({ statements, runningAtRollback } = await slowInsertsClient(client as pg.PoolClient, 50));
      return storeTrades(client, context, { trades, cash: [] });
    });
    await expect(attempt).rejects.toMatchObject({ code: "RJ001", message: "monthly_trade_limit_reached" });
    // The part failed with a statement queued behind it (the emptying of the staging tables), and chunks
    // built meanwhile were never sent; everything sent had ended before the rollback.
    const failed = statements.findIndex((text) => text.startsWith("with inserted"));
    expect(statements.indexOf("with inserted as", failed + 1)).toBe(-1);
    expect(statements.slice(failed + 1, -1).some((text) => text.startsWith("truncate"))).toBe(true);
    expect(statements.at(-1)).toMatch(/^rollback/i);
    expect(runningAtRollback).toEqual([0]);
    const { rows } = await db.pool.query("select count(*)::int as n from public.trades where account_id = $1", [accountId]);
    expect(rows[0].n).toBe(0);
  });

  it("reports a COPY the server refused (not the statements queued behind it) and stores nothing", async () => {
    const { userId, context, stored } = await setUp();
    const trades = Array.from({ length: STORE_CHUNK_SIZE * 3 }, (_, i) => closedPair(String(400_000 + i)));
    const attempt = withRlsTransaction(db.appPool, userClaims(userId), async (client) => {
      // The first COPY's data is not PostgreSQL's binary format: the server refuses it, and the
      // part's INSERT queued behind it fails as "transaction aborted", which must not be the error reported.
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      let corrupted = false;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        const result = query(...args);
        if (!corrupted && typeof args[0] !== "string") {
          corrupted = true;
          const stream = result as { write: (chunk: Buffer) => boolean };
          const write = stream.write.bind(stream);
          stream.write = () => write(Buffer.from("not a binary COPY stream"));
        }
        return result;
      };
      return storeTrades(client, context, { trades, cash: [] });
    });
    await expect(attempt).rejects.toMatchObject({ code: "22P04" });
    expect(await stored()).toEqual({ trades: 0, legs: 0, cash: 0 });
  });

  it("turns JIT off for the rest of the store's transaction only", async () => {
    const { userId, context } = await setUp();
    const single = new pg.Pool({ connectionString: db.authenticatorUrl, max: 1 });
    try {
      const inside = await withRlsTransaction(single, userClaims(userId), async (client) => {
        await storeTrades(client, context, { trades: [closedPair("jit-1")], cash: [] });
        return (await client.query<{ jit: string }>("show jit")).rows[0]!.jit;
      });
      expect(inside).toBe("off");
      const after = await single.query<{ jit: string }>("show jit");
      expect(after.rows[0]!.jit).toBe("on");
    } finally {
      await single.end();
    }
  });
});
