// Screenshot compression in the browser (issue 13): the panel's own
// compressScreenshot (app/components/journal/screenshots/compress-image.ts),
// bundled as it is and run in headless Chromium on a 2560 × 1600 photo-like
// PNG of about 4 MB (smooth gradients, soft shapes and per-pixel noise, which
// is what makes a PNG that large). Target: under 600 KB after compression.
// Two more: the same picture with grain over all of it (an 8 MB PNG, the
// worst case for the encoder) and a chart-like capture (flat background,
// candles), the common case. Figures: output size, the WebP quality step it stopped at, and
// the time from File to Blob (decode, scale, encode), median of RUNS.
import path from "node:path";
import { build } from "esbuild";
import { launchChromium } from "../tests/support/browser.ts";
import { REPO_ROOT } from "../supabase/local/database.ts";
import { loadAverage, summary } from "./support/stats.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TARGET_BYTES = 600 * 1024;

const bundled = await build({
  entryPoints: [path.join(REPO_ROOT, "app/components/journal/screenshots/compress-image.ts")],
  bundle: true,
  format: "iife",
  globalName: "rawjournalCompress",
  platform: "browser",
  write: false,
  tsconfig: path.join(REPO_ROOT, "tsconfig.json"),
});
const script = bundled.outputFiles[0]!.text;

const browser = await launchChromium();
const page = await browser.newPage();
await page.setContent("<!doctype html><title>compression bench</title>");
await page.addScriptTag({ content: script });
// tsx compiles the evaluated functions below with esbuild's keepNames, which calls a __name helper.
await page.addScriptTag({ content: "window.__name = (fn) => fn;" });

interface Case {
  name: string;
  inputBytes: number;
  outputBytes: number;
  type: string;
  width: number;
  height: number;
  times: number[];
}

async function measure(kind: "photo" | "grain" | "chart"): Promise<Case> {
  return page.evaluate(
    async ({ kind, runs }) => {
      const width = 2560;
      const height = 1600;
      const canvas = document.createElement("canvas");
      canvas.width = width;
      canvas.height = height;
      const ctx = canvas.getContext("2d")!;
      if (kind === "photo" || kind === "grain") {
        const gradient = ctx.createLinearGradient(0, 0, width, height);
        gradient.addColorStop(0, "#1d3557");
        gradient.addColorStop(0.5, "#a8dadc");
        gradient.addColorStop(1, "#e63946");
        ctx.fillStyle = gradient;
        ctx.fillRect(0, 0, width, height);
        let seed = 42;
        const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
        for (let i = 0; i < 60; i++) {
          ctx.fillStyle = `hsla(${random() * 360}, 60%, 55%, 0.35)`;
          ctx.beginPath();
          ctx.arc(random() * width, random() * height, 40 + random() * 300, 0, Math.PI * 2);
          ctx.fill();
        }
        // A band of sensor-like noise (textured ground); the dithered gradients do the rest of what makes a photo's PNG big.
        const top = kind === "grain" ? 0 : Math.round(height * 0.95);
        const image = ctx.getImageData(0, top, width, height - top);
        for (let p = 0; p < image.data.length; p += 4) {
          const n = (random() - 0.5) * 22;
          image.data[p] = image.data[p]! + n;
          image.data[p + 1] = image.data[p + 1]! + n;
          image.data[p + 2] = image.data[p + 2]! + n;
        }
        ctx.putImageData(image, 0, top);
      } else {
        ctx.fillStyle = "#0b0f19";
        ctx.fillRect(0, 0, width, height);
        ctx.strokeStyle = "#1f2937";
        for (let x = 0; x < width; x += 80) ctx.strokeRect(x, 0, 0, height);
        for (let i = 0; i < 250; i++) {
          const open = 800 + Math.sin(i / 11) * 400 + Math.sin(i / 2.7) * 40;
          const close = open + Math.cos(i / 3) * 70;
          ctx.fillStyle = close > open ? "#22c55e" : "#ef4444";
          ctx.fillRect(i * 10, Math.min(open, close), 7, Math.abs(close - open) + 2);
          ctx.fillRect(i * 10 + 3, Math.min(open, close) - 30, 1, Math.abs(close - open) + 60);
        }
        ctx.font = "28px sans-serif";
        ctx.fillStyle = "#e5e7eb";
        ctx.fillText("EURUSD, M15", 30, 50);
      }
      const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), "image/png"));
      const file = new File([blob], `${kind}.png`, { type: "image/png" });
      const api = (window as unknown as { rawjournalCompress: typeof import("../app/components/journal/screenshots/compress-image.ts") })
        .rawjournalCompress;
      const times: number[] = [];
      let last: Blob = file;
      for (let run = 0; run < runs + 1; run++) {
        const started = performance.now();
        const result = await api.compressScreenshot(file);
        const elapsed = performance.now() - started;
        if (run > 0) times.push(elapsed); // the first run warms the encoder up
        last = result.blob;
      }
      const bitmap = await createImageBitmap(last);
      const answer = {
        name: kind,
        inputBytes: file.size,
        outputBytes: last.size,
        type: last.type,
        width: bitmap.width,
        height: bitmap.height,
        times,
      };
      bitmap.close();
      return answer;
    },
    { kind, runs: RUNS },
  );
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
console.log(`screenshot compression in Chromium (${await browser.version()}), ${RUNS} runs after a warm-up, load ${loadAverage()}`);
let failed = false;
for (const kind of ["photo", "grain", "chart"] as const) {
  const result = await measure(kind);
  const time = summary(result.times);
  console.log(
    `  ${result.name.padEnd(5)} 2560×1600 PNG ${kb(result.inputBytes)} → ${result.type} ${result.width}×${result.height} ${kb(result.outputBytes)}` +
      ` (${((result.outputBytes / result.inputBytes) * 100).toFixed(1)} %); time p50 ${time.p50} ms, max ${time.max} ms`,
  );
  if (kind !== "chart" && result.outputBytes >= TARGET_BYTES) failed = true;
  if (kind === "photo" && (result.inputBytes < 3.5 * 1024 * 1024 || result.outputBytes >= TARGET_BYTES)) failed = true;
}
await browser.close();
console.log(failed ? "FAIL: the photo-like PNG was not ~4 MB or did not compress under 600 KB" : "OK: under 600 KB");
process.exit(failed ? 1 : 0);
