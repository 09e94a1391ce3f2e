// The backup's S3 target end to end: a real backup (pg_dump, Storage API) of
// seeded data is uploaded to s3rver, a local S3-compatible server from npm,
// through the real backup queue; a wrong secret fails the job with a clear
// error and keeps the local copy; the retention rule prunes the remote
// copies; `npm run restore -- s3:<copy>` restores from the bucket.
// s3rver 3.7.1 checks the access key id but NOT SigV4 signatures (its
// authentication middleware: "Signature version 4 calculation is
// unimplemented"), so the server here sits behind a front that recomputes each
// request's signature with the signer of ./s3-signature.ts (itself checked
// against AWS's published signatures in s3-signature.test.ts) and answers
// SignatureDoesNotMatch like S3 when they differ.
import { createHash } from "node:crypto";
import http from "node:http";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createClient } from "@supabase/supabase-js";
import { execa } from "execa";
import pg from "pg";
import type { PgBoss } from "pg-boss";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_RETENTION } from "~/domain/backups/retention.ts";
import { createLogger, lineDestination } from "~/lib/logger.server.ts";
import { REPO_ROOT } from "../../supabase/local/database.ts";
import { freePort } from "../../supabase/local/free-port.ts";
import { startExtraCluster, type ExtraCluster } from "../../tests/support/extra-cluster.ts";
import { createAccount, createTrade, createUser } from "../../tests/support/fixtures.ts";
import { startSupabaseForTests, type SupabaseUnderTest } from "../../tests/support/local-supabase.ts";
import { backupJob } from "../definitions/backup.ts";
import { startBoss } from "../queue.ts";
import { startBackups } from "./nightly.ts";
import { signature, type RequestToSign } from "./s3-signature.ts";
import { listKeys, putObject, getObject, s3TargetFromEnvironment, type S3Target } from "./s3-target.ts";
import { takeBackup, type BackupContext } from "./take-backup.ts";

const BUCKET = "rj-backups";
const PREFIX = "nightly";
// s3rver's one account; the front checks signatures made with this secret.
const ACCESS_KEY_ID = "S3RVER";
const SECRET = "S3RVER";
const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");

let source: SupabaseUnderTest;
let s3rver: S3rver;
let front: http.Server;
let endpoint: string;
let s3DataDir: string;
const backupDirs: string[] = [];

/** Answers like S3 when the request's SigV4 signature is not the one its secret gives. */
function checkSignature(req: http.IncomingMessage): boolean {
  const auth = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/([^/]+)\/s3\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
    req.headers.authorization ?? "",
  );
  if (!auth || auth[1] !== ACCESS_KEY_ID) return false;
  const headers: Record<string, string> = {};
  for (const name of auth[3]!.split(";")) headers[name] = String(req.headers[name] ?? "");
  const stamp = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(headers["x-amz-date"] ?? "");
  if (!stamp) return false;
  const request: RequestToSign = {
    method: req.method!,
    url: new URL(req.url!, `http://${req.headers.host}`),
    headers,
    payloadHash: String(req.headers["x-amz-content-sha256"]),
  };
  const at = new Date(`${stamp[1]}-${stamp[2]}-${stamp[3]}T${stamp[4]}:${stamp[5]}:${stamp[6]}Z`);
  return signature(request, { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, region: auth[2]!, service: "s3" }, at) === auth[4];
}

function target(overrides: Partial<S3Target> = {}): S3Target {
  return { endpoint, bucket: BUCKET, region: "us-east-1", accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, prefix: PREFIX, ...overrides };
}

async function context(s3: S3Target, lines: string[]): Promise<BackupContext> {
  const backupDir = await mkdtemp(path.join(os.tmpdir(), "rj-s3-backups-"));
  backupDirs.push(backupDir);
  return {
    databaseUrl: source.db!.url,
    backupDir,
    pgDumpPath: process.env.PG_DUMP_PATH,
    supabaseUrl: source.url,
    serviceRoleKey: source.serviceRoleKey,
    retention: DEFAULT_RETENTION,
    s3,
    log: (line) => lines.push(line),
  };
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

beforeAll(async () => {
  source = await startSupabaseForTests();
  const db = source.db!.pool;
  const userId = await createUser(db, { tier: "pro" });
  const accountId = await createAccount(db, userId);
  const tradeId = await createTrade(db, userId, accountId);
  await createTrade(db, userId, accountId);
  const storage = createClient(source.url, source.serviceRoleKey, { auth: { persistSession: false } }).storage;
  const { error } = await storage.from("trade-screenshots").upload(`${userId}/${tradeId}/chart (1).png`, PNG, { contentType: "image/png" });
  if (error) throw new Error(error.message);

  s3DataDir = await mkdtemp(path.join(os.tmpdir(), "rj-s3rver-"));
  s3rver = new S3rver({ directory: s3DataDir, silent: true, configureBuckets: [{ name: BUCKET, configs: [] }] });
  await s3rver.configureBuckets();
  const handle = s3rver.callback();
  front = http.createServer((req, res) => {
    if (checkSignature(req)) return void handle(req, res);
    res.writeHead(403, { "content-type": "application/xml" });
    res.end(
      '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code>' +
        "<Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message></Error>",
    );
  });
  const port = await freePort();
  await new Promise<void>((resolve) => front.listen(port, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${port}`;
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => front?.close(resolve));
  for (const dir of [...backupDirs, s3DataDir]) if (dir) await rm(dir, { recursive: true, force: true });
});

describe("S3 backup target", () => {
  it("reads BACKUP_S3_* (off when unset, refused when half set)", () => {
    expect(s3TargetFromEnvironment({})).toBeNull();
    expect(s3TargetFromEnvironment({ BACKUP_S3_ENDPOINT: "", BACKUP_S3_BUCKET: "" })).toBeNull();
    expect(() => s3TargetFromEnvironment({ BACKUP_S3_BUCKET: "b", BACKUP_S3_ENDPOINT: "https://s3.example.com" })).toThrow(
      /half configured: BACKUP_S3_ACCESS_KEY_ID, BACKUP_S3_SECRET_ACCESS_KEY not set/,
    );
    expect(
      s3TargetFromEnvironment({
        BACKUP_S3_ENDPOINT: "https://s3.example.com",
        BACKUP_S3_BUCKET: "b",
        BACKUP_S3_ACCESS_KEY_ID: "id",
        BACKUP_S3_SECRET_ACCESS_KEY: "secret",
        BACKUP_S3_PREFIX: "/rawjournal/",
      }),
    ).toEqual({
      endpoint: "https://s3.example.com",
      bucket: "b",
      region: "us-east-1",
      accessKeyId: "id",
      secretAccessKey: "secret",
      prefix: "rawjournal",
    });
  });

  it("uploads each finished copy file for file and prunes the remote copies by the retention rule", async () => {
    const s3 = target();
    // Two complete copies of one old day (the rule keeps the newer), an upload
    // that never finished (no manifest), and keys that are not ours.
    for (const key of [
      "nightly/2026-01-10T030000Z/database.dump",
      "nightly/2026-01-10T030000Z/manifest.json",
      "nightly/2026-01-10T040000Z/database.dump",
      "nightly/2026-01-10T040000Z/manifest.json",
      "nightly/2026-01-11T030000Z/database.dump",
      "nightly/README.txt",
      "elsewhere/2026-01-09T030000Z/manifest.json",
    ])
      await putObject(s3, key, Buffer.from(`old ${key}`));

    const lines: string[] = [];
    const backup = await takeBackup(await context(s3, lines));
    const name = path.basename(backup.copyDir);
    expect(backup.remote?.removed).toEqual(["2026-01-10T030000Z", "2026-01-11T030000Z"]);

    const local = (await readdir(backup.copyDir, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => path.relative(backup.copyDir, path.join(e.parentPath, e.name)))
      .sort();
    expect(local).toContain("database.dump");
    expect(local.some((f) => f.startsWith("screenshots/trade-screenshots/") && f.endsWith("chart (1).png"))).toBe(true);
    expect(backup.remote?.files).toBe(local.length);
    for (const file of local) {
      expect(sha256(await getObject(s3, `nightly/${name}/${file}`)), file).toBe(sha256(await readFile(path.join(backup.copyDir, file))));
    }
    expect((await listKeys(s3, "")).sort()).toEqual(
      [
        "elsewhere/2026-01-09T030000Z/manifest.json",
        "nightly/2026-01-10T040000Z/database.dump",
        "nightly/2026-01-10T040000Z/manifest.json",
        "nightly/README.txt",
        ...local.map((file) => `nightly/${name}/${file}`),
      ].sort(),
    );
    expect(lines.join("\n")).toMatch(new RegExp(`copied to s3://${BUCKET}/${PREFIX} at 127\\.0\\.0\\.1:\\d+ \\(${local.length} file\\(s\\)`));
  }, 120_000);

  it("a wrong secret fails the queued job with a clear, secret-free error and keeps the local copy", async () => {
    const secret = "wrong-secret-that-must-never-be-logged";
    const lines: string[] = [];
    const jsonLines: string[] = [];
    const logger = createLogger({ level: "info", service: "jobs", destination: lineDestination((line) => jsonLines.push(line)) });
    const boss: PgBoss = await startBoss(source.db!.url, () => {}, logger);
    try {
      const ctx = await context(target({ secretAccessKey: secret }), lines);
      await startBackups(boss, ctx, { hour: 3, pollingIntervalSeconds: 0.5 });
      const jobId = await boss.send(backupJob.queue, { reason: "manual" }, { retryLimit: 0 });
      const deadline = Date.now() + 90_000;
      let job = await boss.getJobById(backupJob.queue, jobId!);
      while (job?.state !== "failed" && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        job = await boss.getJobById(backupJob.queue, jobId!);
      }
      expect(job?.state).toBe("failed");
      const output = JSON.stringify(job?.output);
      expect(output).toMatch(
        /is kept locally in .*, but copying it to s3:\/\/rj-backups\/nightly at 127\.0\.0\.1:\d+ failed: S3 refused PUT rj-backups\/nightly\/.*403 SignatureDoesNotMatch/,
      );
      expect(output).toMatch(/check BACKUP_S3_SECRET_ACCESS_KEY/);

      const failed = jsonLines
        .map((l) => JSON.parse(l) as { msg: string; outcome?: string; err?: { message: string } })
        .find((l) => l.msg === "job failed: backup");
      expect(failed?.outcome).toBe("failed");
      expect(failed?.err?.message).toMatch(/403 SignatureDoesNotMatch.*check BACKUP_S3_SECRET_ACCESS_KEY/);
      for (const text of [output, ...lines, ...jsonLines]) expect(text).not.toContain(secret);

      const copies = (await readdir(ctx.backupDir)).filter((c) => !c.endsWith(".partial"));
      expect(copies).toHaveLength(1);
      expect((await readdir(path.join(ctx.backupDir, copies[0]!))).sort()).toEqual(["database.dump", "manifest.json", "screenshots"]);
    } finally {
      await boss.stop({ graceful: false, timeout: 2_000 }).catch(() => {});
    }
  }, 150_000);

  it("npm run restore -- s3:<copy> downloads the remote copy and restores it into an empty database", async () => {
    const s3 = target();
    const names = new Set((await listKeys(s3, "nightly/")).map((key) => key.split("/")[1]!));
    const newest = [...names]
      .filter((n) => /^\d{4}-\d{2}-\d{2}T\d{6}Z$/.test(n))
      .sort()
      .at(-1)!;
    expect(newest > "2026-02").toBe(true);
    let cluster: ExtraCluster | undefined;
    try {
      cluster = await startExtraCluster();
      const admin = new pg.Client({ connectionString: cluster.url() });
      await admin.connect();
      await admin.query("create database restored_from_s3");
      await admin.end();
      const url = cluster.url({ database: "restored_from_s3" });
      const run = await execa("npm", ["run", "--silent", "restore", "--", `s3:${newest}`], {
        cwd: REPO_ROOT,
        env: {
          RESTORE_DATABASE_URL: url,
          SUPABASE_URL: "",
          SUPABASE_SERVICE_ROLE_KEY: "",
          BACKUP_S3_ENDPOINT: endpoint,
          BACKUP_S3_BUCKET: BUCKET,
          BACKUP_S3_PREFIX: PREFIX,
          BACKUP_S3_ACCESS_KEY_ID: ACCESS_KEY_ID,
          BACKUP_S3_SECRET_ACCESS_KEY: SECRET,
        },
        reject: false,
      });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`downloaded ${newest} from s3://${BUCKET}/${PREFIX}`));
      expect(run.stdout).toMatch(/done: 0 screenshot\(s\) restored, 1 left in the backup folder/);
      const count = async (connectionString: string) => {
        const db = new pg.Client({ connectionString });
        await db.connect();
        try {
          return (
            await db.query<{ trades: number; users: number }>(
              "select (select count(*)::int from public.trades) as trades, (select count(*)::int from auth.users) as users",
            )
          ).rows[0];
        } finally {
          await db.end();
        }
      };
      expect(await count(url)).toEqual(await count(source.db!.url));
      expect((await count(url))!.trades).toBe(2);
    } finally {
      await cluster?.stop();
    }
  }, 240_000);
});
