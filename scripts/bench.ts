// `npm run bench [name…]`: runs each benchmark in bench/ (or the named ones) in
// turn, each in its own process. Benchmarks print their figures; record them
// with this command in docs/benchmarks.md.
import { readdir } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { REPO_ROOT } from "../supabase/local/database.ts";

const wanted = process.argv.slice(2);
const files = (await readdir(path.join(REPO_ROOT, "bench")))
  .filter((f) => f.endsWith(".ts"))
  .filter((f) => !wanted.length || wanted.some((w) => f.includes(w)))
  .sort();
let failed = 0;
for (const file of files) {
  console.log(`\n── bench/${file}`);
  const result = await execa(path.join(REPO_ROOT, "node_modules/.bin/tsx"), [path.join("bench", file)], {
    cwd: REPO_ROOT,
    stdio: "inherit",
    reject: false,
  });
  if (result.exitCode !== 0) failed++;
}
process.exit(failed ? 1 : 0);
