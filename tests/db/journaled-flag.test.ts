// A trade counts as journaled when something was written on it: an entry that
// exists only for a playbook link is not one. The trade list's flag and the
// trade page agree, and both follow writes and erasures.
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createTrade, createUser } from "../support/fixtures.ts";

const db = await createTestDatabase();

async function flags(tradeId: string) {
  const { rows } = await db.pool.query<{ listed: boolean; page: boolean }>(
    `select t.journaled as listed,
            exists (select 1 from public.journals j where j.trade_id = t.id and public.journal_is_written(j)) as page
       from public.trades t where t.id = $1`,
    [tradeId],
  );
  return rows[0];
}

describe("the journaled flag", () => {
  it("follows what was written, not whether a journal row exists", async () => {
    const userId = await createUser(db.pool);
    const accountId = await createAccount(db.pool, userId);
    const tradeId = await createTrade(db.pool, userId, accountId);
    const playbook = await db.pool.query("insert into public.playbooks (user_id, name) values ($1, 'Breakout') returning id", [userId]);
    await db.pool.query("insert into public.journals (user_id, trade_id, playbook_id) values ($1, $2, $3)", [userId, tradeId, playbook.rows[0].id]);
    expect(await flags(tradeId)).toEqual({ listed: false, page: false });
    await db.pool.query("update public.journals set notes = '   ' where trade_id = $1", [tradeId]);
    expect(await flags(tradeId)).toEqual({ listed: false, page: false });
    await db.pool.query("update public.journals set mood = 4 where trade_id = $1", [tradeId]);
    expect(await flags(tradeId)).toEqual({ listed: true, page: true });
    await db.pool.query("update public.journals set mood = null, notes = 'waited for the close' where trade_id = $1", [tradeId]);
    expect(await flags(tradeId)).toEqual({ listed: true, page: true });
    await db.pool.query("update public.journals set notes = '' where trade_id = $1", [tradeId]);
    expect(await flags(tradeId)).toEqual({ listed: false, page: false });
    await db.pool.query("update public.journals set followed_plan = 'partly' where trade_id = $1", [tradeId]);
    expect(await flags(tradeId)).toEqual({ listed: true, page: true });
    await db.pool.query("delete from public.journals where trade_id = $1", [tradeId]);
    expect(await flags(tradeId)).toEqual({ listed: false, page: false });
  });
});
