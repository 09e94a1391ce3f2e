// Preloaded into the app server and the jobs process by the load test
// (`node --import <this file>`): once a second it appends the event loop's
// delay over that second to LOADTEST_PROBE_FILE.<pid> as one JSON line, so
// the bench reads how late each process ran its callbacks without any change
// to the app. Without LOADTEST_PROBE_FILE it does nothing.
import { appendFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";

const file = process.env.LOADTEST_PROBE_FILE;
if (file) {
  const resolutionMs = 10;
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  // The histogram holds the time between two of its timer's ticks: the lag is what exceeds the tick.
  const ms = (ns: number) => Math.max(0, Math.round(ns / 1e4) / 100 - resolutionMs);
  setInterval(() => {
    const line = { at: Date.now(), p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max) };
    histogram.reset();
    appendFileSync(`${file}.${process.pid}`, `${JSON.stringify(line)}\n`);
  }, 1000).unref();
}
