// The restore drill (issue 19 item 7): a user with trades, a journal, tags and
// a screenshot; a backup through the real pg_dump and the Storage API; a
// restore into a database of a fresh cluster with its own Storage; then every
// table of the backed-up schemas compared by row count and checksum (md5 of
// its rows in a fixed order), and the screenshot compared byte for byte.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createClient } from "@supabase/supabase-js";
import { execa } from "execa";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_RETENTION } from "~/domain/backups/retention.ts";
import { signApiKey } from "../../supabase/local/keys.ts";
import { startLocalSupabase, type RunningLocalSupabase } from "../../supabase/local/server.ts";
import { localServices } from "../../supabase/local/services.ts";
import { freePort } from "../../supabase/local/free-port.ts";
import { REPO_ROOT } from "../../supabase/local/database.ts";
import { startExtraCluster, type ExtraCluster } from "../../tests/support/extra-cluster.ts";
import { createAccount, createTag, createTrade, createUser } from "../../tests/support/fixtures.ts";
import { startSupabaseForTests, type SupabaseUnderTest } from "../../tests/support/local-supabase.ts";
import { BACKUP_SCHEMAS } from "./layout.ts";
import { restoreBackup, uploadObjects } from "./restore-backup.ts";
import { takeBackup } from "./take-backup.ts";

const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082",
  "hex",
);

let source: SupabaseUnderTest;
let target: ExtraCluster;
let targetStorage: RunningLocalSupabase;
let targetStorageUrl: string;
let targetKeys: { jwtSecret: string; anonKey: string; serviceRoleKey: string };
let backupDir: string;
let storageDir: string;

beforeAll(async () => {
  source = await startSupabaseForTests();
  target = await startExtraCluster();
  backupDir = await mkdtemp(path.join(os.tmpdir(), "rj-backups-"));
  storageDir = await mkdtemp(path.join(os.tmpdir(), "rj-restored-storage-"));
}, 120_000);

afterAll(async () => {
  await targetStorage?.close();
  await target?.stop();
  await rm(backupDir, { recursive: true, force: true });
  await rm(storageDir, { recursive: true, force: true });
});

async function seed(db: pg.Pool): Promise<{ userId: string; objectPath: string }> {
  const userId = await createUser(db, { tier: "pro", starterTags: true });
  const accountId = await createAccount(db, userId);
  const trades = [];
  for (let i = 0; i < 5; i++) trades.push(await createTrade(db, userId, accountId));
  const tagId = await createTag(db, userId, "breakout-drill");
  await db.query("insert into public.trade_tags (user_id, trade_id, tag_id) values ($1, $2, $3)", [userId, trades[0], tagId]);
  await db.query("insert into public.journals (user_id, trade_id, notes, setup_quality) values ($1, $2, 'waited for the retest', 4)", [
    userId,
    trades[0],
  ]);
  const objectPath = `${userId}/${trades[0]}/drill.png`;
  const storage = createClient(source.url, source.serviceRoleKey, { auth: { persistSession: false } }).storage;
  const { error } = await storage.from("trade-screenshots").upload(objectPath, PNG, { contentType: "image/png" });
  if (error) throw new Error(error.message);
  await db.query(
    "insert into public.journal_screenshots (user_id, trade_id, object_path, content_type, bytes, width, height) values ($1, $2, $3, 'image/png', $4, 1, 1)",
    [userId, trades[0], objectPath, PNG.length],
  );
  return { userId, objectPath };
}

/** Row count and md5 of every table in the backed-up schemas, rows ordered by their text. */
async function fingerprint(url: string, except: string[] = []): Promise<Record<string, { rows: number; md5: string }>> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const { rows: tables } = await db.query<{ name: string }>(
      `select format('%I.%I', n.nspname, c.relname) as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = any($1::text[]) and c.relkind in ('r', 'p') order by 1`,
      [BACKUP_SCHEMAS],
    );
    const result: Record<string, { rows: number; md5: string }> = {};
    for (const { name } of tables) {
      if (except.includes(name)) continue;
      const { rows } = await db.query<{ rows: number; md5: string }>(
        `select count(*)::int as rows, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as md5 from ${name} t`,
      );
      result[name] = rows[0]!;
    }
    return result;
  } finally {
    await db.end();
  }
}

describe("backup and restore drill", () => {
  it("restores every table's rows and the screenshots into a fresh cluster", async () => {
    const { objectPath } = await seed(source.db!.pool);
    const backup = await takeBackup({
      databaseUrl: source.db!.url,
      backupDir,
      pgDumpPath: process.env.PG_DUMP_PATH,
      supabaseUrl: source.url,
      serviceRoleKey: source.serviceRoleKey,
      retention: DEFAULT_RETENTION,
      log: () => {},
    });
    expect(backup.objects).toBe(1);
    expect(await readdir(backupDir)).toEqual([path.basename(backup.copyDir)]);

    // The restored database's own Storage, on a fresh cluster that never saw the data.
    const jwtSecret = "drill-jwt-secret-with-at-least-32-characters";
    targetKeys = { jwtSecret, anonKey: await signApiKey(jwtSecret, "anon"), serviceRoleKey: await signApiKey(jwtSecret, "service_role") };
    const restored = await restoreBackup({ backupPath: backup.copyDir, databaseUrl: target.url(), log: () => {}, storage: undefined });
    expect(restored.objectsSkipped).toBe(1);

    const port = await freePort();
    targetStorageUrl = `http://127.0.0.1:${port}`;
    targetStorage = await startLocalSupabase({
      databaseUrl: target.url(),
      keys: targetKeys,
      port,
      config: {
        publicUrl: targetStorageUrl,
        siteUrl: "http://localhost:3000",
        additionalRedirectUrls: [],
        autoconfirm: false,
        jwtExpirySeconds: 3600,
        emailRateLimitPerHour: 30,
        storageDir,
      },
      services: localServices,
      log: () => {},
    });

    // storage.objects rows are rewritten when the files go back in (upsert), so
    // that table is compared on what identifies an object, below.
    const before = await fingerprint(source.db!.url, ["storage.objects"]);
    const after = await fingerprint(target.url(), ["storage.objects"]);
    expect(Object.keys(before).length).toBeGreaterThan(30);
    expect(before["public.trades"]!.rows).toBe(5);
    expect(before["auth.users"]!.rows).toBe(1);
    expect(after).toEqual(before);

    // The screenshot goes back through the restored stack's Storage API.
    const copyDir = path.join(backupDir, (await readdir(backupDir))[0]!);
    expect(await uploadObjects(copyDir, { supabaseUrl: targetStorageUrl, serviceRoleKey: targetKeys.serviceRoleKey }, () => {})).toBe(1);
    const storage = createClient(targetStorageUrl, targetKeys.serviceRoleKey, { auth: { persistSession: false } }).storage;
    const { data, error } = await storage.from("trade-screenshots").download(objectPath);
    expect(error).toBeNull();
    expect(Buffer.from(await data!.arrayBuffer()).equals(PNG)).toBe(true);
    const objectRows = async (url: string) => {
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      try {
        return (await db.query("select bucket_id, name from storage.objects order by 1, 2")).rows;
      } finally {
        await db.end();
      }
    };
    expect(await objectRows(target.url())).toEqual(await objectRows(source.db!.url));
  }, 240_000);

  it("npm run restore -- <copy> restores into an empty database and refuses one that is not", async () => {
    const copyDir = path.join(backupDir, (await readdir(backupDir))[0]!);
    const admin = new pg.Client({ connectionString: target.url() });
    await admin.connect();
    await admin.query("create database restored_by_script");
    await admin.end();
    const url = target.url({ database: "restored_by_script" });
    const run = () =>
      execa("npm", ["run", "--silent", "restore", "--", copyDir], {
        cwd: REPO_ROOT,
        env: { RESTORE_DATABASE_URL: url, SUPABASE_URL: "", SUPABASE_SERVICE_ROLE_KEY: "" },
        reject: false,
      });
    const first = await run();
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/done: 0 screenshot\(s\) restored, 1 left in the backup folder/);
    expect(await fingerprint(url, ["storage.objects"])).toEqual(await fingerprint(source.db!.url, ["storage.objects"]));

    const again = await run();
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toMatch(/restore only into an empty database/);
  }, 120_000);
});
