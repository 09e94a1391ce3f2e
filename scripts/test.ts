// `npm test`: the whole suite — type-check, lint, then every Vitest test (unit,
// database, contract, browser). Exits non-zero if anything failed; the last
// line is the runner's "N passed, N failed, N skipped" summary.
import path from "node:path";
import { execa } from "execa";
import { REPO_ROOT } from "../supabase/local/database.ts";
import { wallClockOffsetMs } from "../app/lib/wall-clock.server.ts";

const bin = (name: string) => path.join(REPO_ROOT, "node_modules/.bin", name);
const extraArgs = process.argv.slice(2);

async function step(name: string, command: string, args: string[]): Promise<boolean> {
  const started = performance.now();
  console.log(`\n── ${name}: ${path.basename(command)} ${args.join(" ")}`);
  const result = await execa(command, args, { cwd: REPO_ROOT, stdio: "inherit", reject: false });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`── ${name} ${result.exitCode === 0 ? "passed" : "FAILED"} in ${seconds} s`);
  return result.exitCode === 0;
}

// RAWJOURNAL_CLOCK=2026-12-05T15:00:00Z npm test runs the suite on that day's clock: fixed here once, as an
// offset every test process and every stack they start inherits (app/lib/wall-clock.server.ts).
const clockOffsetMs = wallClockOffsetMs();
if (clockOffsetMs !== 0) console.log(`── the clock reads ${new Date(Date.now() + clockOffsetMs).toISOString()} (RAWJOURNAL_CLOCK)`);

const failures: string[] = [];
if (!extraArgs.length) {
  if (!(await step("typecheck", bin("tsc"), ["--noEmit"]))) failures.push("typecheck");
  if (!(await step("lint", bin("eslint"), [".", "--max-warnings=0"]))) failures.push("lint");
  if (!(await step("format", bin("prettier"), ["--check", "--log-level", "warn", "."]))) failures.push("format");
  if (failures.length) console.log(`\n${failures.join(" and ")} failed; running the tests anyway`);
}
const testsPassed = await step("vitest", bin("vitest"), ["run", ...extraArgs]);
if (!testsPassed) failures.push("tests");
process.exit(failures.length ? 1 : 0);
