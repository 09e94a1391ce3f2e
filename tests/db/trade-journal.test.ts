// The per-trade journal against a real database, as the user (RLS): the first
// save inserts, later saves name their version, a stale save changes nothing
// and answers with both versions, tags and mistakes are set-based, create-on-
// type makes the picker's category, and another user can neither read nor
// write any of it.
import { describe, expect, it } from "vitest";
import { EMPTY_CONTENT } from "../../app/domain/journal/entry.ts";
import { withRlsTransaction } from "../../app/lib/db.server.ts";
import { saveWholeJournalForm } from "../../app/models/journal/trade-journal-form.server.ts";
import {
  createTag as createTagInRequest,
  loadTradeJournal as loadTradeJournalInRequest,
  saveTradeJournal as saveTradeJournalInRequest,
  setTradeTags as setTradeTagsInRequest,
} from "../../app/models/journal/trade-journal.server.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createTrade, createUser, userClaims } from "../support/fixtures.ts";
import { asRequest, asRequestOf } from "./as-request.ts";

const loadTradeJournal = asRequestOf(loadTradeJournalInRequest);
const saveTradeJournal = asRequest(saveTradeJournalInRequest);
const setTradeTags = asRequest(setTradeTagsInRequest);
const createTag = asRequest(createTagInRequest);

const db = await createTestDatabase();

async function traderWithTrade() {
  const userId = await createUser(db.pool, { tier: "pro" });
  const accountId = await createAccount(db.pool, userId);
  const tradeId = await createTrade(db.pool, userId, accountId);
  return { userId, tradeId, claims: userClaims(userId) };
}

async function tag(userId: string, name: string, category: string) {
  const { rows } = await db.pool.query("insert into public.tags (user_id, name, category) values ($1, $2, $3) returning id", [
    userId,
    name,
    category,
  ]);
  return rows[0].id as string;
}

describe("saveTradeJournal", () => {
  it("inserts on the first save, updates by version after, and bumps the version only on a change", async () => {
    const { tradeId, claims } = await traderWithTrade();
    expect((await loadTradeJournal(db.appPool, claims, tradeId))!.entry).toMatchObject({ version: 0, notes: "", updatedAt: null });

    const first = await saveTradeJournal(db.appPool, claims, tradeId, { ...EMPTY_CONTENT, notes: "Entry on the retest", mood: 4 }, 0);
    expect(first).toMatchObject({ status: "saved", entry: { version: 1, notes: "Entry on the retest", mood: 4 } });

    const second = await saveTradeJournal(
      db.appPool,
      claims,
      tradeId,
      { notes: "Entry on the retest", lessons: "Wait for the close", mood: 4, setupQuality: 5, followedPlan: "partly" },
      1,
    );
    expect(second).toMatchObject({ status: "saved", entry: { version: 2, lessons: "Wait for the close", setupQuality: 5, followedPlan: "partly" } });

    // The same content again (an autosave with nothing new) keeps the version.
    const same = await saveTradeJournal(db.appPool, claims, tradeId, { ...(second.status === "saved" ? second.entry : EMPTY_CONTENT) }, 2);
    expect(same).toMatchObject({ status: "saved", entry: { version: 2 } });

    const stored = await db.pool.query(
      "select notes, lessons, mood, setup_quality, followed_plan, version from public.journals where trade_id = $1",
      [tradeId],
    );
    expect(stored.rows).toEqual([
      { notes: "Entry on the retest", lessons: "Wait for the close", mood: 4, setup_quality: 5, followed_plan: "partly", version: 2 },
    ]);
    // The trade list's journaled flag follows the entry.
    expect((await db.pool.query("select journaled from public.trades where id = $1", [tradeId])).rows[0].journaled).toBe(true);
  });

  it("changes nothing on a stale version and answers with the stored entry", async () => {
    const { tradeId, claims } = await traderWithTrade();
    await saveTradeJournal(db.appPool, claims, tradeId, { ...EMPTY_CONTENT, notes: "tab one" }, 0);
    await saveTradeJournal(db.appPool, claims, tradeId, { ...EMPTY_CONTENT, notes: "tab one, more" }, 1);

    const stale = await saveTradeJournal(db.appPool, claims, tradeId, { ...EMPTY_CONTENT, notes: "tab two" }, 1);
    expect(stale).toMatchObject({ status: "conflict", theirs: { version: 2, notes: "tab one, more" } });
    // Two first saves at once: the second finds the entry and conflicts too.
    const secondInsert = await saveTradeJournal(db.appPool, claims, tradeId, { ...EMPTY_CONTENT, notes: "tab three" }, 0);
    expect(secondInsert).toMatchObject({ status: "conflict", theirs: { version: 2 } });
    expect((await db.pool.query("select notes, version from public.journals where trade_id = $1", [tradeId])).rows).toEqual([
      { notes: "tab one, more", version: 2 },
    ]);

    // "Keep mine": the same text sent with their version wins.
    expect(await saveTradeJournal(db.appPool, claims, tradeId, { ...EMPTY_CONTENT, notes: "tab two" }, 2)).toMatchObject({
      status: "saved",
      entry: { version: 3, notes: "tab two" },
    });
    // A retried save whose first answer was lost (same text, old version) is simply saved.
    expect(await saveTradeJournal(db.appPool, claims, tradeId, { ...EMPTY_CONTENT, notes: "tab two" }, 2)).toMatchObject({
      status: "saved",
      entry: { version: 3 },
    });
  });

  it("writes over an entry with nothing in it that another panel created meanwhile", async () => {
    const { userId, tradeId, claims } = await traderWithTrade();
    // The playbook panel links a playbook: a journal row with no content, version 1.
    await db.pool.query("insert into public.journals (user_id, trade_id) values ($1, $2)", [userId, tradeId]);
    expect(await saveTradeJournal(db.appPool, claims, tradeId, { ...EMPTY_CONTENT, notes: "typed before the link" }, 0)).toMatchObject({
      status: "saved",
      entry: { notes: "typed before the link", version: 2 },
    });
  });

  it("keeps 20,000 characters of notes with HTML exactly as typed", async () => {
    const { tradeId, claims } = await traderWithTrade();
    const notes = `<script>alert(1)</script>${"é<b>x</b>".repeat(2_497)}`.slice(0, 20_000);
    const saved = await saveTradeJournal(db.appPool, claims, tradeId, { ...EMPTY_CONTENT, notes }, 0);
    expect(saved.status === "saved" && saved.entry.notes).toBe(notes);
  });
});

describe("tags and mistakes", () => {
  it("set each picker's categories only, ignore other categories' ids, and create in the picker's category", async () => {
    const { userId, tradeId, claims } = await traderWithTrade();
    const breakout = await tag(userId, "Breakout", "setup");
    const calm = await tag(userId, "Calm", "emotion");
    const lateEntry = await tag(userId, "Late entry", "mistake");

    expect(new Set(await setTradeTags(db.appPool, claims, tradeId, "tags", [breakout, calm, lateEntry]))).toEqual(new Set([breakout, calm]));
    expect(new Set(await setTradeTags(db.appPool, claims, tradeId, "mistakes", [lateEntry]))).toEqual(new Set([breakout, calm, lateEntry]));
    // Removing a tag leaves the mistakes alone, and the other way round.
    expect(new Set(await setTradeTags(db.appPool, claims, tradeId, "tags", [calm]))).toEqual(new Set([calm, lateEntry]));
    expect(await setTradeTags(db.appPool, claims, tradeId, "mistakes", [])).toEqual([calm]);

    const fomo = await createTag(db.appPool, claims, "mistakes", "  FOMO ");
    expect(fomo).toMatchObject({ name: "FOMO", category: "mistake" });
    // Create-on-type finds an existing tag case-blind instead of a duplicate.
    expect((await createTag(db.appPool, claims, "mistakes", "fomo")).id).toBe(fomo.id);
    expect(await createTag(db.appPool, claims, "tags", "London open")).toMatchObject({ category: "general" });
    await expect(createTag(db.appPool, claims, "tags", "late ENTRY")).rejects.toThrow(/already exists in your mistakes/);

    const journal = await loadTradeJournal(db.appPool, claims, tradeId);
    expect(journal!.tags.map((t) => `${t.name}:${t.category}`)).toEqual([
      "Breakout:setup",
      "Calm:emotion",
      "FOMO:mistake",
      "Late entry:mistake",
      "London open:general",
    ]);
    expect(journal!.selectedTagIds).toEqual([calm]);
  });

  it("the no-JS Save creates typed tags, writes both pickers and the content in one go", async () => {
    const { userId, tradeId, claims } = await traderWithTrade();
    const breakout = await tag(userId, "Breakout", "setup");
    const form = new FormData();
    for (const [name, value] of Object.entries({
      notes: "plain form",
      mood: "2",
      version: "0",
      newTag: "Asia, Retest",
      newMistake: "Moved stop",
      tagPickers: "1",
    })) {
      form.append(name, value);
    }
    form.append("tagId", breakout);
    const answer = await withRlsTransaction(db.appPool, claims, (tx) => saveWholeJournalForm(tx, claims, tradeId, form));
    expect(answer).toMatchObject({ status: "saved", entry: { notes: "plain form", mood: 2, version: 1 } });
    const { rows } = await db.pool.query(
      "select g.name, g.category from public.trade_tags tt join public.tags g on g.id = tt.tag_id where tt.trade_id = $1 order by g.name",
      [tradeId],
    );
    expect(rows).toEqual([
      { name: "Asia", category: "general" },
      { name: "Breakout", category: "setup" },
      { name: "Moved stop", category: "mistake" },
      { name: "Retest", category: "general" },
    ]);
  });
});

describe("another user", () => {
  it("can neither read nor write the journal, its tags or its mistakes", async () => {
    const alice = await traderWithTrade();
    const bob = await traderWithTrade();
    const alicesTag = await tag(alice.userId, "Breakout", "setup");
    await saveTradeJournal(db.appPool, alice.claims, alice.tradeId, { ...EMPTY_CONTENT, notes: "private" }, 0);
    await setTradeTags(db.appPool, alice.claims, alice.tradeId, "tags", [alicesTag]);

    expect(await loadTradeJournal(db.appPool, bob.claims, alice.tradeId)).toBeNull();
    await expect(saveTradeJournal(db.appPool, bob.claims, alice.tradeId, { ...EMPTY_CONTENT, notes: "mine now" }, 1)).rejects.toThrow(
      /couldn't find/,
    );
    await expect(saveTradeJournal(db.appPool, bob.claims, alice.tradeId, { ...EMPTY_CONTENT, notes: "mine now" }, 0)).rejects.toThrow(
      /couldn't find/,
    );
    await expect(setTradeTags(db.appPool, bob.claims, alice.tradeId, "tags", [])).rejects.toThrow(/couldn't find/);
    // Bob's own trade with Alice's tag id: the tag is not his, so nothing is added.
    expect(await setTradeTags(db.appPool, bob.claims, bob.tradeId, "tags", [alicesTag])).toEqual([]);
    // Bob's tags never include Alice's, even by the same name.
    expect((await loadTradeJournal(db.appPool, bob.claims, bob.tradeId))!.tags).toEqual([]);
    expect((await createTag(db.appPool, bob.claims, "tags", "breakout")).id).not.toBe(alicesTag);

    const stored = await db.pool.query("select notes, version from public.journals where trade_id = $1", [alice.tradeId]);
    expect(stored.rows).toEqual([{ notes: "private", version: 1 }]);
    expect((await db.pool.query("select count(*)::int as n from public.trade_tags where trade_id = $1", [alice.tradeId])).rows[0].n).toBe(1);
  });
});
