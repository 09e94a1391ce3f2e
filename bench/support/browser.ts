// Browser set-up shared by the chart benches: a fresh signed-in context per
// load, and a paint probe that times the chart inside the page.
//
// Why a probe: waiting from Playwright (locator.waitFor, waitForFunction) polls
// the page at 20–500 ms intervals, so a time read after the wait includes the
// poll's delay, not just the paint. The probe runs in the page: when the chart
// marks its bars or its markers as set (`candle-chart:data`,
// `candle-chart:markers`: performance marks in components/charts/candle-chart.tsx),
// it waits two animation frames — the library draws in the first, the second
// starts once that frame is on screen — and marks `candle-chart:painted`. The
// bench reads the marks afterwards.
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const PAINTED_MARK = "candle-chart:painted";

const PAINT_PROBE = `(() => {
  const mark = performance.mark.bind(performance);
  performance.mark = (name, options) => {
    const entry = mark(name, options);
    if (name === "candle-chart:data" || name === "candle-chart:markers") {
      requestAnimationFrame(() => requestAnimationFrame(() => mark("${PAINTED_MARK}")));
    }
    return entry;
  };
})();`;

/** Debian's headless Chromium (CHROMIUM_PATH elsewhere), as the browser tests run it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu"],
  });
}

export interface ChartPaint {
  /** Navigation start to the chart's creation (document, scripts, hydration). */
  created: number;
  /** Navigation start to the bars being set. */
  dataSet: number;
  /** Navigation start to the frame after the one that drew the bars. */
  painted: number;
}

/** A new context (fresh cache, cookies from the session's Cookie header) with the paint probe installed. */
export async function signedInPage(
  browser: Browser,
  appUrl: string,
  cookie: string,
  viewport = { width: 1280, height: 900 },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport });
  await context.addCookies(
    cookie.split("; ").map((pair) => {
      const [name, ...value] = pair.split("=");
      return { name: name!, value: value.join("="), url: appUrl };
    }),
  );
  await context.addInitScript(PAINT_PROBE);
  return { context, page: await context.newPage() };
}

/**
 * Waits for the frame after the bars (and, with `markers`, the markers) were
 * drawn and reads the chart's times (ms from navigation start).
 */
export async function readChartPaint(page: Page, { markers = false } = {}): Promise<ChartPaint> {
  const names = ["candle-chart:create", "candle-chart:data", markers ? "candle-chart:markers" : "candle-chart:data", PAINTED_MARK];
  // No named functions inside: tsx's transform would wrap them in a helper the page does not have.
  await page.waitForFunction(
    ([last, painted]) =>
      performance.getEntriesByName(last!).length > 0 &&
      performance.getEntriesByName(painted!).some((entry) => entry.startTime > performance.getEntriesByName(last!).at(-1)!.startTime),
    [names[2], PAINTED_MARK],
    { timeout: 30_000 },
  );
  const [created, dataSet, drawnAfter] = await page.evaluate(
    ([create, data, last]) => [create, data, last].map((name) => performance.getEntriesByName(name!).at(-1)!.startTime),
    names,
  );
  const painted = await page.evaluate(
    ([name, after]) => performance.getEntriesByName(name as string).find((entry) => entry.startTime > (after as number))!.startTime,
    [PAINTED_MARK, drawnAfter!] as const,
  );
  return { created: created!, dataSet: dataSet!, painted };
}

/**
 * Diagnostic (not a figure): runs `load` under Chromium's sampling profiler and
 * returns the functions with the most self time, for finding where a paint goes.
 */
export async function profileTopFunctions(page: Page, load: () => Promise<void>, top = 25): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
  await cdp.send("Profiler.start");
  await load();
  const { profile } = await cdp.send("Profiler.stop");
  const nodeById = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<string, number>();
  profile.samples?.forEach((id, i) => {
    const frame = nodeById.get(id)!.callFrame;
    const key = `${frame.functionName || "(anonymous)"} ${frame.url.split("/").pop()}:${frame.lineNumber + 1}:${frame.columnNumber + 1}`;
    selfMs.set(key, (selfMs.get(key) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000);
  });
  return [...selfMs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, ms]) => `${ms.toFixed(1).padStart(7)} ms  ${key}`);
}
