// The backup queue in the jobs process: scheduled with pg-boss at the
// configured UTC hour, and a job on the queue writes a copy (real pg_dump,
// real Storage API) and prunes by the retention rule.
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBoss } from "../queue.ts";
import { backupJob } from "../definitions/backup.ts";
import { startSupabaseForTests, type SupabaseUnderTest } from "../../tests/support/local-supabase.ts";
import { startBackups } from "./nightly.ts";

let supabase: SupabaseUnderTest;
let boss: PgBoss;
let backupDir: string;

beforeAll(async () => {
  supabase = await startSupabaseForTests();
  boss = await startBoss(supabase.db!.url, () => {});
  backupDir = await mkdtemp(path.join(os.tmpdir(), "rj-nightly-"));
}, 120_000);

afterAll(async () => {
  await boss?.stop({ graceful: false, timeout: 2_000 }).catch(() => {});
  await rm(backupDir, { recursive: true, force: true });
});

describe("nightly backups", () => {
  it("are scheduled at the configured hour (UTC) and a queued job writes a copy and prunes old ones", async () => {
    // Two copies from the same old day: the rule keeps only the newer one.
    for (const old of ["2026-01-10T030000Z", "2026-01-10T040000Z"]) {
      await mkdir(path.join(backupDir, old));
      await writeFile(path.join(backupDir, old, "database.dump"), "old");
    }
    const lines: string[] = [];
    await startBackups(
      boss,
      {
        databaseUrl: supabase.db!.url,
        backupDir,
        pgDumpPath: process.env.PG_DUMP_PATH,
        supabaseUrl: supabase.url,
        serviceRoleKey: supabase.serviceRoleKey,
        retention: { daily: 7, weekly: 4, monthly: 12 },
        log: (line) => lines.push(line),
      },
      { hour: 4, pollingIntervalSeconds: 0.5 },
    );
    const schedules = await boss.getSchedules();
    expect(schedules.find((s) => s.name === backupJob.queue)).toMatchObject({ cron: "0 4 * * *", options: expect.objectContaining({ tz: "UTC" }) });

    await boss.send(backupJob.queue, { reason: "manual" });
    const deadline = Date.now() + 60_000;
    let copies: string[] = [];
    while (Date.now() < deadline) {
      copies = (await readdir(backupDir)).sort();
      const fresh = copies.filter((c) => !c.startsWith("2026-01-10") && !c.endsWith(".partial"));
      if (fresh.length === 1 && copies.length === 2) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(copies[0]).toBe("2026-01-10T040000Z");
    expect(copies[1]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{6}Z$/);
    expect((await readdir(path.join(backupDir, copies[1]!))).sort()).toEqual(["database.dump", "manifest.json"]);
    expect(lines.some((l) => /backup: .* written .* 1 old copy\(ies\) removed/.test(l))).toBe(true);
  }, 120_000);
});
