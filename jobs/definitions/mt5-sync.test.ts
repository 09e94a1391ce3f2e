// The mt5-sync queue's payload: what the scheduler sends passes, and every
// kind of malformed job is refused — on send before pg-boss sees it, and on
// fetch, where it is failed with its reason and never run.
import type { PgBoss } from "pg-boss";
import { describe, expect, it, vi } from "vitest";
import type { SyncJob } from "../sync/cadence.ts";
import { decodePayload, encodePayload, fetchJobs, JobPayloadError, sendJob } from "./define-job.ts";
import { mt5SyncJob } from "./mt5-sync.ts";

const job: SyncJob = {
  accountId: "6f1c2a5e-8d3b-4c1a-9e2f-0a1b2c3d4e5f",
  userId: "0b7e4f6a-1c2d-4e3f-8a9b-5c6d7e8f9a0b",
  tier: "elite",
  mt5Server: "RawBroker-Demo",
  mt5Login: "51000001",
  kind: "full",
  reason: "cadence",
  priority: 21,
  notBefore: new Date("2026-03-04T10:00:15.000Z"),
};
const wire = { ...job, notBefore: "2026-03-04T10:00:15.000Z" };

function refusal(work: () => unknown): JobPayloadError {
  try {
    work();
  } catch (error) {
    if (error instanceof JobPayloadError) return error;
    throw error;
  }
  throw new Error("expected the payload to be refused");
}

function fakeBoss(fetched: { id: string; data: unknown }[] = []) {
  const boss = {
    send: vi.fn(async () => "job-1"),
    fetch: vi.fn(async () => fetched),
    fail: vi.fn(async () => ({})),
  };
  return { boss, asBoss: boss as unknown as PgBoss };
}

describe("mt5-sync job definition", () => {
  it("carries a SyncJob as JSON, its date as ISO text, and reads it back the same", () => {
    expect(encodePayload(mt5SyncJob, job)).toEqual(wire);
    expect(decodePayload(mt5SyncJob, JSON.parse(JSON.stringify(wire)))).toEqual(job);
  });

  it("keeps the queue's policy: stately per account, no pg-boss retries, 15 minute expiry", () => {
    expect(mt5SyncJob.queue).toBe("mt5-sync");
    expect(mt5SyncJob.policy).toEqual({ policy: "stately", retryLimit: 0, expireInSeconds: 900, retentionSeconds: 3600, deleteAfterSeconds: 3600 });
    expect(mt5SyncJob.sendOptions?.(job)).toEqual({ priority: 21, singletonKey: job.accountId });
  });

  it.each([
    ["a missing account", { ...wire, accountId: undefined }, /accountId: Invalid input: expected string, received undefined/],
    ["an account id that is not a UUID", { ...wire, accountId: "42" }, /accountId: Invalid GUID/],
    ["an unknown tier", { ...wire, tier: "platinum" }, /tier: Invalid option: expected one of "free"\|"pro"\|"elite"/],
    ["an unknown sync kind", { ...wire, kind: "deep" }, /kind: Invalid option/],
    ["an unknown reason", { ...wire, reason: "because" }, /reason: Invalid option/],
    ["a login that is not digits", { ...wire, mt5Login: "51000001x" }, /mt5Login: expected the MT5 login's digits/],
    ["an empty server", { ...wire, mt5Server: "" }, /mt5Server: Too small/],
    ["a fractional priority", { ...wire, priority: 1.5 }, /priority: Invalid input: expected int, received number/],
    ["a date that is not ISO text", { ...wire, notBefore: "yesterday" }, /notBefore: Invalid ISO datetime/],
    ["no payload at all", null, /\(payload\): Invalid input: expected object, received null/],
  ])("refuses %s on fetch, naming the field", (_, data, message) => {
    const error = refusal(() => decodePayload(mt5SyncJob, data));
    expect(error.message).toMatch(/^mt5-sync job payload refused on fetch: /);
    expect(error.message).toMatch(message);
  });

  it("refuses an invalid job on send before pg-boss sees it", async () => {
    const { boss, asBoss } = fakeBoss();
    const broken = { ...job, accountId: "not-an-id", notBefore: new Date(Number.NaN) };
    await expect(sendJob(asBoss, mt5SyncJob, broken)).rejects.toThrow(
      /^mt5-sync job payload refused on send: accountId: Invalid GUID; notBefore: Invalid input: expected date, received Date/,
    );
    expect(boss.send).not.toHaveBeenCalled();
  });

  it("sends a valid job with its priority and the account as singleton key", async () => {
    const { boss, asBoss } = fakeBoss();
    await expect(sendJob(asBoss, mt5SyncJob, job)).resolves.toBe("job-1");
    expect(boss.send).toHaveBeenCalledWith("mt5-sync", wire, { priority: 21, singletonKey: job.accountId });
  });

  it("fails a malformed job on fetch with its reason and hands out only the valid ones", async () => {
    const { boss, asBoss } = fakeBoss([
      { id: "good", data: wire },
      { id: "bad", data: { ...wire, kind: "deep" } },
    ]);
    const refused: string[] = [];
    const jobs = await fetchJobs(asBoss, mt5SyncJob, 10, (id, error) => refused.push(`${id} ${error.message}`));
    expect(jobs).toEqual([{ id: "good", payload: job }]);
    expect(boss.fail).toHaveBeenCalledWith("mt5-sync", "bad", {
      error: expect.stringMatching(/^mt5-sync job payload refused on fetch: kind: Invalid option/),
    });
    expect(refused).toEqual([expect.stringMatching(/^bad mt5-sync job payload refused on fetch: kind:/)]);
  });

  it("imports its handler only when asked", async () => {
    const runSyncJob = await mt5SyncJob.handler();
    expect(typeof runSyncJob).toBe("function");
    expect(runSyncJob.name).toBe("runSyncJob");
  });
});
