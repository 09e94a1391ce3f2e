// Screenshots on a trade or a daily review: rows in journal_screenshots for
// objects in the private bucket (./screenshot-storage.server.ts).
//
// Upload order: check the bytes, store the object, insert the row; if the
// insert fails the object is deleted again, so a failed upload leaves neither.
// Whatever still escapes (the process dies between the two) is an object with
// no row, which the storage-cleanup job sweeps after an hour. Deleting a row —
// directly, or by cascade from its trade, review, account or user — queues its
// object in public.storage_deletions (a trigger); here the object is also
// deleted at once, and the job drains whatever the queue still holds.
import { randomUUID } from "node:crypto";
import { checkScreenshot, MAX_SCREENSHOTS_PER_ENTRY, screenshotObjectPath, type ScreenshotTarget } from "~/domain/images/screenshot-rules.ts";
import { AppError } from "~/lib/app-error.ts";
import type { RequestDb } from "~/lib/db.server.ts";
import { SIGNED_URL_SECONDS, type ScreenshotStorage } from "./screenshot-storage.server.ts";
import type { ScreenshotList, ScreenshotView } from "./screenshots.types.ts";

export type { ScreenshotList, ScreenshotView };

interface ScreenshotRow {
  id: string;
  object_path: string;
  caption: string | null;
  content_type: string;
  width: number;
  height: number;
  bytes: number;
  created_at: Date;
}

const COLUMNS = "s.id, s.object_path, s.caption, s.content_type, s.width, s.height, s.bytes, s.created_at";

async function rowsOf(db: RequestDb, target: ScreenshotTarget): Promise<ScreenshotRow[]> {
  const { rows } =
    target.kind === "trade"
      ? await db.query<ScreenshotRow>(`select ${COLUMNS} from public.journal_screenshots s where s.trade_id = $1 order by s.created_at, s.id`, [
          target.tradeId,
        ])
      : await db.query<ScreenshotRow>(
          `select ${COLUMNS} from public.journal_screenshots s
             join public.daily_journals d on d.id = s.daily_journal_id
            where d.trading_day = $1 order by s.created_at, s.id`,
          [target.date],
        );
  return rows;
}

/** The entry's screenshots, oldest first, each with a signed URL valid SIGNED_URL_SECONDS. */
export async function listScreenshots(
  db: RequestDb,
  storage: ScreenshotStorage,
  target: ScreenshotTarget,
  now = new Date(),
): Promise<ScreenshotList> {
  const rows = await rowsOf(db, target);
  // A Storage hiccup shows placeholders instead of failing the page around the panel.
  const urls = await storage
    .signedUrls(
      rows.map((row) => row.object_path),
      SIGNED_URL_SECONDS,
    )
    .catch(() => new Map<string, string>());
  return {
    screenshots: rows.map((row) => ({
      id: row.id,
      caption: row.caption,
      contentType: row.content_type,
      width: row.width,
      height: row.height,
      bytes: row.bytes,
      createdAt: row.created_at.toISOString(),
      url: urls.get(row.object_path) ?? null,
    })),
    remaining: Math.max(0, MAX_SCREENSHOTS_PER_ENTRY - rows.length),
    urlsExpireAt: new Date(now.getTime() + SIGNED_URL_SECONDS * 1000).toISOString(),
  };
}

type Entry = { trade_id: string; daily_journal_id: null } | { trade_id: null; daily_journal_id: string };

/** The row the screenshot hangs on: the user's trade, or their review of that day (created empty if none yet). */
async function entryFor(db: RequestDb, userId: string, target: ScreenshotTarget): Promise<Entry> {
  if (target.kind === "trade") {
    const { rows } = await db.query<{ id: string }>("select id from public.trades where id = $1", [target.tradeId]);
    if (!rows[0]) throw new AppError("not_found", "We couldn't find that trade. It may have been deleted.");
    return { trade_id: rows[0].id, daily_journal_id: null };
  }
  const { rows } = await db.query<{ id: string }>(
    `with created as (
       insert into public.daily_journals (user_id, trading_day) values ($1, $2)
       on conflict (user_id, trading_day) do nothing returning id)
     select id from created
     union all
     select id from public.daily_journals where user_id = $1 and trading_day = $2
     limit 1`,
    [userId, target.date],
  );
  return { trade_id: null, daily_journal_id: rows[0]!.id };
}

async function countOn(db: RequestDb, entry: Entry): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    "select count(*)::int as n from public.journal_screenshots where trade_id = $1 or daily_journal_id = $2",
    [entry.trade_id, entry.daily_journal_id],
  );
  return rows[0]!.n;
}

const TOO_MANY = `An entry can hold ${MAX_SCREENSHOTS_PER_ENTRY} screenshots. Delete one to add another.`;

/** Checks the bytes, stores the object, inserts its row; no object is left behind when the row fails. */
export async function addScreenshot(
  db: RequestDb,
  storage: ScreenshotStorage,
  userId: string,
  target: ScreenshotTarget,
  bytes: Uint8Array,
  caption: string | null = null,
): Promise<{ id: string }> {
  const checked = checkScreenshot(bytes);
  if (!checked.ok) throw new AppError("bad_request", checked.message, { hint: checked.code });
  const image = checked.screenshot;
  const entry = await entryFor(db, userId, target);
  // Checked before uploading, so a full entry costs no upload; the table's trigger is the backstop.
  if ((await countOn(db, entry)) >= MAX_SCREENSHOTS_PER_ENTRY) throw new AppError("conflict", TOO_MANY, { hint: "limit" });

  const path = screenshotObjectPath(userId, target, randomUUID(), image.extension);
  try {
    await storage.upload(path, bytes, image.contentType);
  } catch (error) {
    throw new AppError("unavailable", "The screenshot could not be stored just now. Try again in a moment.", { cause: error, hint: "storage" });
  }
  try {
    const { rows } = await db.query<{ id: string }>(
      `insert into public.journal_screenshots (user_id, trade_id, daily_journal_id, object_path, content_type, bytes, width, height, caption)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
      [userId, entry.trade_id, entry.daily_journal_id, path, image.contentType, image.bytes, image.width, image.height, caption],
    );
    return { id: rows[0]!.id };
  } catch (error) {
    await storage.remove([path]).catch(() => {
      // Left for the cleanup job's orphan sweep.
    });
    if ((error as { code?: string }).code === "23514" && /at most 10 screenshots/.test(String((error as Error).message))) {
      throw new AppError("conflict", TOO_MANY, { cause: error, hint: "limit" });
    }
    throw error;
  }
}

/** Sets or clears (null) the caption. */
export async function setScreenshotCaption(db: RequestDb, id: string, caption: string | null): Promise<void> {
  const { rowCount } = await db.query("update public.journal_screenshots set caption = $2 where id = $1", [id, caption]);
  if (!rowCount) throw new AppError("not_found", "That screenshot no longer exists; it may have been deleted.");
}

/**
 * Deletes the row (its trigger queues the object for the cleanup job), then
 * the object itself; if Storage fails now, the queue still has it.
 */
export async function deleteScreenshot(db: RequestDb, storage: ScreenshotStorage, id: string): Promise<void> {
  const { rows } = await db.query<{ object_path: string }>("delete from public.journal_screenshots where id = $1 returning object_path", [id]);
  if (!rows[0]) throw new AppError("not_found", "That screenshot no longer exists; it may have been deleted.");
  await storage.remove([rows[0].object_path]).catch(() => {});
}
