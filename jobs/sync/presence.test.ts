import { describe, expect, it } from "vitest";
import { DEFAULT_GRACE_MS, PresenceTracker, offlinePresence, reducePresence, rosterTabs } from "./presence.ts";

const T0 = Date.parse("2026-11-25T12:00:00Z");
const at = (seconds: number) => new Date(T0 + seconds * 1000);

describe("PresenceTracker", () => {
  it("goes online on the first tab, into grace when the last tab leaves, offline 5 minutes later", () => {
    const tracker = new PresenceTracker();
    expect(tracker.apply({ kind: "join", userId: "u1", tabs: ["tab-a"], at: at(0) })).toEqual([{ kind: "came_online", userId: "u1", at: at(0) }]);
    expect(tracker.apply({ kind: "join", userId: "u1", tabs: ["tab-b"], at: at(10) })).toEqual([]);
    expect(tracker.apply({ kind: "leave", userId: "u1", tabs: ["tab-a"], at: at(20) })).toEqual([]);
    expect(tracker.get("u1").state).toBe("online");

    expect(tracker.apply({ kind: "leave", userId: "u1", tabs: ["tab-b"], at: at(30) })).toEqual([
      { kind: "grace_started", userId: "u1", at: at(30), graceUntil: at(30 + 300) },
    ]);
    expect(tracker.get("u1")).toMatchObject({ state: "grace", onlineSince: at(0), graceUntil: at(330) });
    expect(tracker.syncingUsers()).toEqual(["u1"]);
    expect(tracker.nextDeadline()).toEqual(at(330));

    expect(tracker.tick(at(329))).toEqual([]);
    expect(tracker.tick(at(330))).toEqual([{ kind: "went_offline", userId: "u1", at: at(330) }]);
    expect(tracker.get("u1").state).toBe("offline");
    expect(tracker.syncingUsers()).toEqual([]);
    expect(tracker.nextDeadline()).toBeNull();
  });

  it("resumes without a catch-up when a tab comes back during grace", () => {
    const tracker = new PresenceTracker();
    tracker.apply({ kind: "snapshot", userId: "u1", tabs: ["a"], at: at(0) });
    tracker.apply({ kind: "snapshot", userId: "u1", tabs: [], at: at(60) });
    expect(tracker.apply({ kind: "join", userId: "u1", tabs: ["b"], at: at(120) })).toEqual([{ kind: "resumed", userId: "u1", at: at(120) }]);
    expect(tracker.get("u1")).toMatchObject({ state: "online", onlineSince: at(0), graceUntil: null });
    expect(tracker.tick(at(1000))).toEqual([]);
  });

  it("treats a tab arriving after an unticked grace expiry as a new online stretch", () => {
    const tracker = new PresenceTracker();
    tracker.apply({ kind: "join", userId: "u1", tabs: ["a"], at: at(0) });
    tracker.apply({ kind: "leave", userId: "u1", tabs: ["a"], at: at(10) });
    expect(tracker.apply({ kind: "join", userId: "u1", tabs: ["b"], at: at(10 + 301) })).toEqual([
      { kind: "went_offline", userId: "u1", at: at(310) },
      { kind: "came_online", userId: "u1", at: at(311) },
    ]);
    expect(tracker.get("u1").onlineSince).toEqual(at(311));
  });

  it("ignores unknown leaves and repeated joins, and keeps users apart", () => {
    const tracker = new PresenceTracker({ graceMs: 1000 });
    expect(tracker.apply({ kind: "leave", userId: "u2", tabs: ["x"], at: at(0) })).toEqual([]);
    tracker.apply({ kind: "join", userId: "u1", tabs: ["a"], at: at(0) });
    expect(tracker.apply({ kind: "join", userId: "u1", tabs: ["a"], at: at(1) })).toEqual([]);
    expect(tracker.apply({ kind: "leave", userId: "u1", tabs: ["zzz"], at: at(2) })).toEqual([]);
    tracker.apply({ kind: "join", userId: "u2", tabs: ["b"], at: at(3) });
    tracker.apply({ kind: "leave", userId: "u2", tabs: ["b"], at: at(4) });
    expect(tracker.get("u1").state).toBe("online");
    expect(tracker.tick(at(5))).toEqual([{ kind: "went_offline", userId: "u2", at: at(5) }]);
  });

  it("restores stored rows: an online user whose snapshot is empty enters grace then", () => {
    const tracker = new PresenceTracker();
    tracker.restore([
      { userId: "u1", state: "online", onlineSince: at(-600), lastSeenAt: at(-5), graceUntil: null },
      { userId: "u2", state: "grace", onlineSince: at(-600), lastSeenAt: at(-100), graceUntil: at(200) },
    ]);
    expect(tracker.apply({ kind: "snapshot", userId: "u1", tabs: [], at: at(0) })).toEqual([
      { kind: "grace_started", userId: "u1", at: at(0), graceUntil: at(300) },
    ]);
    expect(tracker.tick(at(200))).toEqual([{ kind: "went_offline", userId: "u2", at: at(200) }]);
  });
});

describe("reducePresence", () => {
  it("refuses an input for another user", () => {
    expect(() => reducePresence(offlinePresence("u1"), { kind: "join", userId: "u2", tabs: ["a"], at: at(0) })).toThrow(/u2.*u1/);
  });

  it("uses a five-minute grace by default", () => {
    expect(DEFAULT_GRACE_MS).toBe(300_000);
  });
});

describe("rosterTabs", () => {
  it("reads one tab per presence_ref from a presence state or an event's presences", () => {
    expect(rosterTabs({ u1: [{ presence_ref: "r1" }, { presence_ref: "r2" }], other: [{ presence_ref: "r3" }] })).toEqual(["r1", "r2", "r3"]);
    expect(rosterTabs([{ presence_ref: "r1" }, { presence_ref: "r1" }])).toEqual(["r1"]);
    expect(rosterTabs({})).toEqual([]);
  });
});
