// One process's or thread's line of /proc (…/stat): its name, parent, CPU
// time so far (user + system; USER_HZ ticks of 10 ms, so only differences
// over seconds mean much) and resident memory. The one reader of that line
// for the benches' own figures (bench/import.ts, load-test/process-stats.ts).
import { readFile } from "node:fs/promises";

const TICK_MS = 1000 / 100;
const PAGE_KB = 4;

export interface ProcStat {
  name: string;
  parentPid: number;
  cpuMs: number;
  /** CPU of its children already reaped (PostgreSQL's short-lived backends). */
  reapedChildrenCpuMs: number;
  rssKb: number;
}

/** `path` is /proc/<pid>/stat or /proc/<pid>/task/<tid>/stat; null when the process or thread has gone. */
export async function readProcStat(path: string): Promise<ProcStat | null> {
  const stat = await readFile(path, "utf8").catch(() => "");
  if (!stat) return null;
  // The name may hold spaces and parentheses: it ends at the last ")".
  const close = stat.lastIndexOf(")");
  const fields = stat.slice(close + 2).split(" ");
  return {
    name: stat.slice(stat.indexOf("(") + 1, close),
    parentPid: Number(fields[1]),
    cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS,
    reapedChildrenCpuMs: (Number(fields[13]) + Number(fields[14])) * TICK_MS,
    rssKb: Number(fields[21]) * PAGE_KB,
  };
}
