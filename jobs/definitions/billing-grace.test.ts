// The billing-grace queue's definition: its payload both ways, its policy and schedule.
import { describe, expect, it } from "vitest";
import { BILLING_GRACE_CRON, billingGraceJob } from "./billing-grace.ts";
import { decodePayload, encodePayload } from "./define-job.ts";
import { JOB_DEFINITIONS } from "./index.ts";

describe("billing-grace job definition", () => {
  it("carries why it runs, and refuses anything else", () => {
    expect(encodePayload(billingGraceJob, { reason: "schedule" })).toEqual({ reason: "schedule" });
    expect(() => decodePayload(billingGraceJob, { reason: "now" })).toThrow(/^billing-grace job payload refused on fetch: reason: Invalid option/);
  });

  it("runs one at a time every minute and is created with the other queues", () => {
    expect(billingGraceJob.policy).toMatchObject({ policy: "exclusive", retryLimit: 0 });
    expect(BILLING_GRACE_CRON).toBe("* * * * *");
    expect(JOB_DEFINITIONS).toContain(billingGraceJob);
  });
});
