// The trade-excursions queue's definition: its payload both ways, its policy
// (one job running and one waiting per account) and a lazy handler.
import { describe, expect, it } from "vitest";
import { decodePayload, encodePayload } from "./define-job.ts";
import { tradeExcursionsJob } from "./trade-excursions.ts";

const accountId = "5b0c7a3e-4f1d-4c7a-9f2e-2f1a0c9b8d7e";

describe("trade-excursions job definition", () => {
  it("carries the account and why it runs, and refuses anything else", () => {
    expect(encodePayload(tradeExcursionsJob, { accountId, reason: "import" })).toEqual({ accountId, reason: "import" });
    expect(decodePayload(tradeExcursionsJob, { accountId, reason: "closed" })).toEqual({ accountId, reason: "closed" });
    expect(() => decodePayload(tradeExcursionsJob, { accountId: "42", reason: "closed" })).toThrow(
      /^trade-excursions job payload refused on fetch: accountId: Invalid GUID/,
    );
    expect(() => encodePayload(tradeExcursionsJob, { accountId, reason: "whim" as "import" })).toThrow(/refused on send: reason: Invalid option/);
  });

  it("keeps one job running and one waiting per account", () => {
    expect(tradeExcursionsJob.queue).toBe("trade-excursions");
    expect(tradeExcursionsJob.policy.policy).toBe("stately");
    expect(tradeExcursionsJob.sendOptions!({ accountId, reason: "startup" })).toEqual({ singletonKey: accountId });
  });

  it("imports its handler only when asked", async () => {
    const run = await tradeExcursionsJob.handler();
    expect(run.name).toBe("measureAccount");
  });
});
