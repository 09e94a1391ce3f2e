// Hand-built trades for the psychology tests: times as "HH:MM" on one day (UTC) unless given in full.
import type { PsychologyTrade } from "./types.ts";

export function at(time: string): number {
  return Date.parse(time.includes("T") ? time : `2026-03-10T${time}:00Z`);
}

export function trade(
  id: string,
  opened: string,
  closed: string | null,
  volume: string,
  net: string,
  extra: Partial<PsychologyTrade> = {},
): PsychologyTrade {
  return { id, accountId: "acc-1", symbol: "EURUSD", openedMs: at(opened), closedMs: closed === null ? null : at(closed), volume, net, ...extra };
}
