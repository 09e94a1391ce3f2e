import { describe, expect, it } from "vitest";
import { disappearedPositions, dueSyncs, nextSync, nextWakeUp, syncModeAt, type AccountSyncInput, type SyncJob } from "./cadence.ts";
import { PresenceTracker } from "./presence.ts";

const WEDNESDAY = Date.parse("2026-11-25T12:00:00Z");
const at = (seconds: number, base = WEDNESDAY) => new Date(base + seconds * 1000);

function account(overrides: Partial<AccountSyncInput> = {}): AccountSyncInput {
  return {
    accountId: "acc-1",
    userId: "u1",
    tier: "pro",
    mt5Server: "Broker-Server",
    mt5Login: "1001",
    syncEnabled: true,
    presence: "online",
    onlineSince: at(0),
    firstSyncCompletedAt: at(-86_400),
    lastLightSyncAt: null,
    lastFullSyncAt: null,
    dealCheckRequestedAt: null,
    pausedAt: null,
    ...overrides,
  };
}

/** Runs every due job at once, as the wiring would, recording kind and start second. */
function runDue(accounts: AccountSyncInput[], now: Date, log: { second: number; kind: string; reason: string }[]) {
  for (const job of dueSyncs(accounts, now)) {
    const target = accounts.find((a) => a.accountId === job.accountId)!;
    log.push({ second: (now.getTime() - WEDNESDAY) / 1000, kind: job.kind, reason: job.reason });
    if (job.kind === "light") target.lastLightSyncAt = now;
    else {
      target.lastFullSyncAt = now;
      target.firstSyncCompletedAt ??= now;
      target.dealCheckRequestedAt = null;
    }
  }
}

describe("presence-driven cadence (injectable clock)", () => {
  it("join → catch-up → light every 15 s, full every 60 s → leave → 5 min grace → stop", () => {
    const tracker = new PresenceTracker();
    const acc = account({ presence: "offline", onlineSince: null, lastFullSyncAt: at(-7200), lastLightSyncAt: at(-7200) });
    const log: { second: number; kind: string; reason: string }[] = [];

    for (let second = 0; second <= 900; second++) {
      const now = at(second);
      if (second === 10) tracker.apply({ kind: "join", userId: "u1", tabs: ["tab"], at: now });
      if (second === 200) tracker.apply({ kind: "leave", userId: "u1", tabs: ["tab"], at: now });
      tracker.tick(now);
      const presence = tracker.get("u1");
      acc.presence = presence.state;
      acc.onlineSince = presence.onlineSince;
      runDue([acc], now, log);
    }

    expect(log[0]).toEqual({ second: 10, kind: "full", reason: "catch_up" });
    const starts = log.map((entry) => entry.second);
    // Every 15 s while online and in grace (until 200 + 300 = 500 s), then nothing.
    expect(starts).toEqual(Array.from({ length: 33 }, (_, i) => 10 + i * 15));
    expect(starts.at(-1)).toBe(490);
    expect(log.filter((e) => e.kind === "full").map((e) => e.second)).toEqual([10, 70, 130, 190, 250, 310, 370, 430, 490]);
    expect(log.filter((e) => e.kind === "light")).toHaveLength(24);
  });

  it("reads the whole history on the very first sync, and retries a failure at the full cadence", () => {
    const first = account({ firstSyncCompletedAt: null });
    expect(nextSync(first, at(5))).toMatchObject({ kind: "history", reason: "first_sync", notBefore: at(0) });
    const failedOnce = account({ firstSyncCompletedAt: null, lastFullSyncAt: at(5) });
    expect(nextSync(failedOnce, at(6))).toMatchObject({ kind: "history", notBefore: at(65) });
  });

  it("checks deals at once when a light sync saw a position disappear", () => {
    const acc = account({ lastFullSyncAt: at(0), lastLightSyncAt: at(15) });
    expect(nextSync(acc, at(20))).toMatchObject({ kind: "light", notBefore: at(30) });
    const previous = ["pos-1", "pos-2"];
    const seen = ["pos-2", "pos-3"];
    expect(disappearedPositions(previous, seen)).toEqual(["pos-1"]);
    acc.lastLightSyncAt = at(30);
    acc.dealCheckRequestedAt = at(30.4);
    const due = dueSyncs([acc], at(30.5));
    expect(due).toHaveLength(1);
    expect(due[0]).toMatchObject({ kind: "full", reason: "position_closed" });
    // A check that failed (it started, the request is still there) is retried at the next light slot, as a full one.
    acc.lastFullSyncAt = at(31);
    expect(nextSync(acc, at(31))).toMatchObject({ kind: "full", reason: "position_closed", notBefore: at(46) });
    // Once a check succeeded (which clears the request), the regular cadence resumes from it.
    acc.dealCheckRequestedAt = null;
    expect(nextSync(acc, at(31))).toMatchObject({ kind: "light", notBefore: at(46) });
  });

  it("schedules nothing offline, paused or disabled", () => {
    expect(nextSync(account({ presence: "offline" }), at(0))).toBeNull();
    expect(nextSync(account({ pausedAt: at(-10) }), at(0))).toBeNull();
    expect(nextSync(account({ syncEnabled: false }), at(0))).toBeNull();
    // A missing online-since (inconsistent rows) never turns into a catch-up loop.
    expect(nextSync(account({ onlineSince: null, lastFullSyncAt: at(0), lastLightSyncAt: at(0) }), at(1))).toMatchObject({
      kind: "light",
      notBefore: at(15),
    });
    expect(nextSync(account({ presence: "grace", lastFullSyncAt: at(1), lastLightSyncAt: at(1) }), at(2))).toMatchObject({
      kind: "light",
      notBefore: at(16),
    });
  });

  it("puts Elite first, then urgency, then the longest waiting", () => {
    const jobs = dueSyncs(
      [
        account({ accountId: "pro-old", onlineSince: at(-3600), lastFullSyncAt: at(-50), lastLightSyncAt: at(-30) }),
        account({ accountId: "pro-new", onlineSince: at(-3600), lastFullSyncAt: at(-50), lastLightSyncAt: at(-20) }),
        account({ accountId: "elite", tier: "elite", onlineSince: at(-3600), lastFullSyncAt: at(-50), lastLightSyncAt: at(-16) }),
        account({ accountId: "pro-catch-up", lastFullSyncAt: at(-1000) }),
      ],
      at(0),
    );
    expect(jobs.map((j: SyncJob) => j.accountId)).toEqual(["elite", "pro-catch-up", "pro-old", "pro-new"]);
    expect(jobs[0]!.priority).toBeGreaterThan(jobs[1]!.priority);
  });

  it("tells the caller when to tick next", () => {
    const acc = account({ lastFullSyncAt: at(0), lastLightSyncAt: at(10) });
    expect(nextWakeUp([acc], at(11))).toEqual(at(25));
  });
});

describe("weekend mode", () => {
  it("syncs every 30 minutes on one worker while closed, and at the normal cadence once open", () => {
    const saturday = Date.parse("2026-10-31T12:00:00Z");
    expect(syncModeAt(new Date(saturday))).toEqual({
      weekend: true,
      lightIntervalMs: null,
      fullIntervalMs: 1_800_000,
      tradeWorkers: 1,
    });
    const acc = account({ onlineSince: at(-3600, saturday), lastFullSyncAt: at(-10, saturday), lastLightSyncAt: at(-5, saturday) });
    expect(nextSync(acc, at(0, saturday))).toMatchObject({ kind: "full", reason: "weekend", notBefore: at(1790, saturday) });
    // Coming online at the weekend still catches up at once.
    const joined = account({ onlineSince: at(0, saturday), lastFullSyncAt: at(-7200, saturday) });
    expect(nextSync(joined, at(1, saturday))).toMatchObject({ kind: "full", reason: "catch_up" });

    // Sunday 21:59:50 UTC (16:59:50 EST) → the light cadence resumes at the open.
    const sunday = Date.parse("2026-11-01T21:59:50Z");
    const waiting = account({ onlineSince: at(-7200, sunday), lastFullSyncAt: at(-600, sunday), lastLightSyncAt: at(-600, sunday) });
    expect(dueSyncs([waiting], at(0, sunday))).toEqual([]);
    expect(nextWakeUp([waiting], at(0, sunday))).toEqual(new Date("2026-11-01T22:00:00Z"));
    expect(dueSyncs([waiting], at(10, sunday))).toMatchObject([{ kind: "full", reason: "cadence" }]);
  });

  it("keeps the normal cadence at the weekend for an account that trades around the clock, beside one that does not", () => {
    const saturday = Date.parse("2026-12-05T12:00:00Z");
    expect(syncModeAt(new Date(saturday), { tradesAroundTheClock: true })).toEqual({
      weekend: true,
      lightIntervalMs: 15_000,
      fullIntervalMs: 60_000,
      tradeWorkers: 1,
    });
    const synced = { onlineSince: at(-3600, saturday), lastFullSyncAt: at(-30, saturday), lastLightSyncAt: at(-15, saturday) };
    const crypto = account({ accountId: "crypto", tradesAroundTheClock: true, ...synced });
    const fxOnly = account({ accountId: "fx", tradesAroundTheClock: false, ...synced });
    expect(nextSync(crypto, at(0, saturday))).toMatchObject({ kind: "light", reason: "cadence", notBefore: at(0, saturday) });
    expect(nextSync(fxOnly, at(0, saturday))).toMatchObject({ kind: "full", reason: "weekend", notBefore: at(1770, saturday) });
    expect(dueSyncs([crypto, fxOnly], at(0, saturday)).map((job) => job.accountId)).toEqual(["crypto"]);
    const justSynced = { ...crypto, lastLightSyncAt: at(-5, saturday) };
    expect(nextWakeUp([justSynced, fxOnly], at(0, saturday))).toEqual(at(10, saturday));
  });
});
