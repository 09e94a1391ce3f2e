// The web process runs with the same memory setting wherever it runs: the
// Dockerfile's app stage, `npm start` (webProcessEnv) and the benchmarks'
// server (bench/support/app-stack.ts) all take WEB_MEMORY_ENV. The peak-RSS
// figures in docs/benchmarks.md were measured with it; a Dockerfile that lost
// it would run the app with more memory than the figures say.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { WEB_MEMORY_ENV, webProcessEnv } from "../../scripts/process-env.ts";
import { REPO_ROOT } from "../../supabase/local/database.ts";

/** KEY=value pairs of the ENV instructions of one Dockerfile stage (continuation lines joined). */
function stageEnv(dockerfile: string, stage: string): Record<string, string> {
  const joined = dockerfile.replace(/\\\n\s*(#[^\n]*\n\s*)*/g, " ");
  const lines = joined.split("\n").map((line) => line.trim());
  const start = lines.findIndex((line) => new RegExp(`^FROM\\s+\\S+\\s+AS\\s+${stage}$`, "i").test(line));
  if (start < 0) throw new Error(`no stage ${stage}`);
  const env: Record<string, string> = {};
  for (const line of lines.slice(start + 1)) {
    if (/^FROM\s/i.test(line)) break;
    if (!/^ENV\s/i.test(line)) continue;
    for (const [, key, value] of line.slice(4).matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(\S+)/g)) env[key!] = value!;
  }
  return env;
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
});
