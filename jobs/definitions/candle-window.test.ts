// The candle-window queue's definition: a chunk's payload both ways (dates as
// ISO text on the queue), the refusals, one job per chunk, a lazy handler.
import { describe, expect, it } from "vitest";
import { candleWindowJob } from "./candle-window.ts";
import { decodePayload, encodePayload, JobPayloadError } from "./define-job.ts";

const job = {
  requestId: "6f1c1f4e-9a43-4c57-8d1e-0c7b7f2d1a10",
  symbol: "EURUSD",
  timeframe: "M15" as const,
  from: new Date("2026-02-21T00:00:00Z"),
  to: new Date("2026-03-08T00:00:00Z"),
};

describe("candle-window job definition", () => {
  it("carries one chunk, its dates as ISO text on the queue", () => {
    const encoded = encodePayload(candleWindowJob, job);
    expect(encoded).toEqual({ ...job, from: "2026-02-21T00:00:00.000Z", to: "2026-03-08T00:00:00.000Z" });
    expect(decodePayload(candleWindowJob, encoded)).toEqual(job);
  });

  it("refuses a timeframe MT5 has no bars for, an empty window and a missing id", () => {
    expect(() => encodePayload(candleWindowJob, { ...job, timeframe: "H2" as never })).toThrow(/timeframe: Invalid option/);
    expect(() => encodePayload(candleWindowJob, { ...job, to: job.from })).toThrow(/to: the window must end after it starts/);
    expect(() => decodePayload(candleWindowJob, { ...job, requestId: "x" })).toThrow(JobPayloadError);
  });

  it("is one job per chunk (the request row), never retried by pg-boss", () => {
    expect(candleWindowJob.queue).toBe("candle-window");
    expect(candleWindowJob.policy).toMatchObject({ policy: "singleton", retryLimit: 0 });
    expect(candleWindowJob.sendOptions?.(job)).toEqual({ singletonKey: job.requestId });
  });

  it("imports its handler only when asked", async () => {
    const run = await candleWindowJob.handler();
    expect(run.name).toBe("runCandleWindowJob");
  });
});
