// The per-trade journal, read and written as the user (RLS decides whose
// trade it is; another user's trade reads as "not found").
//
// Stale writes: a save names the version its text started from. The first
// save inserts (on conflict do nothing: a second tab may have inserted
// first); later ones update only `where version = $n`, and the table's
// trigger bumps the version when the content changes. A save that matches
// no row changes nothing and answers with the stored entry, so the writer
// sees both versions — unless the stored content already equals theirs (a
// retried save whose first answer was lost), which is simply "saved", or the
// stored entry is empty (a row another panel made), which is written over.
//
// Tags and mistakes are set-based: a picker sends its whole selection and
// only its own categories change, so the two pickers never undo each other.
import { isEmptyContent, normaliseTagName, sameContent, type JournalContent, type JournalEntry } from "~/domain/journal/entry.ts";
import { TAG_GROUPS, type FollowedPlan, type Mood, type SetupQuality, type TagCategory, type TagGroup } from "~/domain/journal/scales.ts";
import { AppError } from "~/lib/app-error.ts";
import type { DatabaseClaims, RequestDb } from "~/lib/db.server.ts";
import type { JournalTag, SaveJournalOutcome, TradeJournal } from "./trade-journal.types.ts";

export type { JournalTag, SaveJournalOutcome, TradeJournal };

type Claims = DatabaseClaims & { sub: string };

interface JournalDbRow {
  notes: string | null;
  lessons: string | null;
  mood: number | null;
  setup_quality: number | null;
  followed_plan: string | null;
  version: number;
  updated_at: Date;
}

const JOURNAL_COLUMNS = "notes, lessons, mood, setup_quality, followed_plan, version, updated_at";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NOT_FOUND = "We couldn't find that trade. It may have been deleted.";

function entryOf(row: JournalDbRow | undefined): JournalEntry {
  if (!row) return { notes: "", lessons: "", mood: null, setupQuality: null, followedPlan: null, version: 0, updatedAt: null };
  return {
    notes: row.notes ?? "",
    lessons: row.lessons ?? "",
    mood: row.mood as Mood | null,
    setupQuality: row.setup_quality as SetupQuality | null,
    followedPlan: row.followed_plan as FollowedPlan | null,
    version: row.version,
    updatedAt: row.updated_at.toISOString(),
  };
}

async function readEntry(db: RequestDb, tradeId: string): Promise<JournalDbRow | undefined> {
  const { rows } = await db.query<JournalDbRow>(`select ${JOURNAL_COLUMNS} from public.journals where trade_id = $1`, [tradeId]);
  return rows[0];
}

/** The trade's journal, the user's tags and the trade's selection; null when the trade is not the user's. */
export async function loadTradeJournal(db: RequestDb, tradeId: string): Promise<TradeJournal | null> {
  if (!UUID.test(tradeId)) return null;
  const { rows } = await db.query<Partial<JournalDbRow> & { trade_id: string; tag_ids: string[] }>(
    `select t.id as trade_id, j.notes, j.lessons, j.mood, j.setup_quality, j.followed_plan, j.version, j.updated_at,
            array(select tt.tag_id::text from public.trade_tags tt where tt.trade_id = t.id) as tag_ids
       from public.trades t left join public.journals j on j.trade_id = t.id
      where t.id = $1`,
    [tradeId],
  );
  const row = rows[0];
  if (!row) return null;
  const tags = await db.query<JournalTag>("select id, name, color, category from public.tags order by lower(name)");
  return {
    entry: entryOf(row.version == null ? undefined : (row as JournalDbRow)),
    tags: tags.rows,
    selectedTagIds: row.tag_ids,
  };
}

/** Writes the content if `baseVersion` is still the stored one; otherwise changes nothing and returns theirs. */
export async function saveTradeJournal(
  db: RequestDb,
  claims: Claims,
  tradeId: string,
  content: JournalContent,
  baseVersion: number,
): Promise<SaveJournalOutcome> {
  if (!UUID.test(tradeId)) throw new AppError("not_found", NOT_FOUND);
  const values = [tradeId, content.notes || null, content.lessons || null, content.mood, content.setupQuality, content.followedPlan];
  const written =
    baseVersion === 0
      ? await db.query<JournalDbRow>(
          `insert into public.journals (user_id, trade_id, notes, lessons, mood, setup_quality, followed_plan)
           select $7, t.id, $2, $3, $4, $5, $6 from public.trades t where t.id = $1
           on conflict (trade_id) do nothing
           returning ${JOURNAL_COLUMNS}`,
          [...values, claims.sub],
        )
      : await db.query<JournalDbRow>(
          `update public.journals set notes = $2, lessons = $3, mood = $4, setup_quality = $5, followed_plan = $6
            where trade_id = $1 and version = $7
           returning ${JOURNAL_COLUMNS}`,
          [...values, baseVersion],
        );
  if (written.rows[0]) return { status: "saved", entry: entryOf(written.rows[0]) };

  const stored = await readEntry(db, tradeId);
  if (!stored) {
    // No entry: either the trade is gone (or not the user's), or the entry was deleted under an old version.
    const trade = await db.query("select 1 from public.trades where id = $1", [tradeId]);
    if (!trade.rowCount) throw new AppError("not_found", NOT_FOUND);
    return saveTradeJournal(db, claims, tradeId, content, 0);
  }
  const theirs = entryOf(stored);
  if (sameContent(theirs, content)) return { status: "saved", entry: theirs };
  // An entry with nothing written in it (made by linking a playbook, say) loses no one's words: write over it.
  if (isEmptyContent(theirs) && baseVersion < theirs.version) return saveTradeJournal(db, claims, tradeId, content, theirs.version);
  return { status: "conflict", theirs };
}

/**
 * Makes the trade's tags of `group`'s categories exactly `tagIds` (ids of
 * other categories or users are ignored) and returns the trade's selection
 * of every category.
 */
export async function setTradeTags(db: RequestDb, claims: Claims, tradeId: string, group: TagGroup, tagIds: string[]): Promise<string[]> {
  if (!UUID.test(tradeId)) throw new AppError("not_found", NOT_FOUND);
  const categories: readonly TagCategory[] = TAG_GROUPS[group].categories;
  const trade = await db.query("select 1 from public.trades where id = $1", [tradeId]);
  if (!trade.rowCount) throw new AppError("not_found", NOT_FOUND);
  await db.query(
    `delete from public.trade_tags tt using public.tags g
      where tt.trade_id = $1 and g.id = tt.tag_id and g.category = any($2::text[]) and not (tt.tag_id = any($3::uuid[]))`,
    [tradeId, categories, tagIds],
  );
  await db.query(
    `insert into public.trade_tags (user_id, trade_id, tag_id)
     select $4, $1, g.id from public.tags g where g.id = any($3::uuid[]) and g.category = any($2::text[])
     on conflict do nothing`,
    [tradeId, categories, tagIds, claims.sub],
  );
  const { rows } = await db.query<{ tag_id: string }>("select tag_id from public.trade_tags where trade_id = $1", [tradeId]);
  return rows.map((row) => row.tag_id);
}

/**
 * Create-on-type: the tag called `name` (case-blind), created in the group's
 * category when the user has none. A tag of that name in another group's
 * category is refused: it would not show in this picker.
 */
export async function createTag(db: RequestDb, claims: Claims, group: TagGroup, typed: string): Promise<JournalTag> {
  const { categories, createAs } = TAG_GROUPS[group];
  const name = normaliseTagName(typed);
  const created = await db.query<JournalTag>(
    `insert into public.tags (user_id, name, category) values ($1, $2, $3)
     on conflict (user_id, lower(btrim(name))) do nothing
     returning id, name, color, category`,
    [claims.sub, name, createAs],
  );
  if (created.rows[0]) return created.rows[0];
  const { rows } = await db.query<JournalTag>(
    "select id, name, color, category from public.tags where user_id = $1 and lower(btrim(name)) = lower(btrim($2))",
    [claims.sub, name],
  );
  const existing = rows[0];
  if (!existing) throw new AppError("conflict", "That tag couldn't be created. Try again.");
  if (!(categories as readonly string[]).includes(existing.category)) {
    const where = existing.category === "mistake" ? "your mistakes" : "your tags";
    throw new AppError("conflict", `"${existing.name}" already exists in ${where}; pick it there or choose another name.`);
  }
  return existing;
}
