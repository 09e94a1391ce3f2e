import { describe, expect, it } from "vitest";
import { NEW_TERMINAL, crashBackoffMs, decideRestart, recordTerminalEvent, type TerminalHealth } from "./terminal-lifecycle.ts";

const T0 = Date.parse("2026-11-25T00:00:00Z");
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const HOUR = 3600;

describe("terminal lifecycle", () => {
  it("starts a terminal that is not running", () => {
    expect(decideRestart(NEW_TERMINAL, { at: at(0), busy: false })).toEqual({ action: "restart", reason: "not_running", notBefore: at(0) });
  });

  it("restarts after 5 hours of uptime, waiting for the running job to end", () => {
    let health = recordTerminalEvent(NEW_TERMINAL, { kind: "started", at: at(0) });
    for (let s = 60; s < 5 * HOUR; s += 60) health = recordTerminalEvent(health, { kind: "job_succeeded", at: at(s) });
    expect(decideRestart(health, { at: at(5 * HOUR - 1), busy: false })).toEqual({ action: "none" });
    expect(decideRestart(health, { at: at(5 * HOUR), busy: true })).toEqual({ action: "restart_when_idle", reason: "uptime" });
    expect(decideRestart(health, { at: at(5 * HOUR + 3), busy: false })).toEqual({
      action: "restart",
      reason: "uptime",
      notBefore: at(5 * HOUR + 3),
    });
    health = recordTerminalEvent(health, { kind: "started", at: at(5 * HOUR + 10) });
    expect(decideRestart(health, { at: at(6 * HOUR), busy: false })).toEqual({ action: "none" });
  });

  it("restarts at once after 3 consecutive timeouts, busy or not; a success in between resets", () => {
    let health: TerminalHealth = recordTerminalEvent(NEW_TERMINAL, { kind: "started", at: at(0) });
    health = recordTerminalEvent(health, { kind: "timed_out", at: at(10) });
    health = recordTerminalEvent(health, { kind: "timed_out", at: at(20) });
    health = recordTerminalEvent(health, { kind: "job_succeeded", at: at(30) });
    health = recordTerminalEvent(health, { kind: "timed_out", at: at(40) });
    health = recordTerminalEvent(health, { kind: "timed_out", at: at(50) });
    expect(decideRestart(health, { at: at(55), busy: true })).toEqual({ action: "none" });
    health = recordTerminalEvent(health, { kind: "timed_out", at: at(60) });
    expect(decideRestart(health, { at: at(61), busy: true })).toEqual({ action: "restart", reason: "unresponsive", notBefore: at(61) });
    health = recordTerminalEvent(health, { kind: "started", at: at(70) });
    expect(health.consecutiveTimeouts).toBe(0);
  });

  it("backs off repeated crashes (5 s, 10 s, 20 s … capped at 5 minutes) until a job succeeds", () => {
    let health: TerminalHealth = recordTerminalEvent(NEW_TERMINAL, { kind: "started", at: at(0) });
    const waits: number[] = [];
    let now = 100;
    for (let crash = 0; crash < 8; crash++) {
      health = recordTerminalEvent(health, { kind: "crashed", at: at(now) });
      const decision = decideRestart(health, { at: at(now), busy: false });
      expect(decision).toMatchObject({ action: "restart", reason: "crashed" });
      const notBefore = (decision as { notBefore: Date }).notBefore;
      waits.push((notBefore.getTime() - at(now).getTime()) / 1000);
      now += 1000;
      health = recordTerminalEvent(health, { kind: "started", at: at(now) });
    }
    expect(waits).toEqual([5, 10, 20, 40, 80, 160, 300, 300]);
    health = recordTerminalEvent(health, { kind: "job_succeeded", at: at(now + 5) });
    health = recordTerminalEvent(health, { kind: "crashed", at: at(now + 10) });
    expect(decideRestart(health, { at: at(now + 10), busy: false })).toMatchObject({ notBefore: at(now + 15) });
    expect(crashBackoffMs(0)).toBe(0);
  });
});
