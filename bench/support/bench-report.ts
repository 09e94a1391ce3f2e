// The generated MT5 XLSX report the import benches read. The generator is
// seeded, so its report is the same every time: it is kept under .data/,
// named after the generator's own source, and made again only when the
// generator changes (making 100,000 positions takes about a minute).
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { REPO_ROOT } from "../../supabase/local/database.ts";

// A variable specifier: the generator is a test fixture, loaded only when a report must be made.
const GENERATOR = "../../tests/fixtures/imports/generate-mt5-report.ts";

export async function benchReport(positions: number): Promise<Uint8Array> {
  const source = await readFile(new URL(GENERATOR, import.meta.url));
  const dir = path.join(REPO_ROOT, ".data/bench-reports");
  const file = path.join(dir, `report-${positions}-${createHash("sha256").update(source).digest("hex").slice(0, 12)}.xlsx`);
  const kept = await readFile(file).catch(() => null);
  if (kept) return new Uint8Array(kept);
  const { generateMt5Report } = (await import(GENERATOR)) as { generateMt5Report: (o: { positions: number; format: "xlsx" }) => Uint8Array };
  const bytes = generateMt5Report({ positions, format: "xlsx" });
  await mkdir(dir, { recursive: true });
  await writeFile(file, bytes);
  return bytes;
}
