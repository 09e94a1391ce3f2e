// `npm ci` accepts package-lock.json with the npm Node 22 ships (10.9, the one
// in the images' base) as well as with npm 11. The two disagree about an
// optional peer dependency that is present but out of range: npm 10 wants a
// nested copy that npm 11 leaves out of the lockfile, so a lockfile written by
// npm 11 broke the Dockerfile's `npm ci` ("Missing: esbuild@0.28.2 from lock
// file"); esbuild 0.28 as a direct dev dependency satisfies vite 8's peer at
// the top of the tree. Runs `npm ci --dry-run` (registry metadata only, nothing
// installed) in a copy of the two files.
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../supabase/local/database.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "rawjournal-lockfile-"));
for (const file of ["package.json", "package-lock.json"]) copyFileSync(path.join(REPO_ROOT, file), path.join(dir, file));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function dryRunCi(npm: string[]): Promise<{ exitCode: number; output: string }> {
  const result = await execa(npm[0]!, [...npm.slice(1), "ci", "--dry-run", "--ignore-scripts", "--no-audit", "--no-fund"], {
    cwd: dir,
    all: true,
    reject: false,
    env: { npm_config_update_notifier: "false" },
  });
  return { exitCode: result.exitCode ?? 1, output: result.all ?? "" };
}

describe("package-lock.json", () => {
  it("npm ci of Node 22's npm (10.9.9) accepts it", { timeout: 120_000 }, async () => {
    const { exitCode, output } = await dryRunCi(["npx", "--yes", "npm@10.9.9"]);
    expect(output.match(/npm error .*/g) ?? [], output.slice(-2000)).toEqual([]);
    expect(exitCode).toBe(0);
  });

  it("npm ci of npm 11 accepts it", { timeout: 120_000 }, async () => {
    const { exitCode, output } = await dryRunCi(["npx", "--yes", "npm@11.19.1"]);
    expect(output.match(/npm error .*/g) ?? [], output.slice(-2000)).toEqual([]);
    expect(exitCode).toBe(0);
  });
});
