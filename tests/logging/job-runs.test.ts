// Job run lines (jobs/job-runs.ts): every pg-boss handler run through the real
// pg-boss startBoss creates, and the hand-driven sync queue, log the job's
// name, id, duration and outcome.
import { describe, expect, it } from "vitest";
import { createLogger } from "~/lib/logger.server.ts";
import { jobRunTimer } from "../../jobs/job-runs.ts";
import { startBoss } from "../../jobs/queue.ts";
import { createTestDatabase } from "../support/database.ts";

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ service: "jobs", destination: { write: (chunk: string) => void lines.push(chunk) } });
  return { logger, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("job run lines", () => {
  it("a pg-boss job that completes and one that fails each log name, id, duration and outcome", async () => {
    const database = await createTestDatabase();
    const { logger, entries } = capture();
    const boss = await startBoss(database.url, () => {}, logger);
    try {
      await boss.createQueue("logs-test", { retryLimit: 0 });
      await boss.work<{ fail: boolean }>("logs-test", { pollingIntervalSeconds: 0.5 }, async ([job]) => {
        await new Promise((r) => setTimeout(r, 30));
        if (job!.data.fail) throw new TypeError("the job could not finish");
      });
      const done = await boss.send("logs-test", { fail: false });
      const failed = await boss.send("logs-test", { fail: true });
      await until(() => entries().filter((entry) => entry.job === "logs-test").length === 2, "two job lines");
      const lines = entries().filter((entry) => entry.job === "logs-test");
      expect(lines).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            level: "info",
            service: "jobs",
            job: "logs-test",
            jobId: done,
            outcome: "completed",
            msg: "job done: logs-test",
          }),
          expect.objectContaining({
            level: "warn",
            job: "logs-test",
            jobId: failed,
            outcome: "failed",
            err: expect.objectContaining({ type: "TypeError", message: "the job could not finish" }),
            msg: "job failed: logs-test",
          }),
        ]),
      );
      for (const line of lines) expect(line.durationMs).toBeGreaterThanOrEqual(29);
    } finally {
      await boss.stop({ graceful: false, timeout: 1_000 });
    }
  });

  it("the hand-driven sync queue times a job from fetch to settle, with its failure code", () => {
    const { logger, entries } = capture();
    let clock = 0;
    const runs = jobRunTimer("mt5-sync", logger, () => clock);
    runs.fetched("job-1");
    runs.fetched("job-2");
    clock = 1_234;
    runs.settled("job-1", "completed");
    runs.settled("job-2", "failed", "login_failed");
    runs.settled("never-fetched", "completed");
    expect(entries()).toEqual([
      expect.objectContaining({ job: "mt5-sync", jobId: "job-1", durationMs: 1234, outcome: "completed" }),
      expect.objectContaining({ level: "warn", job: "mt5-sync", jobId: "job-2", durationMs: 1234, outcome: "failed", code: "login_failed" }),
    ]);
  });
});
