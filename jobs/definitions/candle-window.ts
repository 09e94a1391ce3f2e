// The candle-window queue (issue 14, docs/decisions/019): one job fetches one
// chunk of bars (a public.candle_window_requests row) through the market-data
// terminal into the shared candle_cache. Pages never send it (the app has no
// rights on pg-boss, ADR 012): they call request_candle_window(), whose NOTIFY
// wakes the jobs process, which claims the pending rows and sends a job each,
// keyed by the row (`singleton`: never two jobs for one chunk). No pg-boss
// retries: a failed fetch marks the row, and a page asking later asks again.
import { z } from "zod";
import { defineJob } from "./define-job.ts";

/** A Date on the queue as ISO text. */
const isoDate = z.codec(z.iso.datetime(), z.date(), {
  decode: (text) => new Date(text),
  encode: (date) => date.toISOString(),
});

const payload = z
  .object({
    requestId: z.guid(),
    symbol: z.string().min(1).max(40),
    timeframe: z.enum(["M1", "M5", "M15", "M30", "H1", "H4", "D1", "W1"]),
    from: isoDate,
    to: isoDate,
  })
  .refine((job) => job.to > job.from, { message: "the window must end after it starts", path: ["to"] });

export const candleWindowJob = defineJob({
  queue: "candle-window",
  payload,
  policy: { policy: "singleton", retryLimit: 0, expireInSeconds: 300, retentionSeconds: 3600, deleteAfterSeconds: 3600 },
  sendOptions: (job) => ({ singletonKey: job.requestId }),
  handler: () => import("../candles/run-candle-window-job.ts").then((module) => module.runCandleWindowJob),
});
