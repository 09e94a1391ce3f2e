// The backup queue's definition: its payload both ways, its policy and schedule.
import { describe, expect, it } from "vitest";
import { backupCron, backupJob } from "./backup.ts";
import { decodePayload, encodePayload } from "./define-job.ts";
import { JOB_DEFINITIONS } from "./index.ts";

describe("backup job definition", () => {
  it("carries why it runs, and refuses anything else", () => {
    expect(encodePayload(backupJob, { reason: "manual" })).toEqual({ reason: "manual" });
    expect(() => decodePayload(backupJob, { reason: "hourly" })).toThrow(/^backup job payload refused on fetch: reason: Invalid option/);
  });

  it("runs one at a time, once a night at the configured hour, and is created with the other queues", () => {
    expect(backupJob.policy).toMatchObject({ policy: "exclusive", retryLimit: 2 });
    expect(backupCron(3)).toBe("0 3 * * *");
    expect(backupCron(0)).toBe("0 0 * * *");
    expect(() => backupCron(24)).toThrow(/BACKUP_HOUR must be a whole hour 0-23/);
    expect(JOB_DEFINITIONS).toContain(backupJob);
  });
});
