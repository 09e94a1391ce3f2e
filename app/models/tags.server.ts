// The user's tags on Settings → Tags: list with usage counts, create, edit
// (name, colour, group), merge one into another, delete. Every statement runs
// in the request's RLS-scoped transaction, so another user's tag is simply
// not found.
import { AppError } from "~/lib/app-error.ts";
import type { RequestDb } from "~/lib/db.server.ts";
import type { CreateTagValues, UpdateTagValues } from "~/schemas/tags.ts";
import type { ManagedTag } from "./tags.types.ts";

export type { ManagedTag };

const UNIQUE_VIOLATION = "23505";

function duplicateName(error: unknown, name: string): never {
  if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
    throw new AppError("conflict", `You already have a tag named "${name}".`, { cause: error });
  }
  throw error;
}

const NOT_FOUND = "That tag no longer exists; it may have been merged or deleted. Reload the page.";

/** Every tag of the user, by group then name, each with the number of trades carrying it. */
export async function listTags(db: RequestDb, userId: string): Promise<ManagedTag[]> {
  const { rows } = await db.query<ManagedTag>(
    `select g.id, g.name, g.color, g.category,
            (select count(*) from public.trade_tags tt where tt.tag_id = g.id)::int as uses
       from public.tags g
      where g.user_id = $1
      order by array_position(array['setup', 'mistake', 'emotion', 'general'], g.category), lower(g.name), g.id`,
    [userId],
  );
  return rows;
}

export async function createTag(db: RequestDb, userId: string, values: CreateTagValues): Promise<string> {
  try {
    const { rows } = await db.query<{ id: string }>("insert into public.tags (user_id, name, color, category) values ($1, $2, $3, $4) returning id", [
      userId,
      values.name,
      values.color,
      values.category,
    ]);
    return rows[0]!.id;
  } catch (error) {
    duplicateName(error, values.name);
  }
}

/** Renames, recolours and regroups one tag; the trades carrying it follow (they hold its id). */
export async function updateTag(db: RequestDb, values: UpdateTagValues): Promise<void> {
  let updated: number;
  try {
    const result = await db.query("update public.tags set name = $2, color = $3, category = $4 where id = $1", [
      values.tagId,
      values.name,
      values.color,
      values.category,
    ]);
    updated = result.rowCount ?? 0;
  } catch (error) {
    duplicateName(error, values.name);
  }
  if (updated === 0) throw new AppError("not_found", NOT_FOUND);
}

export interface MergeResult {
  /** Trades that gained the target tag (those already carrying both are not counted). */
  moved: number;
  /** Name of the tag merged away. */
  mergedName: string;
}

/**
 * Moves every trade of tag `fromId` onto `intoId` and deletes `fromId`, in
 * one statement (so in one transaction whatever the caller's). trade_tags
 * rows are never updated (the table grants no UPDATE): the target's rows are
 * inserted, a trade already carrying both keeps its one row (on conflict do
 * nothing instead of a duplicate-key failure), and deleting the old tag
 * cascades to its rows. Both tags must be the user's: RLS hides anyone
 * else's, so a foreign id finds nothing and nothing changes.
 */
export async function mergeTags(db: RequestDb, fromId: string, intoId: string): Promise<MergeResult> {
  if (fromId === intoId) throw new AppError("bad_request", "Choose a different tag to merge into.");
  const { rows } = await db.query<{ moved: number; merged_name: string }>(
    `with source as (select id, name from public.tags where id = $1),
          target as (select id, user_id from public.tags where id = $2),
          moved as (
            insert into public.trade_tags (user_id, trade_id, tag_id)
            select target.user_id, tt.trade_id, target.id
              from public.trade_tags tt, target, source
             where tt.tag_id = source.id
            on conflict (trade_id, tag_id) do nothing
            returning 1
          ),
          removed as (
            delete from public.tags g using target where g.id = (select id from source) returning g.name
          )
     select (select count(*) from moved)::int as moved, name as merged_name from removed`,
    [fromId, intoId],
  );
  const row = rows[0];
  if (!row) throw new AppError("not_found", NOT_FOUND);
  return { moved: row.moved, mergedName: row.merged_name };
}

/** Deletes a tag; the trades carrying it lose it (trade_tags cascade). Returns its name. */
export async function deleteTag(db: RequestDb, tagId: string): Promise<string> {
  const { rows } = await db.query<{ name: string }>("delete from public.tags where id = $1 returning name", [tagId]);
  if (!rows[0]) throw new AppError("not_found", NOT_FOUND);
  return rows[0].name;
}
