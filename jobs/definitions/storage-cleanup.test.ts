// The storage-cleanup queue's definition: its payload both ways, its policy
// (one job queued or running at a time, no pg-boss retries) and a lazy handler.
import { describe, expect, it } from "vitest";
import { decodePayload, encodePayload } from "./define-job.ts";
import { STORAGE_CLEANUP_CRON, storageCleanupJob } from "./storage-cleanup.ts";

describe("storage-cleanup job definition", () => {
  it("carries why it runs, and refuses anything else", () => {
    expect(encodePayload(storageCleanupJob, { reason: "schedule" })).toEqual({ reason: "schedule" });
    expect(decodePayload(storageCleanupJob, { reason: "manual" })).toEqual({ reason: "manual" });
    expect(() => decodePayload(storageCleanupJob, { reason: "because" })).toThrow(
      /^storage-cleanup job payload refused on fetch: reason: Invalid option/,
    );
    expect(() => decodePayload(storageCleanupJob, null)).toThrow(/\(payload\): Invalid input/);
  });

  it("runs one at a time every five minutes, the next run being the retry", () => {
    expect(storageCleanupJob.queue).toBe("storage-cleanup");
    expect(storageCleanupJob.policy).toEqual({
      policy: "exclusive",
      retryLimit: 0,
      expireInSeconds: 600,
      retentionSeconds: 3600,
      deleteAfterSeconds: 3600,
    });
    expect(STORAGE_CLEANUP_CRON).toBe("*/5 * * * *");
  });

  it("imports its handler only when asked", async () => {
    const run = await storageCleanupJob.handler();
    expect(run.name).toBe("runStorageCleanup");
  });
});
