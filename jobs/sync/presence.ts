// Per-user presence for sync: online while at least one browser tab is tracked
// on the user's private Realtime topic `presence:<user id>`, then a grace period
// after the last tab leaves (sync keeps going, so a reload or a quick tab switch
// costs nothing), then offline (sync stops).
//
// Pure and timer-free: every input carries its own time, and the jobs process
// calls `tick(at)` (no later than `nextDeadline()`) so grace periods expire. The
// transitions it returns are what the caller acts on: a catch-up sync when a
// user comes online, stopping when grace runs out.

export type PresenceState = "online" | "grace" | "offline";

export const DEFAULT_GRACE_MS = 5 * 60_000;

/** One user's presence, shaped like a public.sync_presence row. */
export interface UserPresence {
  userId: string;
  state: PresenceState;
  /** Presence refs (one per tracked tab) currently on the user's topic. */
  tabs: ReadonlySet<string>;
  /** When the current online stretch began (kept through grace). */
  onlineSince: Date | null;
  /** The last moment a tab was known to be present. */
  lastSeenAt: Date | null;
  /** While in grace: sync continues until this moment. */
  graceUntil: Date | null;
}

/**
 * What Realtime tells the jobs process about one user's topic: a full roster
 * (`sync`, sent on subscribe and after reconnects), or tabs that joined or left.
 */
export type PresenceInput =
  | { kind: "snapshot"; userId: string; tabs: readonly string[]; at: Date }
  | { kind: "join"; userId: string; tabs: readonly string[]; at: Date }
  | { kind: "leave"; userId: string; tabs: readonly string[]; at: Date };

export type PresenceTransition =
  /** offline → online: run a catch-up sync for every account of the user now. */
  | { kind: "came_online"; userId: string; at: Date }
  /** grace → online: sync never stopped, nothing to catch up. */
  | { kind: "resumed"; userId: string; at: Date }
  /** online → grace: keep syncing until `graceUntil`. */
  | { kind: "grace_started"; userId: string; at: Date; graceUntil: Date }
  /** grace → offline: stop scheduling the user's accounts. */
  | { kind: "went_offline"; userId: string; at: Date };

export interface PresenceStep {
  presence: UserPresence;
  transitions: PresenceTransition[];
}

export function offlinePresence(userId: string): UserPresence {
  return { userId, state: "offline", tabs: new Set(), onlineSince: null, lastSeenAt: null, graceUntil: null };
}

/** Whether the user's accounts are scheduled for sync in this state. */
export function isSyncing(state: PresenceState): boolean {
  return state !== "offline";
}

/** Ends a grace period whose time has come; anything else is unchanged. */
export function expirePresence(presence: UserPresence, at: Date): PresenceStep {
  if (presence.state === "grace" && presence.graceUntil && at.getTime() >= presence.graceUntil.getTime()) {
    return {
      presence: { ...presence, state: "offline", onlineSince: null, graceUntil: null },
      // The user went offline when grace ran out, even if we notice later.
      transitions: [{ kind: "went_offline", userId: presence.userId, at: presence.graceUntil }],
    };
  }
  return { presence, transitions: [] };
}

function nextTabs(current: ReadonlySet<string>, input: PresenceInput): Set<string> {
  if (input.kind === "snapshot") return new Set(input.tabs);
  const tabs = new Set(current);
  for (const tab of input.tabs) {
    if (input.kind === "join") tabs.add(tab);
    else tabs.delete(tab);
  }
  return tabs;
}

/** Applies one roster input to one user's presence. */
export function reducePresence(current: UserPresence, input: PresenceInput, graceMs: number = DEFAULT_GRACE_MS): PresenceStep {
  if (input.userId !== current.userId) {
    throw new Error(`Presence input for user ${input.userId} applied to user ${current.userId}.`);
  }
  // A grace period that ran out before this input counts as expired first, so a
  // tab arriving after it gets a fresh catch-up rather than a silent resume.
  const expired = expirePresence(current, input.at);
  const before = expired.presence;
  const transitions = [...expired.transitions];
  const tabs = nextTabs(before.tabs, input);
  const at = input.at;

  if (tabs.size > 0) {
    const lastSeenAt = at;
    if (before.state === "offline") {
      transitions.push({ kind: "came_online", userId: before.userId, at });
      return { presence: { ...before, state: "online", tabs, onlineSince: at, lastSeenAt, graceUntil: null }, transitions };
    }
    if (before.state === "grace") {
      transitions.push({ kind: "resumed", userId: before.userId, at });
    }
    return { presence: { ...before, state: "online", tabs, lastSeenAt, graceUntil: null }, transitions };
  }

  if (before.state === "online") {
    const graceUntil = new Date(at.getTime() + graceMs);
    transitions.push({ kind: "grace_started", userId: before.userId, at, graceUntil });
    return { presence: { ...before, state: "grace", tabs, lastSeenAt: at, graceUntil }, transitions };
  }
  // Already in grace or offline with no tabs: the clock keeps running as it was.
  return { presence: { ...before, tabs }, transitions };
}

/** A stored sync_presence row, for picking up where a restarted jobs process left off. */
export interface StoredPresence {
  userId: string;
  state: PresenceState;
  onlineSince: Date | null;
  lastSeenAt: Date | null;
  graceUntil: Date | null;
}

/**
 * Every user's presence. The jobs process feeds it Realtime presence events and
 * ticks it; it returns the transitions to act on and persist.
 */
export class PresenceTracker {
  readonly #graceMs: number;
  readonly #users = new Map<string, UserPresence>();

  constructor(options: { graceMs?: number } = {}) {
    this.#graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
    if (!(this.#graceMs >= 0)) throw new Error("graceMs must be zero or more.");
  }

  /**
   * Loads rows saved by a previous run. Tabs are unknown until the first
   * snapshot, so an "online" user without tabs enters grace at that snapshot.
   */
  restore(rows: readonly StoredPresence[]): void {
    for (const row of rows) {
      this.#users.set(row.userId, { ...row, tabs: new Set() });
    }
  }

  apply(input: PresenceInput): PresenceTransition[] {
    const current = this.#users.get(input.userId) ?? offlinePresence(input.userId);
    const step = reducePresence(current, input, this.#graceMs);
    this.#store(step.presence);
    return step.transitions;
  }

  /** Expires every grace period that has run out by `at`. */
  tick(at: Date): PresenceTransition[] {
    const transitions: PresenceTransition[] = [];
    for (const presence of [...this.#users.values()]) {
      const step = expirePresence(presence, at);
      if (step.transitions.length > 0) {
        this.#store(step.presence);
        transitions.push(...step.transitions);
      }
    }
    return transitions;
  }

  /** The earliest moment `tick` has something to do, or null. */
  nextDeadline(): Date | null {
    let earliest: Date | null = null;
    for (const presence of this.#users.values()) {
      if (presence.state === "grace" && presence.graceUntil && (!earliest || presence.graceUntil < earliest)) {
        earliest = presence.graceUntil;
      }
    }
    return earliest;
  }

  get(userId: string): UserPresence {
    return this.#users.get(userId) ?? offlinePresence(userId);
  }

  /** Users whose accounts are scheduled (online or in grace). */
  syncingUsers(): string[] {
    return [...this.#users.values()].filter((p) => isSyncing(p.state)).map((p) => p.userId);
  }

  #store(presence: UserPresence): void {
    // Offline users without tabs carry no information worth keeping in memory.
    if (presence.state === "offline" && presence.tabs.size === 0) this.#users.delete(presence.userId);
    else this.#users.set(presence.userId, presence);
  }
}

/**
 * The tabs in a Realtime presence state (`channel.presenceState()`, or the
 * `newPresences` / `leftPresences` of a join or leave event): one presence_ref
 * per tracked tab, whatever key the tab tracked under.
 */
export function rosterTabs(presences: Record<string, readonly { presence_ref: string }[]> | readonly { presence_ref: string }[]): string[] {
  const metas = Array.isArray(presences) ? presences : Object.values(presences).flat();
  return [...new Set(metas.map((meta) => meta.presence_ref))];
}
