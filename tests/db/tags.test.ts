// Settings → Tags against the real schema as the signed-in user: starter tags
// for a new auth user, create / edit / merge / delete with usage counts, and
// tenancy (another user's tag can be neither read, changed, merged nor linked).
import { describe, expect, it } from "vitest";
import { isAppError } from "../../app/lib/app-error.ts";
import { withRlsTransaction, type RequestDb } from "../../app/lib/db.server.ts";
import { createTag, deleteTag, listTags, mergeTags, updateTag } from "../../app/models/tags.server.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createTrade, createUser, userClaims } from "../support/fixtures.ts";

const db = await createTestDatabase();

const as = <T>(userId: string, work: (db: RequestDb) => Promise<T>) => withRlsTransaction(db.appPool, userClaims(userId), work);

async function failure(work: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await work;
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected the call to fail");
}

async function traderWithTrades(count: number) {
  const userId = await createUser(db.pool);
  const accountId = await createAccount(db.pool, userId);
  const trades: string[] = [];
  for (let i = 0; i < count; i++) trades.push(await createTrade(db.pool, userId, accountId));
  return { userId, trades };
}

const tagTrades = (userId: string, tagId: string, trades: string[]) =>
  Promise.all(trades.map((t) => db.pool.query("insert into public.trade_tags (user_id, trade_id, tag_id) values ($1, $2, $3)", [userId, t, tagId])));

const tradesOf = async (tagId: string) =>
  (await db.pool.query<{ trade_id: string }>("select trade_id from public.trade_tags where tag_id = $1 order by trade_id", [tagId])).rows.map(
    (r) => r.trade_id,
  );

describe("starter tags", () => {
  it("a new auth user starts with setups, mistakes and emotions", async () => {
    const userId = await createUser(db.pool, { starterTags: true });
    const tags = await as(userId, (c) => listTags(c, userId));
    const names = (category: string) => tags.filter((t) => t.category === category).map((t) => t.name);
    expect(names("setup")).toEqual(["Breakout", "Pullback", "Range", "Reversal"]);
    expect(names("mistake")).toEqual(["Early exit", "FOMO entry", "Moved stop", "No stop", "Oversized"]);
    expect(names("emotion")).toEqual(["Anxious", "Calm", "Impatient", "Overconfident"]);
    expect(names("general")).toEqual([]);
    // Listed by group: setups, mistakes, emotions.
    expect(tags.map((t) => t.category)).toEqual([...Array(4).fill("setup"), ...Array(5).fill("mistake"), ...Array(4).fill("emotion")]);
    expect(tags.every((t) => t.uses === 0)).toBe(true);
  });

  it("are the new user's own rows: another user's list does not change", async () => {
    const before = await createUser(db.pool);
    await createUser(db.pool, { starterTags: true });
    expect(await as(before, (c) => listTags(c, before))).toEqual([]);
  });
});

describe("managing tags", () => {
  it("creates, renames, recolours and regroups a tag, and counts its trades", async () => {
    const { userId, trades } = await traderWithTrades(3);
    const id = await as(userId, (c) => createTag(c, userId, { name: "London open", color: "#22c55e", category: "setup" }));
    await tagTrades(userId, id, trades.slice(0, 2));
    await as(userId, (c) => updateTag(c, { tagId: id, name: "London breakout", color: "#0ea5e9", category: "general" }));
    expect(await as(userId, (c) => listTags(c, userId))).toEqual([{ id, name: "London breakout", color: "#0ea5e9", category: "general", uses: 2 }]);
  });

  it("refuses a second tag of the same name, in any case", async () => {
    const { userId } = await traderWithTrades(0);
    await as(userId, (c) => createTag(c, userId, { name: "FOMO", color: "#ef4444", category: "mistake" }));
    const refused = await failure(as(userId, (c) => createTag(c, userId, { name: "fomo", color: "#ef4444", category: "mistake" })));
    expect(refused).toEqual({ code: "conflict", message: 'You already have a tag named "fomo".' });
    const other = await as(userId, (c) => createTag(c, userId, { name: "Late", color: "#ef4444", category: "mistake" }));
    expect((await failure(as(userId, (c) => updateTag(c, { tagId: other, name: " Fomo", color: "#ef4444", category: "mistake" })))).code).toBe(
      "conflict",
    );
  });

  it("merges a tag into another: overlapping trades keep one row, the old tag is gone", async () => {
    const { userId, trades } = await traderWithTrades(3);
    const [t1, t2, t3] = trades as [string, string, string];
    const from = await as(userId, (c) => createTag(c, userId, { name: "brk", color: "#111111", category: "setup" }));
    const into = await as(userId, (c) => createTag(c, userId, { name: "Breakout", color: "#222222", category: "setup" }));
    await tagTrades(userId, from, [t1, t2]);
    await tagTrades(userId, into, [t2, t3]); // t2 carries both
    const result = await as(userId, (c) => mergeTags(c, from, into));
    expect(result).toEqual({ moved: 1, mergedName: "brk" });
    expect(await tradesOf(into)).toEqual([t1, t2, t3].sort());
    expect(await tradesOf(from)).toEqual([]);
    const tags = await as(userId, (c) => listTags(c, userId));
    expect(tags.map((t) => [t.name, t.uses])).toEqual([["Breakout", 3]]);
  });

  it("deletes a tag: its trades stay and lose it", async () => {
    const { userId, trades } = await traderWithTrades(2);
    const id = await as(userId, (c) => createTag(c, userId, { name: "Revenge", color: "#ef4444", category: "mistake" }));
    await tagTrades(userId, id, trades);
    expect(await as(userId, (c) => deleteTag(c, id))).toBe("Revenge");
    expect(await tradesOf(id)).toEqual([]);
    expect(Number((await db.pool.query("select count(*) from public.trades where user_id = $1", [userId])).rows[0].count)).toBe(2);
    expect((await failure(as(userId, (c) => deleteTag(c, id)))).code).toBe("not_found");
  });
});

describe("tenancy", () => {
  it("another user's tag can be neither listed, edited, merged, deleted nor put on a trade", async () => {
    const alice = await traderWithTrades(1);
    const bob = await traderWithTrades(1);
    const alicesTag = await as(alice.userId, (c) => createTag(c, alice.userId, { name: "Mine", color: "#123456", category: "setup" }));
    await tagTrades(alice.userId, alicesTag, alice.trades);
    const bobsTag = await as(bob.userId, (c) => createTag(c, bob.userId, { name: "Bob's", color: "#654321", category: "setup" }));

    expect((await as(bob.userId, (c) => listTags(c, bob.userId))).map((t) => t.id)).toEqual([bobsTag]);
    expect(await as(bob.userId, (c) => listTags(c, alice.userId))).toEqual([]);
    expect(
      (await failure(as(bob.userId, (c) => updateTag(c, { tagId: alicesTag, name: "Stolen", color: "#000000", category: "general" })))).code,
    ).toBe("not_found");
    expect((await failure(as(bob.userId, (c) => deleteTag(c, alicesTag)))).code).toBe("not_found");
    // Merging hers into his, or his into hers, changes nothing.
    expect((await failure(as(bob.userId, (c) => mergeTags(c, alicesTag, bobsTag)))).code).toBe("not_found");
    expect((await failure(as(bob.userId, (c) => mergeTags(c, bobsTag, alicesTag)))).code).toBe("not_found");
    expect(await tradesOf(alicesTag)).toEqual(alice.trades);
    expect((await db.pool.query("select name from public.tags where id = $1", [alicesTag])).rows).toEqual([{ name: "Mine" }]);
    expect((await db.pool.query("select 1 from public.tags where id = $1", [bobsTag])).rowCount).toBe(1);
    // Her tag on his trade: the composite foreign key refuses it.
    await expect(
      as(bob.userId, (c) =>
        c.query("insert into public.trade_tags (user_id, trade_id, tag_id) values ($1, $2, $3)", [bob.userId, bob.trades[0], alicesTag]),
      ),
    ).rejects.toMatchObject({ code: "23503" });
  });
});
