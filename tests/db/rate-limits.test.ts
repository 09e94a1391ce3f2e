// The shared rate limits in PostgreSQL (issue 19 item 5): one statement counts
// a hit for every process, windows are fixed and pruned, and no client role
// can read or write the counters or the rules. Plus user_tier(uuid), which
// used to tell any signed-in user another user's plan.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { withRlsTransaction, type DatabaseClaims } from "../../app/lib/db.server.ts";
import { pruneLimits, takeLimits as take } from "../../app/lib/rate-limit-store.server.ts";
import { createTestDatabase } from "../support/database.ts";
import { createUser, userClaims } from "../support/fixtures.ts";

const db = await createTestDatabase();

async function denied(work: () => Promise<unknown>): Promise<boolean> {
  try {
    await work();
    return false;
  } catch (error) {
    return (error as { code?: string }).code === "42501";
  }
}

describe("rate_limit.take", () => {
  it("counts hits per (rule, key) in the current window and reads without counting", async () => {
    const key = randomUUID();
    const check = { rule: "sign-in-address", key, count: true };
    const [first] = await take(db.appPool, [check]);
    const [second] = await take(db.appPool, [check]);
    expect([first!.hits, second!.hits]).toEqual([1, 2]);
    expect(second!.maxHits).toBe(20);
    expect(second!.windowEndsAt.getTime() % 60_000).toBe(0);
    const [peek] = await take(db.appPool, [{ ...check, count: false }]);
    expect(peek!.hits).toBe(2);
    const [other] = await take(db.appPool, [{ ...check, key: randomUUID(), count: false }]);
    expect(other).toMatchObject({ hits: 0, lastHitAt: null });
  });

  it("counts every hit once when two connections hit the same key at the same time", async () => {
    const key = randomUUID();
    await Promise.all(Array.from({ length: 40 }, () => take(db.appPool, [{ rule: "action-address", key, count: true }])));
    const [state] = await take(db.appPool, [{ rule: "action-address", key, count: false }]);
    expect(state!.hits).toBe(40);
  });

  it("leaves unknown rules out of the answer and prunes ended windows only", async () => {
    expect(await take(db.appPool, [{ rule: "no-such-rule", key: "k", count: true }])).toEqual([]);
    const key = randomUUID();
    await db.pool.query(
      "insert into rate_limit.counters (rule, key, window_start, hits, last_hit_at) values ('sign-in-address', $1, now() - interval '1 hour', 7, now() - interval '1 hour')",
      [key],
    );
    await take(db.appPool, [{ rule: "sign-in-address", key, count: true }]);
    expect(await pruneLimits(db.appPool)).toBeGreaterThan(0);
    const { rows } = await db.pool.query<{ hits: number }>("select hits from rate_limit.counters where key = $1", [key]);
    expect(rows.map((r) => r.hits)).toEqual([1]);
  });

  it("no client role may call it, read the counters or change the rules", async () => {
    const user = await createUser(db.pool);
    for (const claims of [{ role: "anon" }, userClaims(user), { role: "service_role" }]) {
      await withRlsTransaction(db.appPool, claims, async (c) => {
        await c.query("savepoint probe");
        for (const sql of [
          "select * from rate_limit.take(array['sign-in-address'], array['x'], array[true])",
          "select * from rate_limit.counters",
          "select rate_limit.prune()",
          "update public.rate_limit_rules set max_hits = 1000000",
          "insert into public.rate_limit_rules (name, max_hits, window_seconds, description) values ('x', 1, 1, 'x')",
        ]) {
          expect(await denied(() => c.query(sql)), `${claims.role}: ${sql}`).toBe(true);
          await c.query("rollback to savepoint probe");
        }
      });
    }
  });
});

describe("user_tier", () => {
  it("tells a signed-in user their own plan and refuses anyone else's; the service role reads any", async () => {
    const alice = await createUser(db.pool, { tier: "free" });
    const bob = await createUser(db.pool, { tier: "elite" });
    const tierAs = (claims: DatabaseClaims, of: string) =>
      withRlsTransaction(
        db.appPool,
        claims,
        async (c) => (await c.query<{ tier: string }>("select public.user_tier($1) as tier", [of])).rows[0]!.tier,
      );
    expect(await tierAs(userClaims(bob), bob)).toBe("elite");
    expect(await denied(() => tierAs(userClaims(alice), bob))).toBe(true);
    expect(await denied(() => tierAs({ role: "anon" }, bob))).toBe(true);
    expect(await tierAs({ role: "service_role" }, bob)).toBe("elite");
  });
});
