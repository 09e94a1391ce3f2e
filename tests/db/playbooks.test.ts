// Playbooks against the real schema as the signed-in user: the checklist
// (add, reorder, remove), linking a trade through its journal row without
// making an open journal editor stale, ticking rules, the figures the
// playbook page shows, and tenancy (another user's playbook or rule can be
// neither read nor linked nor ticked).
import { describe, expect, it } from "vitest";
import { isAppError } from "../../app/lib/app-error.ts";
import { withRlsTransaction, type RequestDb } from "../../app/lib/db.server.ts";
import {
  addRule,
  createPlaybook,
  deletePlaybook,
  linkTradePlaybook,
  listPlaybooks,
  loadPlaybook,
  loadTradePlaybookPanel,
  moveRule,
  removeRule,
  setRuleChecks,
  updatePlaybook,
} from "../../app/models/playbooks.server.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createTrade, createUser, userClaims } from "../support/fixtures.ts";

const db = await createTestDatabase();

const as = <T>(userId: string, work: (db: RequestDb) => Promise<T>) => withRlsTransaction(db.appPool, userClaims(userId), work);

async function failure(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
  throw new Error("expected the call to fail");
}

async function trader() {
  const userId = await createUser(db.pool);
  const accountId = await createAccount(db.pool, userId);
  return { userId, accountId };
}

async function playbookWithRules(userId: string, name: string, rules: string[]) {
  const id = await as(userId, (c) => createPlaybook(c, userId, { name, description: null }));
  const ruleIds: string[] = [];
  for (const text of rules) ruleIds.push(await as(userId, (c) => addRule(c, userId, id, text)));
  return { id, ruleIds };
}

const ruleTexts = async (userId: string, playbookId: string) =>
  (await as(userId, (c) => loadPlaybook(c, userId, playbookId)))!.rules.map((r) => [r.position, r.text]);

describe("the checklist", () => {
  it("adds rules at the end, moves them up and down, and closes the gap a removed rule leaves", async () => {
    const { userId } = await trader();
    const { id, ruleIds } = await playbookWithRules(userId, "London breakout", ["Trend on H4", "Break of Asian range", "Stop below range"]);
    expect(await ruleTexts(userId, id)).toEqual([
      [0, "Trend on H4"],
      [1, "Break of Asian range"],
      [2, "Stop below range"],
    ]);
    await as(userId, (c) => moveRule(c, id, ruleIds[2]!, "up"));
    await as(userId, (c) => moveRule(c, id, ruleIds[0]!, "up")); // already first: nothing moves
    expect((await ruleTexts(userId, id)).map(([, text]) => text)).toEqual(["Trend on H4", "Stop below range", "Break of Asian range"]);
    await as(userId, (c) => removeRule(c, id, ruleIds[0]!));
    expect(await ruleTexts(userId, id)).toEqual([
      [0, "Stop below range"],
      [1, "Break of Asian range"],
    ]);
    await as(userId, (c) => updatePlaybook(c, id, { name: "London BO", description: "Only before 10:00" }));
    const [summary] = await as(userId, (c) => listPlaybooks(c, userId));
    expect(summary).toMatchObject({ id, name: "London BO", description: "Only before 10:00", ruleCount: 2, linkedTrades: 0, figures: [] });
  });

  it("refuses a second playbook of the same name", async () => {
    const { userId } = await trader();
    await playbookWithRules(userId, "Pullback", []);
    expect(await failure(as(userId, (c) => createPlaybook(c, userId, { name: "pullback", description: null })))).toBe("conflict");
  });
});

describe("linking a trade and ticking its checklist", () => {
  it("upserts the journal row without bumping its version, and drops ticks of the old playbook on a relink", async () => {
    const { userId, accountId } = await trader();
    const trade = await createTrade(db.pool, userId, accountId);
    const first = await playbookWithRules(userId, "First", ["a", "b", "c"]);
    const second = await playbookWithRules(userId, "Second", ["x"]);

    // No journal yet: linking creates it.
    await as(userId, (c) => linkTradePlaybook(c, userId, trade, first.id));
    await db.pool.query("update public.journals set notes = 'entry on retest' where trade_id = $1", [trade]);
    const version = async () => (await db.pool.query("select version, notes, playbook_id from public.journals where trade_id = $1", [trade])).rows[0];
    const before = await version();
    expect(before).toMatchObject({ notes: "entry on retest", playbook_id: first.id });

    await as(userId, (c) => setRuleChecks(c, userId, trade, first.id, [first.ruleIds[0]!, first.ruleIds[2]!]));
    let panel = await as(userId, (c) => loadTradePlaybookPanel(c, userId, trade));
    expect(panel.linkedPlaybookId).toBe(first.id);
    expect([...panel.checkedRuleIds].sort()).toEqual([first.ruleIds[0], first.ruleIds[2]].sort());
    expect(panel.playbooks.map((p) => [p.name, p.rules.map((r) => r.text)])).toEqual([
      ["First", ["a", "b", "c"]],
      ["Second", ["x"]],
    ]);

    // Unticking one keeps the other.
    await as(userId, (c) => setRuleChecks(c, userId, trade, first.id, [first.ruleIds[2]!]));
    panel = await as(userId, (c) => loadTradePlaybookPanel(c, userId, trade));
    expect(panel.checkedRuleIds).toEqual([first.ruleIds[2]]);

    // Relinking: the notes and version are untouched (an open editor is not stale), the old ticks go.
    await as(userId, (c) => linkTradePlaybook(c, userId, trade, second.id));
    const after = await version();
    expect(after).toMatchObject({ version: before.version, notes: "entry on retest", playbook_id: second.id });
    panel = await as(userId, (c) => loadTradePlaybookPanel(c, userId, trade));
    expect(panel.checkedRuleIds).toEqual([]);

    // A rule of another playbook, or ticks against a stale link, are refused.
    expect(await failure(as(userId, (c) => setRuleChecks(c, userId, trade, second.id, [first.ruleIds[0]!])))).toBe("conflict");
    expect(await failure(as(userId, (c) => setRuleChecks(c, userId, trade, first.id, [])))).toBe("conflict");

    // Unlinking keeps the journal.
    await as(userId, (c) => linkTradePlaybook(c, userId, trade, null));
    expect(await version()).toMatchObject({ version: before.version, notes: "entry on retest", playbook_id: null });
  });

  it("deleting a playbook unlinks its trades and keeps their journals", async () => {
    const { userId, accountId } = await trader();
    const trade = await createTrade(db.pool, userId, accountId);
    const { id, ruleIds } = await playbookWithRules(userId, "Gone", ["a"]);
    await as(userId, (c) => linkTradePlaybook(c, userId, trade, id));
    await as(userId, (c) => setRuleChecks(c, userId, trade, id, ruleIds));
    await as(userId, (c) => deletePlaybook(c, id));
    expect((await db.pool.query("select playbook_id from public.journals where trade_id = $1", [trade])).rows).toEqual([{ playbook_id: null }]);
    expect((await db.pool.query("select 1 from public.trade_rule_checks where trade_id = $1", [trade])).rowCount).toBe(0);
  });
});

describe("the playbook's figures", () => {
  it("reads its closed trades' figures and the every-rule comparison; open trades are listed, not counted", async () => {
    const { userId, accountId } = await trader();
    const { id, ruleIds } = await playbookWithRules(userId, "Range fade", ["r1", "r2", "r3"]);
    // Manual trades without costs: net = gross profit. R: |entry − stop| × volume × 100,000 (EURUSD).
    const specs = [
      { gross: "100.00", checks: ruleIds }, // every rule
      { gross: "-40.00", checks: ruleIds }, // every rule
      { gross: "-50.00", checks: ruleIds.slice(0, 2) }, // 2 of 3
      { gross: "30.00", checks: [] as string[] }, // none
    ];
    for (const [i, spec] of specs.entries()) {
      const trade = await createTrade(db.pool, userId, accountId, {
        gross_profit: spec.gross,
        closed_at: `2026-03-0${i + 2}T11:40:00Z`,
        opened_at: `2026-03-0${i + 2}T09:15:00Z`,
      });
      await as(userId, (c) => linkTradePlaybook(c, userId, trade, id));
      await as(userId, (c) => setRuleChecks(c, userId, trade, id, spec.checks));
    }
    const open = await createTrade(db.pool, userId, accountId, { status: "open", closed_at: null, exit_price: null, gross_profit: "0" });
    await as(userId, (c) => linkTradePlaybook(c, userId, open, id));

    const detail = (await as(userId, (c) => loadPlaybook(c, userId, id)))!;
    expect(detail.linkedTrades).toBe(5);
    expect(detail.trades[0]!.id).toBe(open); // open first, then newest close
    expect(detail.trades.map((t) => [t.checked, t.followedEveryRule])).toEqual([
      [0, false],
      [0, false],
      [2, false],
      [3, true],
      [3, true],
    ]);
    const [usd] = detail.figures;
    expect(usd!.currency).toBe("USD");
    expect(usd!.all).toMatchObject({ trades: 4, wins: 2, losses: 2, winRate: 0.5, netTotal: "40", expectancy: "10", smallSample: true });
    expect(usd!.comparison!.everyRule).toMatchObject({ trades: 2, wins: 1, netTotal: "60", expectancy: "30" });
    expect(usd!.comparison!.notEveryRule).toMatchObject({ trades: 2, wins: 1, netTotal: "-20", expectancy: "-10" });
    const [summary] = await as(userId, (c) => listPlaybooks(c, userId));
    expect(summary).toMatchObject({ linkedTrades: 5, ruleCount: 3 });
    expect(summary!.figures[0]!.all.trades).toBe(4);
  });
});

describe("tenancy", () => {
  it("another user's playbook and rules can be neither read, changed, linked nor ticked", async () => {
    const alice = await trader();
    const bob = await trader();
    const alicesTrade = await createTrade(db.pool, alice.userId, alice.accountId);
    const bobsTrade = await createTrade(db.pool, bob.userId, bob.accountId);
    const hers = await playbookWithRules(alice.userId, "Hers", ["secret rule"]);
    const his = await playbookWithRules(bob.userId, "His", ["his rule"]);
    await as(alice.userId, (c) => linkTradePlaybook(c, alice.userId, alicesTrade, hers.id));

    expect(await as(bob.userId, (c) => loadPlaybook(c, bob.userId, hers.id))).toBeNull();
    expect(await as(bob.userId, (c) => loadPlaybook(c, alice.userId, hers.id))).toBeNull();
    expect((await as(bob.userId, (c) => listPlaybooks(c, bob.userId))).map((p) => p.name)).toEqual(["His"]);
    const panel = await as(bob.userId, (c) => loadTradePlaybookPanel(c, bob.userId, alicesTrade));
    expect(panel).toMatchObject({ linkedPlaybookId: null, checkedRuleIds: [] });
    expect(panel.playbooks.map((p) => p.name)).toEqual(["His"]);

    // Her playbook on his trade; his playbook on her trade.
    expect(await failure(as(bob.userId, (c) => linkTradePlaybook(c, bob.userId, bobsTrade, hers.id)))).toBe("not_found");
    expect(await failure(as(bob.userId, (c) => linkTradePlaybook(c, bob.userId, alicesTrade, his.id)))).toBe("not_found");
    // Her rule ticked on his trade, linked to his playbook.
    await as(bob.userId, (c) => linkTradePlaybook(c, bob.userId, bobsTrade, his.id));
    expect(await failure(as(bob.userId, (c) => setRuleChecks(c, bob.userId, bobsTrade, his.id, [hers.ruleIds[0]!])))).toBe("conflict");
    // Straight at the table: the composite foreign key refuses her rule.
    await expect(
      as(bob.userId, (c) =>
        c.query("insert into public.trade_rule_checks (user_id, trade_id, rule_id) values ($1, $2, $3)", [bob.userId, bobsTrade, hers.ruleIds[0]]),
      ),
    ).rejects.toMatchObject({ code: "23503" });
    // Changing hers.
    expect(await failure(as(bob.userId, (c) => updatePlaybook(c, hers.id, { name: "Mine now", description: null })))).toBe("not_found");
    expect(await failure(as(bob.userId, (c) => addRule(c, bob.userId, hers.id, "extra")))).toBe("not_found");
    expect(await failure(as(bob.userId, (c) => removeRule(c, hers.id, hers.ruleIds[0]!)))).toBe("not_found");
    expect(await failure(as(bob.userId, (c) => deletePlaybook(c, hers.id)))).toBe("not_found");
    expect(await ruleTexts(alice.userId, hers.id)).toEqual([[0, "secret rule"]]);
    expect((await db.pool.query("select playbook_id from public.journals where trade_id = $1", [alicesTrade])).rows).toEqual([
      { playbook_id: hers.id },
    ]);
  });
});
