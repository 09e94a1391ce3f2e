// The wall clock of the demo, the jobs process and the tests. It is the system
// clock unless RAWJOURNAL_CLOCK names another instant: then every process of
// one run (npm start, the jobs process, the MT5 simulator it spawns, the test
// suite and the stacks it starts) reads the same shifted clock, which runs at
// normal speed from that instant. That lets the suite run "on a Saturday" on
// any real day, and the demo show the weekend without waiting for one.
//
// The first process that reads RAWJOURNAL_CLOCK turns it into an offset in
// RAWJOURNAL_CLOCK_OFFSET_MS, which child processes inherit, so a process
// started a minute later does not restart the clock at the named instant.
// Only the market's time moves: sessions, JWTs and database timestamps keep
// the real clock.

const OFFSET_VARIABLE = "RAWJOURNAL_CLOCK_OFFSET_MS";
const START_VARIABLE = "RAWJOURNAL_CLOCK";

let cachedOffset: number | null = null;

export class WallClockError extends Error {}

/** Milliseconds to add to the system clock (0 unless RAWJOURNAL_CLOCK is set). */
export function wallClockOffsetMs(env: Record<string, string | undefined> = process.env): number {
  if (env === process.env && cachedOffset !== null) return cachedOffset;
  const offset = readOffset(env);
  if (env === process.env) {
    cachedOffset = offset;
    if (offset !== 0) process.env[OFFSET_VARIABLE] = String(offset);
  }
  return offset;
}

function readOffset(env: Record<string, string | undefined>): number {
  const inherited = env[OFFSET_VARIABLE];
  if (inherited) {
    const offset = Number(inherited);
    if (!Number.isFinite(offset)) throw new WallClockError(`${OFFSET_VARIABLE} must be a number of milliseconds, not "${inherited}".`);
    return Math.round(offset);
  }
  const start = env[START_VARIABLE];
  if (!start) return 0;
  const at = Date.parse(start);
  if (Number.isNaN(at) || !/(Z|[+-]\d\d:?\d\d)$/.test(start.trim())) {
    throw new WallClockError(`${START_VARIABLE} must be an ISO-8601 instant with its zone, e.g. 2026-12-05T12:00:00Z, not "${start}".`);
  }
  return at - Date.now();
}

/** The current instant on the run's wall clock. */
export function wallClockNow(): Date {
  return new Date(Date.now() + wallClockOffsetMs());
}

/** The variables a child process needs to share this clock (empty when it is the system clock). */
export function wallClockEnvironment(): Record<string, string> {
  const offset = wallClockOffsetMs();
  return offset === 0 ? {} : { [OFFSET_VARIABLE]: String(offset) };
}
