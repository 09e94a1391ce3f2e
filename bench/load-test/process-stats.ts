// What each part of the stack costs, read from /proc: resident memory (RSS,
// and PSS, which shares PostgreSQL's shared buffers out fairly) and CPU time,
// per named group of processes (a root process and its descendants).
import { readdir, readFile } from "node:fs/promises";
import { readProcStat } from "../support/proc-stat.ts";

interface ProcEntry {
  pid: number;
  ppid: number;
  cpuMs: number;
  /** Children already reaped (PostgreSQL's short-lived backends). */
  childCpuMs: number;
  rssKb: number;
}

async function readProcs(): Promise<Map<number, ProcEntry>> {
  const procs = new Map<number, ProcEntry>();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readProcStat(`/proc/${entry}/stat`);
    if (!stat) continue;
    procs.set(Number(entry), {
      pid: Number(entry),
      ppid: stat.parentPid,
      cpuMs: stat.cpuMs,
      childCpuMs: stat.reapedChildrenCpuMs,
      rssKb: stat.rssKb,
    });
  }
  return procs;
}

/** A group: its root process alone, the root and its descendants (PostgreSQL's backends), or only the descendants (the jobs' Python bridges). */
export interface ProcessGroup {
  name: string;
  pid: number;
  members: "root" | "tree" | "descendants";
  /** Count reaped children's CPU too (only where the group owns every child, e.g. the postmaster). */
  withReapedChildren?: boolean;
}

function members(procs: Map<number, ProcEntry>, group: ProcessGroup): ProcEntry[] {
  const root = procs.get(group.pid);
  if (!root) return [];
  if (group.members === "root") return [root];
  const out = [root];
  const seen = new Set([root.pid]);
  for (let i = 0; i < out.length; i++) {
    for (const p of procs.values()) {
      if (p.ppid === out[i]!.pid && !seen.has(p.pid)) {
        seen.add(p.pid);
        out.push(p);
      }
    }
  }
  return group.members === "tree" ? out : out.slice(1);
}

export interface GroupSample {
  rssMb: number;
  cpuSeconds: number;
  processes: number;
  pids: number[];
}

export async function sampleGroups(groups: readonly ProcessGroup[]): Promise<Record<string, GroupSample>> {
  const procs = await readProcs();
  const out: Record<string, GroupSample> = {};
  for (const group of groups) {
    const list = members(procs, group);
    const cpuMs = list.reduce((sum, p) => sum + p.cpuMs + (group.withReapedChildren ? p.childCpuMs : 0), 0);
    out[group.name] = {
      rssMb: +(list.reduce((sum, p) => sum + p.rssKb, 0) / 1024).toFixed(1),
      cpuSeconds: cpuMs / 1000,
      processes: list.length,
      pids: list.map((p) => p.pid),
    };
  }
  return out;
}

/** Proportional set size of these processes (shared pages divided among their users), in MB. */
export async function pssMb(pids: readonly number[]): Promise<number> {
  let kb = 0;
  for (const pid of pids) {
    const text = await readFile(`/proc/${pid}/smaps_rollup`, "utf8").catch(() => "");
    kb += Number(/^Pss:\s+(\d+) kB/m.exec(text)?.[1] ?? 0);
  }
  return +(kb / 1024).toFixed(1);
}

/** The whole machine's busy and total CPU ticks (/proc/stat), to tell how loaded the shared box was. */
export async function machineCpu(): Promise<{ busy: number; total: number }> {
  const line = (await readFile("/proc/stat", "utf8")).split("\n")[0]!;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number) as number[];
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { busy, total: busy + idle! + iowait! };
}
