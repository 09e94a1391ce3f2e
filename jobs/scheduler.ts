// Decides what sync work is due and puts it on the pg-boss queue. The rules
// are the pure functions of jobs/sync (presence.ts, cadence.ts); this loop
// reads the state they need, calls them with the clock's time, sends what they
// return and sleeps until the next thing can happen (a cadence, a grace
// period's end, the FX week opening or closing) or something wakes it (a
// presence change, a finished job, the accounts refresh).
import type pg from "pg";
import { withServiceRole } from "~/lib/service-role.server.ts";
import type { Clock } from "./clock.ts";
import { WakeableLoop } from "./loop.ts";
import { tradesAtTheWeekend } from "~/domain/market-hours.ts";
import { AROUND_THE_CLOCK_LOOKBACK_DAYS, dueSyncs, nextWakeUp, type AccountSyncInput, type SyncJob } from "./sync/cadence.ts";
import { PresenceTracker, type PresenceTransition, type StoredPresence } from "./sync/presence.ts";
import { loadSchedulerAccounts, type SchedulerAccountRow } from "./sync/sync-store.ts";

export interface SyncQueue {
  /** Queues a job unless one for the account is already queued; resolves to the job id or null. */
  enqueue(job: SyncJob): Promise<string | null>;
}

export interface SchedulerOptions {
  pool: pg.Pool;
  clock: Clock;
  queue: SyncQueue;
  /** How often the account list is re-read (new connections, deletions, pauses). */
  accountsRefreshMs: number;
  graceMs?: number;
  /** The users whose presence must be watched changed. */
  onWatchedUsers: (userIds: string[]) => Promise<void>;
  log: (line: string) => void;
}

export class Scheduler {
  readonly tracker: PresenceTracker;
  #accounts: SchedulerAccountRow[] = [];
  #accountsLoadedAt = -Infinity;
  /** Accounts with a job queued or running, so a due job is sent once. */
  readonly #inFlight = new Map<string, SyncJob>();
  readonly #loop: WakeableLoop;
  #reloadWanted = true;
  #watched = "";
  #lastTickAt: Date | null = null;

  constructor(private readonly options: SchedulerOptions) {
    this.tracker = new PresenceTracker({ graceMs: options.graceMs });
    this.#loop = new WakeableLoop(
      options.clock,
      () => this.tick(),
      (error) => options.log(`scheduler: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  async start(): Promise<void> {
    const stored = await withServiceRole(this.options.pool, null, async (db) => {
      const { rows } = await db.query<StoredPresence>(
        `select user_id as "userId", state, online_since as "onlineSince", last_seen_at as "lastSeenAt", grace_until as "graceUntil"
           from public.sync_presence where state <> 'offline'`,
      );
      return rows;
    });
    this.tracker.restore(stored);
    this.#loop.start();
  }

  stop(): Promise<void> {
    return this.#loop.stop();
  }

  /** Wakes the loop now (a presence change, a finished job). */
  poke(): void {
    this.#loop.poke();
  }

  /** A user's tabs after a roster change, as the presence listener reports them. */
  async onRoster(userId: string, tabs: string[]): Promise<void> {
    const transitions = this.tracker.apply({ kind: "snapshot", userId, tabs, at: this.options.clock.now() });
    await this.persist(transitions);
    this.poke();
  }

  /** A job ended (whatever its outcome): its account may be scheduled again. */
  jobFinished(accountId: string): void {
    this.#inFlight.delete(accountId);
    this.#reloadWanted = true;
    this.poke();
  }

  /** New or removed accounts: re-read them at the next tick. */
  accountsChanged(): void {
    this.#reloadWanted = true;
    this.poke();
  }

  get inFlight(): ReadonlyMap<string, SyncJob> {
    return this.#inFlight;
  }

  /** The clock time of the last finished pass (tests wait for it to catch up with the clock). */
  get lastTickAt(): Date | null {
    return this.#lastTickAt;
  }

  /** One pass: expire grace periods, send due jobs; returns when to look again. */
  async tick(): Promise<Date> {
    const now = this.options.clock.now();
    if (this.#reloadWanted || now.getTime() - this.#accountsLoadedAt >= this.options.accountsRefreshMs) {
      this.#reloadWanted = false;
      this.#accounts = await loadSchedulerAccounts(this.options.pool, new Date(now.getTime() - AROUND_THE_CLOCK_LOOKBACK_DAYS * 86_400_000));
      this.#accountsLoadedAt = now.getTime();
      const users = [...new Set(this.#accounts.map((account) => account.userId))].sort();
      if (users.join() !== this.#watched) {
        this.#watched = users.join();
        await this.options.onWatchedUsers(users);
      }
    }
    await this.persist(this.tracker.tick(now));

    const inputs = this.#accounts.map((account) => this.syncInput(account));
    for (const job of dueSyncs(inputs, now)) {
      if (this.#inFlight.has(job.accountId)) continue;
      this.#inFlight.set(job.accountId, job);
      const id = await this.options.queue.enqueue(job).catch((error: unknown) => {
        // Not sent (a payload the queue's schema refuses, the database away): the account is due again next tick, not stuck.
        this.#inFlight.delete(job.accountId);
        this.options.log(`scheduler: could not queue a job for account ${job.accountId}: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      });
      // Null: pg-boss already holds a job for the account (e.g. from before a restart); it will run.
      if (id === null) this.options.log(`scheduler: a job for account ${job.accountId} is already queued`);
    }
    this.#lastTickAt = now;
    const idle = inputs.filter((input) => !this.#inFlight.has(input.accountId));
    const candidates = [nextWakeUp(idle, now), this.tracker.nextDeadline(), new Date(this.#accountsLoadedAt + this.options.accountsRefreshMs)];
    return new Date(Math.min(...candidates.filter((d): d is Date => d !== null).map((d) => d.getTime())));
  }

  private syncInput({ recentSymbols, ...account }: SchedulerAccountRow): AccountSyncInput {
    const presence = this.tracker.get(account.userId);
    return { ...account, presence: presence.state, onlineSince: presence.onlineSince, tradesAroundTheClock: recentSymbols.some(tradesAtTheWeekend) };
  }

  private async persist(transitions: PresenceTransition[]): Promise<void> {
    if (transitions.length === 0) return;
    await withServiceRole(this.options.pool, null, async (db) => {
      for (const transition of transitions) {
        const presence = this.tracker.get(transition.userId);
        await db.query(
          `insert into public.sync_presence (user_id, state, online_since, last_seen_at, grace_until)
           values ($1, $2, $3, $4, $5)
           on conflict (user_id) do update set state = excluded.state, online_since = excluded.online_since,
             last_seen_at = excluded.last_seen_at, grace_until = excluded.grace_until`,
          [transition.userId, presence.state, presence.onlineSince, presence.lastSeenAt ?? transition.at, presence.graceUntil],
        );
        this.options.log(`presence ${transition.userId}: ${transition.kind}`);
      }
    });
  }
}
