// The web process runs with the same memory settings wherever it runs: the
// Dockerfile's app stage, `npm start` (webProcessEnv, scripts/start.ts) and
// the benchmarks' server (bench/support/app-stack.ts) all take WEB_MEMORY_ENV
// and WEB_NODE_ARGS. The import's figures in docs/benchmarks.md were measured
// with them; a Dockerfile that lost one would run the app slower or with more
// memory than the figures say.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { WEB_MEMORY_ENV, WEB_NODE_ARGS, webProcessEnv } from "../../scripts/process-env.ts";
import { REPO_ROOT } from "../../supabase/local/database.ts";

/** The instructions of one Dockerfile stage, one per line (continuation lines joined). */
function stageLines(dockerfile: string, stage: string): string[] {
  const joined = dockerfile.replace(/\\\n\s*(#[^\n]*\n\s*)*/g, " ");
  const lines = joined.split("\n").map((line) => line.trim());
  const start = lines.findIndex((line) => new RegExp(`^FROM\\s+\\S+\\s+AS\\s+${stage}$`, "i").test(line));
  if (start < 0) throw new Error(`no stage ${stage}`);
  const end = lines.findIndex((line, index) => index > start && /^FROM\s/i.test(line));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** KEY=value pairs of the ENV instructions of one Dockerfile stage. */
function stageEnv(dockerfile: string, stage: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of stageLines(dockerfile, stage)) {
    if (!/^ENV\s/i.test(line)) continue;
    for (const [, key, value] of line.slice(4).matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(\S+)/g)) env[key!] = value!;
  }
  return env;
}

/** The exec-form CMD of one Dockerfile stage (a HEALTHCHECK's CMD is part of its own instruction). */
function stageCmd(dockerfile: string, stage: string): string[] {
  const cmd = stageLines(dockerfile, stage).findLast((line) => /^CMD\s+\[/i.test(line));
  if (!cmd) throw new Error(`no exec-form CMD in stage ${stage}`);
  return JSON.parse(cmd.slice(3)) as string[];
}

describe("the web process's memory setting", () => {
  it("is set in the Dockerfile's app stage exactly as npm start sets it", () => {
    const env = stageEnv(readFileSync(path.join(REPO_ROOT, "Dockerfile"), "utf8"), "app");
    expect(Object.keys(WEB_MEMORY_ENV).length).toBeGreaterThan(0);
    for (const [key, value] of Object.entries(WEB_MEMORY_ENV)) expect(env[key], key).toBe(value);
    expect(env.NODE_ENV).toBe("production");
  });

  it("reaches the web child's environment, and an operator's own value wins", () => {
    const web = webProcessEnv({ NODE_ENV: "production" }, "postgres://rawjournal_web@127.0.0.1/postgres");
    expect(web).toMatchObject(WEB_MEMORY_ENV);
    const tuned = webProcessEnv({ MALLOC_MMAP_THRESHOLD_: "65536" }, "postgres://rawjournal_web@127.0.0.1/postgres");
    expect(tuned.MALLOC_MMAP_THRESHOLD_).toBe("65536");
  });

  it("runs the Dockerfile's app, npm start's web child and npm run serve with the same Node options", () => {
    expect(WEB_NODE_ARGS.length).toBeGreaterThan(0);
    const cmd = stageCmd(readFileSync(path.join(REPO_ROOT, "Dockerfile"), "utf8"), "app");
    expect(cmd).toEqual(["node", ...WEB_NODE_ARGS, "scripts/serve.ts", "build/index.js"]);
    const start = readFileSync(path.join(REPO_ROOT, "scripts/start.ts"), "utf8");
    expect(start).toContain('[...WEB_NODE_ARGS, "scripts/serve.ts", serverBuild]');
    const scripts = (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(scripts.serve).toBe(["node", ...WEB_NODE_ARGS, "scripts/serve.ts", "build/index.js"].join(" "));
    const bench = readFileSync(path.join(REPO_ROOT, "bench/support/app-stack.ts"), "utf8");
    expect(bench).toContain("[...WEB_NODE_ARGS, ...nodeArgs,");
  });

  it("keeps the young generation at its full size through garbage that dies young, as a parse makes", () => {
    // Short-lived objects only: V8 grows the young generation when much of it
    // survives, so without the pin it stays small (and a parse after idle runs
    // more than twice the scavenges; scripts/process-env.ts).
    const churn = `
      const v8 = require("node:v8");
      const kept = [];
      for (let i = 0; i < 3e6; i++) { kept.push({ i }); if (kept.length > 1000) kept.length = 0; }
      const young = v8.getHeapSpaceStatistics().find((space) => space.space_name === "new_space");
      process.stdout.write(String(young.space_size / 1048576));`;
    const youngMb = (args: readonly string[]) => Number(execFileSync(process.execPath, [...args, "-e", churn], { encoding: "utf8" }));
    const pinned = youngMb(WEB_NODE_ARGS);
    expect(pinned).toBeGreaterThanOrEqual(16);
    expect(youngMb([])).toBeLessThan(pinned);
  });

  it("reuses the memory of the inflater's 1 MB pieces instead of mapping fresh pages for each", () => {
    // A parse inflates ~600 MB through 1 MB pieces (node-inflate.server.ts).
    // Mapped afresh, every piece's pages fault in again: ~200,000 faults and
    // ~0.4 s of kernel time per 100,000-position parse (docs/benchmarks.md).
    const inflate = `
      const zlib = require("node:zlib");
      const packed = zlib.deflateRawSync(Buffer.alloc(256 << 20, 7));
      const before = process.resourceUsage().minorPageFault;
      const stream = zlib.createInflateRaw({ chunkSize: 1 << 20 });
      let seen = 0;
      stream.on("data", (piece) => { seen += piece[piece.length - 1]; });
      stream.on("end", () => process.stdout.write(String(process.resourceUsage().minorPageFault - before)));
      stream.end(packed);`;
    const faults = (env: Record<string, string>) =>
      Number(execFileSync(process.execPath, ["-e", inflate], { encoding: "utf8", env: { ...process.env, ...env } }));
    // 256 MB of pieces is 65,536 pages: mapped afresh, each faults in; reused, a few do.
    expect(faults({ MALLOC_MMAP_THRESHOLD_: "131072" })).toBeGreaterThan(60_000);
    expect(faults(WEB_MEMORY_ENV)).toBeLessThan(16_000);
  });

  it("has Node options this Node accepts (an unknown V8 flag would stop the server at start)", () => {
    const out = execFileSync(process.execPath, [...WEB_NODE_ARGS, "-e", "process.stdout.write('started')"], { encoding: "utf8" });
    expect(out).toBe("started");
  });
});
