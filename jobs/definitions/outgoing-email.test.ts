// The outgoing-email queue's definition: its payload both ways, its policy and schedule.
import { describe, expect, it } from "vitest";
import { decodePayload, encodePayload } from "./define-job.ts";
import { JOB_DEFINITIONS } from "./index.ts";
import { OUTGOING_EMAIL_CRON, outgoingEmailJob } from "./outgoing-email.ts";

describe("outgoing-email job definition", () => {
  it("carries why it runs, and refuses anything else", () => {
    expect(encodePayload(outgoingEmailJob, { reason: "schedule" })).toEqual({ reason: "schedule" });
    expect(() => decodePayload(outgoingEmailJob, { reason: "now" })).toThrow(/^outgoing-email job payload refused on fetch: reason: Invalid option/);
  });

  it("runs one at a time every minute, retries on the rows rather than in pg-boss, and is created with the other queues", () => {
    expect(outgoingEmailJob.policy).toMatchObject({ policy: "exclusive", retryLimit: 0 });
    expect(OUTGOING_EMAIL_CRON).toBe("* * * * *");
    expect(JOB_DEFINITIONS).toContain(outgoingEmailJob);
  });
});
