// Screenshots end to end below the browser: the model as the signed-in user
// (RLS-scoped transaction + Storage with the user's own token), the bucket's
// folder policies tried through the Storage API with another user's token,
// the content checks on real and hostile bytes, no orphan after a failed
// insert, and the storage-cleanup job draining the deletion queue (trade,
// review, account and user deletes cascade into it) and sweeping orphans.
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "../../app/lib/app-error.ts";
import { withRlsTransaction } from "../../app/lib/db.server.ts";
import { screenshotStorage, type ScreenshotStorage } from "../../app/models/screenshot-storage.server.ts";
import { addScreenshot, deleteScreenshot, listScreenshots, setScreenshotCaption } from "../../app/models/screenshots.server.ts";
import type { ScreenshotTarget } from "../../app/domain/images/screenshot-rules.ts";
import { sendJob } from "../../jobs/definitions/define-job.ts";
import { storageCleanupJob } from "../../jobs/definitions/storage-cleanup.ts";
import { startBoss } from "../../jobs/queue.ts";
import { runStorageCleanup, startStorageCleanup, type StorageCleanupContext } from "../../jobs/storage-cleanup.ts";
import { createTestUser, type TestUser } from "../contract/storage-support.ts";
import { createAccount, createTrade, userClaims } from "../support/fixtures.ts";
import { startSupabaseForTests } from "../support/local-supabase.ts";

const BUCKET = "trade-screenshots";
const sut = await startSupabaseForTests();
const db = sut.db!;
const storageDir = sut.local!.ctx.config.storageDir;

const fromBase64 = (text: string) => Uint8Array.from(Buffer.from(text, "base64"));
// Real images Chromium encoded (canvas.toBlob), 3 × 2 px.
const PNG = fromBase64(
  "iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAYAAACddGYaAAAAEklEQVR4AWI6Y2z8H4aZGJAAAAAA///qnsSoAAAABklEQVQDAH+1BpjuJVuvAAAAAElFTkSuQmCC",
);
const WEBP = fromBase64("UklGRjwAAABXRUJQVlA4IDAAAACQAQCdASoDAAIAAUAmJaACdLoAA5gA/u7/n/wF090Yt/+4OP+wcf9g4/dMAAAA");
/** A minimal baseline JPEG header: SOI, then SOF0 saying 3 × 2 (the frame data itself never matters to the check). */
const JPEG = Uint8Array.from([
  0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x02, 0x00, 0x03, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xff, 0xd9,
]);
const SIX_MB = (() => {
  const bytes = new Uint8Array(6 * 1024 * 1024);
  bytes.set(PNG);
  return bytes;
})();
const EXE_AS_PNG = new TextEncoder().encode("MZ\x90\x00\x03\x00\x00\x00This program cannot be run in DOS mode.");
const SVG = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');
const PNG_40000_PX = (() => {
  const bytes = PNG.slice();
  new DataView(bytes.buffer).setUint32(16, 40_000);
  return bytes;
})();

interface Trader extends TestUser {
  storage: ScreenshotStorage;
  accountId: string;
  tradeId: string;
}

async function trader(label: string): Promise<Trader> {
  const user = await createTestUser(sut, label);
  const accountId = await createAccount(db.pool, user.id);
  const tradeId = await createTrade(db.pool, user.id, accountId);
  return { ...user, storage: screenshotStorage(user.client), accountId, tradeId };
}

/** One request's worth of work as `user`: its RLS-scoped transaction, committed unless it throws. */
function asUser<T>(user: Trader, work: (db: import("../../app/lib/db.server.ts").RequestDb) => Promise<T>): Promise<T> {
  return withRlsTransaction(db.appPool, userClaims(user.id), work);
}

const add = (user: Trader, target: ScreenshotTarget, bytes: Uint8Array, caption: string | null = null) =>
  asUser(user, (tx) => addScreenshot(tx, user.storage, user.id, target, bytes, caption));

async function refusal(work: Promise<unknown>) {
  try {
    await work;
  } catch (error) {
    if (isAppError(error)) return { code: error.code, hint: error.hint, message: error.message };
    throw error;
  }
  throw new Error("expected a refusal");
}

async function objectsUnder(prefix: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ name: string }>("select name from storage.objects where bucket_id = $1 and name like $2 order by name", [
    BUCKET,
    `${prefix}%`,
  ]);
  return rows.map((row) => row.name);
}

async function pathOf(id: string): Promise<string> {
  const { rows } = await db.pool.query<{ object_path: string }>("select object_path from public.journal_screenshots where id = $1", [id]);
  return rows[0]!.object_path;
}

const onDisk = (name: string) => existsSync(path.join(storageDir, BUCKET, ...name.split("/")));

const cleanupContext: StorageCleanupContext = {
  pool: db.appPool,
  supabaseUrl: sut.url,
  serviceRoleKey: sut.serviceRoleKey,
  log: () => {},
};
const cleanup = () => runStorageCleanup({ reason: "manual" }, cleanupContext);

let alice: Trader;
let bob: Trader;
beforeAll(async () => {
  alice = await trader("alice");
  bob = await trader("bob");
});
afterAll(async () => {
  await db.pool.query("delete from public.storage_deletions");
});

describe("uploading", () => {
  it("stores a real PNG, JPEG and WebP under <user>/<trade>/<uuid>.<ext> with a row saying what the bytes are", async () => {
    const target = { kind: "trade", tradeId: alice.tradeId } as const;
    for (const [bytes, ext, type] of [
      [PNG, "png", "image/png"],
      [JPEG, "jpg", "image/jpeg"],
      [WEBP, "webp", "image/webp"],
    ] as const) {
      const { id } = await add(alice, target, bytes, "  entry on the retest  ");
      const { rows } = await db.pool.query("select * from public.journal_screenshots where id = $1", [id]);
      expect(rows[0]).toMatchObject({ user_id: alice.id, trade_id: alice.tradeId, daily_journal_id: null, content_type: type, width: 3, height: 2 });
      expect(rows[0].bytes).toBe(bytes.length);
      expect(rows[0].object_path).toMatch(new RegExp(`^${alice.id}/${alice.tradeId}/[0-9a-f-]{36}\\.${ext}$`));
      expect(onDisk(rows[0].object_path)).toBe(true);
    }
    const list = await asUser(alice, (tx) => listScreenshots(tx, alice.storage, target));
    expect(list.screenshots).toHaveLength(3);
    expect(list.remaining).toBe(7);
    // The signed URL works without any token, and serves exactly the bytes uploaded.
    const first = list.screenshots[0]!;
    expect(first.url).toContain("/storage/v1/object/sign/trade-screenshots/");
    const fetched = await fetch(first.url!);
    expect(fetched.status).toBe(200);
    expect(new Uint8Array(await fetched.arrayBuffer())).toEqual(PNG);
    // …and expires in five minutes.
    const token = new URL(first.url!).searchParams.get("token")!;
    const claims = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString());
    expect(claims.exp - claims.iat).toBe(300);
  });

  it("puts a day's screenshots on that day's review, creating the review row once", async () => {
    const target = { kind: "day", date: "2026-12-04" } as const;
    const first = await add(alice, target, PNG);
    const second = await add(alice, target, WEBP);
    const { rows } = await db.pool.query("select id from public.daily_journals where user_id = $1 and trading_day = '2026-12-04'", [alice.id]);
    expect(rows).toHaveLength(1);
    expect(await pathOf(first.id)).toMatch(new RegExp(`^${alice.id}/day-2026-12-04/[0-9a-f-]{36}\\.png$`));
    const list = await asUser(alice, (tx) => listScreenshots(tx, alice.storage, target));
    expect(list.screenshots.map((s) => s.id)).toEqual([first.id, second.id]);
    expect(await asUser(alice, (tx) => listScreenshots(tx, alice.storage, { kind: "day", date: "2026-12-05" }))).toMatchObject({
      screenshots: [],
      remaining: 10,
    });
  });

  it.each([
    ["a 6 MB file", SIX_MB, "too_large", /^That image is 6\.0 MB; screenshots can be up to 5 MB\.$/],
    ["an executable renamed .png", EXE_AS_PNG, "unsupported", /not a PNG, JPEG or WebP image/],
    ["an SVG", SVG, "unsupported", /SVG is not accepted/],
    ["a header claiming 40,000 px", PNG_40000_PX, "too_many_pixels", /^That image is 40000 × 2 pixels/],
  ])("refuses %s by its content and stores nothing", async (_, bytes, hint, message) => {
    const before = await objectsUnder(`${alice.id}/`);
    const refused = await refusal(add(alice, { kind: "trade", tradeId: alice.tradeId }, bytes));
    expect(refused).toMatchObject({ code: "bad_request", hint });
    expect(refused.message).toMatch(message);
    expect(await objectsUnder(`${alice.id}/`)).toEqual(before);
  });

  it("deletes the object again when the row insert fails (no orphan)", async () => {
    const target = { kind: "trade", tradeId: alice.tradeId } as const;
    const before = await objectsUnder(`${alice.id}/${alice.tradeId}/`);
    // A caption over the row's 500-character check fails the insert after the upload.
    await expect(add(alice, target, PNG, "x".repeat(501))).rejects.toThrow(/journal_screenshots_caption_check|check constraint/);
    expect(await objectsUnder(`${alice.id}/${alice.tradeId}/`)).toEqual(before);
  });

  it("stops at ten per entry before uploading the eleventh", async () => {
    const trade = await createTrade(db.pool, alice.id, alice.accountId);
    const target = { kind: "trade", tradeId: trade } as const;
    for (let i = 0; i < 10; i++) await add(alice, target, PNG);
    const refused = await refusal(add(alice, target, PNG));
    expect(refused).toMatchObject({ code: "conflict", hint: "limit" });
    expect(await objectsUnder(`${alice.id}/${trade}/`)).toHaveLength(10);
  });

  it("edits and clears a caption", async () => {
    const { id } = await add(alice, { kind: "trade", tradeId: alice.tradeId }, PNG);
    await asUser(alice, (tx) => setScreenshotCaption(tx, id, "London open sweep"));
    expect((await db.pool.query("select caption from public.journal_screenshots where id = $1", [id])).rows[0].caption).toBe("London open sweep");
    await asUser(alice, (tx) => setScreenshotCaption(tx, id, null));
    expect((await db.pool.query("select caption from public.journal_screenshots where id = $1", [id])).rows[0].caption).toBeNull();
  });
});

describe("another user", () => {
  let id: string;
  let objectPath: string;
  beforeAll(async () => {
    ({ id } = await add(alice, { kind: "trade", tradeId: alice.tradeId }, PNG, "private"));
    objectPath = await pathOf(id);
  });

  it("can neither read, list, sign nor delete the object through the Storage API with their token", async () => {
    const bucket = bob.client.storage.from(BUCKET);
    const download = await bucket.download(objectPath);
    expect(download.data).toBeNull();
    expect(download.error).not.toBeNull();
    const listed = await bucket.list(`${alice.id}/${alice.tradeId}`);
    expect(listed.data ?? []).toEqual([]);
    const listedRoot = await bucket.list(alice.id);
    expect(listedRoot.data ?? []).toEqual([]);
    const signed = await bucket.createSignedUrl(objectPath, 300);
    expect(signed.data).toBeNull();
    expect(signed.error).not.toBeNull();
    const signedMany = await bucket.createSignedUrls([objectPath], 300);
    expect((signedMany.data ?? []).filter((entry) => entry.signedUrl)).toEqual([]);
    const removed = await bucket.remove([objectPath]);
    expect(removed.data ?? []).toEqual([]);
    const overwrite = await bucket.upload(objectPath, PNG, { contentType: "image/png", upsert: true });
    expect(overwrite.error).not.toBeNull();
    const intoTheirFolder = await bucket.upload(`${alice.id}/${alice.tradeId}/planted.png`, PNG, { contentType: "image/png" });
    expect(intoTheirFolder.error).not.toBeNull();
    expect(await objectsUnder(objectPath)).toEqual([objectPath]);
    expect(await objectsUnder(`${alice.id}/${alice.tradeId}/planted`)).toEqual([]);
    // The owner still reads it.
    const own = await alice.client.storage.from(BUCKET).download(objectPath);
    expect(new Uint8Array(await own.data!.arrayBuffer())).toEqual(PNG);
  });

  it("sees none of the rows and can change none of them through the app", async () => {
    const list = await asUser(bob, (tx) => listScreenshots(tx, bob.storage, { kind: "trade", tradeId: alice.tradeId }));
    expect(list.screenshots).toEqual([]);
    expect(await asUser(bob, async (tx) => (await tx.query("select id from public.journal_screenshots")).rows)).toEqual([]);
    expect(await refusal(asUser(bob, (tx) => setScreenshotCaption(tx, id, "mine now")))).toMatchObject({ code: "not_found" });
    expect(await refusal(asUser(bob, (tx) => deleteScreenshot(tx, bob.storage, id)))).toMatchObject({ code: "not_found" });
    expect(await refusal(add(bob, { kind: "trade", tradeId: alice.tradeId }, PNG))).toMatchObject({ code: "not_found" });
    const row = (await db.pool.query("select caption from public.journal_screenshots where id = $1", [id])).rows[0];
    expect(row.caption).toBe("private");
    expect(await objectsUnder(objectPath)).toEqual([objectPath]);
    // Even a row naming Alice's object is refused: the path's first folder must be the inserting user.
    await expect(
      asUser(bob, (tx) =>
        tx.query(
          "insert into public.journal_screenshots (user_id, trade_id, object_path, content_type, bytes, width, height) values ($1, $2, $3, 'image/png', 10, 3, 2)",
          [bob.id, bob.tradeId, objectPath],
        ),
      ),
    ).rejects.toThrow();
  });
});

describe("deleting and the storage-cleanup job", () => {
  it("deletes a screenshot's row and object at once; the queue entry the trigger left is drained", async () => {
    const { id } = await add(alice, { kind: "trade", tradeId: alice.tradeId }, WEBP);
    const objectPath = await pathOf(id);
    await asUser(alice, (tx) => deleteScreenshot(tx, alice.storage, id));
    expect((await db.pool.query("select 1 from public.journal_screenshots where id = $1", [id])).rowCount).toBe(0);
    expect(await objectsUnder(objectPath)).toEqual([]);
    expect(onDisk(objectPath)).toBe(false);
    const queued = await db.pool.query("select object_path from public.storage_deletions where object_path = $1", [objectPath]);
    expect(queued.rowCount).toBe(1);
    const result = await cleanup();
    expect(result.failed).toBe(0);
    expect((await db.pool.query("select 1 from public.storage_deletions where object_path = $1", [objectPath])).rowCount).toBe(0);
  });

  it("removes the objects of a deleted trade, daily review, account and user (cascade → trigger → queue → job)", async () => {
    const carol = await trader("carol");
    await db.pool.query("update public.profiles set subscription_tier = 'pro' where id = $1", [carol.id]);
    const dave = await trader("dave");
    const secondTrade = await createTrade(db.pool, carol.id, carol.accountId);
    const otherAccount = await createAccount(db.pool, carol.id, { name: "Second" });
    const tradeOnOtherAccount = await createTrade(db.pool, carol.id, otherAccount);
    const onTrade = await add(carol, { kind: "trade", tradeId: carol.tradeId }, PNG);
    const kept = await add(carol, { kind: "trade", tradeId: secondTrade }, PNG);
    const onDay = await add(carol, { kind: "day", date: "2026-11-30" }, WEBP);
    const onAccount = await add(carol, { kind: "trade", tradeId: tradeOnOtherAccount }, PNG);
    const daves = [await add(dave, { kind: "trade", tradeId: dave.tradeId }, PNG), await add(dave, { kind: "day", date: "2026-11-30" }, PNG)];
    const gone = await Promise.all([onTrade, onDay, onAccount, ...daves].map(({ id }) => pathOf(id)));
    const keptPath = await pathOf(kept.id);

    await db.pool.query("delete from public.trades where id = $1", [carol.tradeId]);
    await db.pool.query("delete from public.daily_journals where user_id = $1 and trading_day = '2026-11-30'", [carol.id]);
    await db.pool.query("delete from public.accounts where id = $1", [otherAccount]);
    await db.pool.query("delete from auth.users where id = $1", [dave.id]);

    const { rows: queued } = await db.pool.query<{ object_path: string }>(
      "select object_path from public.storage_deletions where object_path = any($1) order by object_path",
      [gone],
    );
    expect(queued.map((row) => row.object_path)).toEqual([...gone].sort());
    for (const name of gone) expect(await objectsUnder(name)).toEqual([name]);

    const result = await cleanup();
    expect(result).toMatchObject({ failed: 0 });
    expect(result.drained).toBeGreaterThanOrEqual(gone.length);
    for (const name of gone) {
      expect(await objectsUnder(name)).toEqual([]);
      expect(onDisk(name)).toBe(false);
    }
    expect((await db.pool.query("select 1 from public.storage_deletions where object_path = any($1)", [gone])).rowCount).toBe(0);
    expect(await objectsUnder(keptPath)).toEqual([keptPath]);
  });

  it("sweeps objects with no row once they are an hour old, and leaves younger ones (an upload in flight) alone", async () => {
    const bucket = alice.client.storage.from(BUCKET);
    const old = `${alice.id}/${alice.tradeId}/escaped-old.png`;
    const young = `${alice.id}/${alice.tradeId}/escaped-young.png`;
    expect((await bucket.upload(old, PNG, { contentType: "image/png" })).error).toBeNull();
    expect((await bucket.upload(young, PNG, { contentType: "image/png" })).error).toBeNull();
    await db.pool.query("update storage.objects set created_at = now() - interval '61 minutes' where bucket_id = $1 and name = $2", [BUCKET, old]);
    const withRow = await add(alice, { kind: "trade", tradeId: alice.tradeId }, PNG);
    const withRowPath = await pathOf(withRow.id);
    await db.pool.query("update storage.objects set created_at = now() - interval '2 days' where bucket_id = $1 and name = $2", [
      BUCKET,
      withRowPath,
    ]);

    const result = await cleanup();
    expect(result.orphansDeleted).toBe(1);
    expect(await objectsUnder(old)).toEqual([]);
    expect(onDisk(old)).toBe(false);
    expect(await objectsUnder(young)).toEqual([young]);
    expect(await objectsUnder(withRowPath)).toEqual([withRowPath]);
  });

  it("keeps a queue entry it could not delete, with the attempt and the error", async () => {
    const { id } = await add(alice, { kind: "trade", tradeId: alice.tradeId }, PNG);
    const objectPath = await pathOf(id);
    await db.pool.query("delete from public.journal_screenshots where id = $1", [id]);
    // Storage refuses a key it does not know.
    const refused = await runStorageCleanup({ reason: "manual" }, { ...cleanupContext, serviceRoleKey: "not-a-key" });
    expect(refused.failed).toBeGreaterThanOrEqual(1);
    const { rows } = await db.pool.query("select attempts, last_error from public.storage_deletions where object_path = $1", [objectPath]);
    expect(rows[0].attempts).toBe(1);
    expect(rows[0].last_error).toMatch(/\S/);
    expect(await objectsUnder(objectPath)).toEqual([objectPath]);
    // The next run with the right key finishes the job.
    expect((await cleanup()).failed).toBe(0);
    expect(await objectsUnder(objectPath)).toEqual([]);
  });

  it("runs as a pg-boss job in the jobs process: a deleted trade's object is gone after the job", async () => {
    const erin = await trader("erin");
    const { id } = await add(erin, { kind: "trade", tradeId: erin.tradeId }, PNG);
    const objectPath = await pathOf(id);
    await db.pool.query("delete from public.trades where id = $1", [erin.tradeId]);
    const boss = await startBoss(db.url, () => {});
    try {
      await startStorageCleanup(boss, cleanupContext, { pollingIntervalSeconds: 0.5 });
      await sendJob(boss, storageCleanupJob, { reason: "manual" });
      // The job deletes the object, then its queue row: wait for both (the object alone can be gone a moment earlier).
      const leftovers = async () => ({
        objects: await objectsUnder(objectPath),
        queued: (await db.pool.query("select 1 from public.storage_deletions where object_path = $1", [objectPath])).rowCount,
      });
      await expect.poll(leftovers, { timeout: 20_000, interval: 250 }).toEqual({ objects: [], queued: 0 });
    } finally {
      await boss.stop({ graceful: false, timeout: 1_000 });
    }
  }, 90_000);
});
