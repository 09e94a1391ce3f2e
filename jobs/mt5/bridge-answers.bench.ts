// What parsing a first sync's deals costs: the simulator's `large` scenario
// answers `deals` with 100 000 records in one line; this times JSON.parse of
// that line and the schema check on top of it (bridge-answers.ts), median of
// several runs after a warm-up.
//
//   npx tsx jobs/mt5/bridge-answers.bench.ts
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { parseAnswer } from "./bridge-answers.ts";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const RUNS = 9;

const requests = [
  { id: 1, method: "login", params: { login: 50200200, password: "bench-investor", server: "RawBroker-Demo" } },
  { id: 2, method: "deals", params: { from: 0, to: 4_000_000_000 } },
  { id: 3, method: "shutdown" },
];
const bridge = await execa("python3", [path.join(REPO_ROOT, "mt5/bridge")], {
  cwd: REPO_ROOT,
  env: { RAWJOURNAL_MT5_MODULE: "simulator", RAWJOURNAL_SIM_SCENARIO: "large", RAWJOURNAL_SIM_LATENCY_SCALE: "0", PYTHONDONTWRITEBYTECODE: "1" },
  input: requests.map((request) => JSON.stringify(request)).join("\n") + "\n",
  maxBuffer: 1024 * 1024 * 1024,
});
const line = bridge.stdout.split("\n").find((text) => text.startsWith('{"id":2,'));
if (!line) throw new Error("the bridge gave no deals answer");

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time<T>(work: () => T): [T, number] {
  const started = performance.now();
  const value = work();
  return [value, performance.now() - started];
}

const jsonMs: number[] = [];
const schemaMs: number[] = [];
let deals = 0;
for (let run = 0; run <= RUNS; run++) {
  const [message, json] = time(() => JSON.parse(line) as { result: unknown });
  const [answer, schema] = time(() => parseAnswer("deals", message.result));
  if (!answer.ok) throw new Error(answer.message);
  deals = answer.value.length;
  if (run === 0) continue; // warm-up: zod compiles the object parser on first use
  jsonMs.push(json);
  schemaMs.push(schema);
}
console.log(`deals answer: ${deals} deals, ${(line.length / 1e6).toFixed(1)} MB`);
console.log(`JSON.parse      median ${median(jsonMs).toFixed(0)} ms (${jsonMs.map((ms) => ms.toFixed(0)).join(", ")})`);
console.log(`schema check    median ${median(schemaMs).toFixed(0)} ms (${schemaMs.map((ms) => ms.toFixed(0)).join(", ")})`);
