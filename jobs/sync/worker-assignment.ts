// Which due sync job each idle terminal worker takes next.
//
// A terminal holds one logged-in account at a time, and logging in is the
// expensive part of a sync: re-using the session already open is free, another
// login on the same broker server is cheaper than switching servers. So a worker
// prefers (1) the account it is logged in to, (2) an account on the same server,
// (3) anything else; within each, Elite before Pro (ten seconds' head start),
// then the longest waiting.
// The preference is a head start in waiting time (`maxAffinityWaitMs` between
// no login and a server switch), so a job is never passed over for cheaper ones
// for longer than that, and grouping keeps working when every job is late. An
// account is never on two workers at once.
import { compareJobs, nextSync, syncModeAt, type AccountSyncInput, type SyncJob } from "./cadence.ts";

export type WorkerKind = "trade" | "market_data";

export interface TerminalWorker {
  id: string;
  kind: WorkerKind;
  busy: boolean;
  /** The account the terminal is logged in to, if any. */
  loggedIn: { server: string; login: string } | null;
  /** The account of the job running now (busy workers). */
  runningAccountId: string | null;
  /** Takes no new job: its terminal restarts once the running one ends (terminal-lifecycle.ts). */
  draining?: boolean;
}

/** What a worker must do before it can sync: nothing, a same-server login, or a server switch. */
export type LoginKind = "already_logged_in" | "same_server" | "server_switch";

export interface Assignment {
  workerId: string;
  job: SyncJob;
  login: LoginKind;
}

export interface AssignmentOptions {
  at: Date;
  /** Trade workers allowed to take jobs (weekend mode: 1); null = all. */
  tradeWorkers?: number | null;
  /** Prefer logged-in and same-server accounts (default true); false for comparison. */
  grouping?: boolean;
  /**
   * The head start of a job needing no login over one needing a server switch
   * (over a same-server login: half), in waiting time.
   */
  maxAffinityWaitMs?: number;
}

export const DEFAULT_TRADE_WORKERS = 3;
export const DEFAULT_MARKET_DATA_WORKERS = 1;
export const DEFAULT_MAX_AFFINITY_WAIT_MS = 30_000;

/** The default pool: `trade-1..n` and `market-data-1..m`, configurable. */
export function createWorkerPool(
  tradeWorkers: number = DEFAULT_TRADE_WORKERS,
  marketDataWorkers: number = DEFAULT_MARKET_DATA_WORKERS,
): TerminalWorker[] {
  if (!Number.isInteger(tradeWorkers) || tradeWorkers < 1) throw new Error("At least one trade worker is needed.");
  if (!Number.isInteger(marketDataWorkers) || marketDataWorkers < 0) throw new Error("Market data workers must be 0 or more.");
  const make = (kind: WorkerKind, id: string): TerminalWorker => ({ id, kind, busy: false, loggedIn: null, runningAccountId: null });
  return [
    ...Array.from({ length: tradeWorkers }, (_, i) => make("trade", `trade-${i + 1}`)),
    ...Array.from({ length: marketDataWorkers }, (_, i) => make("market_data", `market-data-${i + 1}`)),
  ];
}

export function loginKind(worker: Pick<TerminalWorker, "loggedIn">, job: Pick<SyncJob, "mt5Server" | "mt5Login">): LoginKind {
  if (!worker.loggedIn || worker.loggedIn.server !== job.mt5Server) return "server_switch";
  return worker.loggedIn.login === job.mt5Login ? "already_logged_in" : "same_server";
}

const LOGIN_RANK: Record<LoginKind, number> = { already_logged_in: 0, same_server: 1, server_switch: 2 };

/**
 * Pairs idle trade workers with due jobs. Greedy over all (worker, job) pairs
 * rather than worker by worker, so a job goes to the worker already on its
 * server even when another idle worker is asked first.
 */
export function assignJobs(jobs: readonly SyncJob[], workers: readonly TerminalWorker[], options: AssignmentOptions): Assignment[] {
  const grouping = options.grouping ?? true;
  const maxWait = options.maxAffinityWaitMs ?? DEFAULT_MAX_AFFINITY_WAIT_MS;
  const at = options.at.getTime();

  const tradeWorkers = workers.filter((w) => w.kind === "trade").sort((a, b) => a.id.localeCompare(b.id));
  const allowed = options.tradeWorkers == null ? tradeWorkers : tradeWorkers.slice(0, Math.max(0, options.tradeWorkers));
  // Weekend mode allows fewer workers; busy ones outside the allowance still count against it.
  const busyCount = tradeWorkers.filter((w) => w.busy).length;
  const capacity = options.tradeWorkers == null ? Infinity : Math.max(0, options.tradeWorkers - busyCount);
  const idle = allowed.filter((w) => !w.busy && !w.draining);

  // One job per account, the most urgent; none for accounts running elsewhere.
  const running = new Set(workers.filter((w) => w.busy && w.runningAccountId).map((w) => w.runningAccountId!));
  const byAccount = new Map<string, SyncJob>();
  for (const job of [...jobs].sort(compareJobs)) {
    if (job.notBefore.getTime() > at || running.has(job.accountId) || byAccount.has(job.accountId)) continue;
    byAccount.set(job.accountId, job);
  }
  const pending = [...byAccount.values()];

  const assignments: Assignment[] = [];
  const freeWorkers = new Set(idle);
  while (freeWorkers.size > 0 && pending.length > 0 && assignments.length < capacity) {
    let best: { worker: TerminalWorker; job: SyncJob; index: number; login: LoginKind } | null = null;
    for (const worker of freeWorkers) {
      for (let index = 0; index < pending.length; index++) {
        const job = pending[index]!;
        const candidate = { worker, job, index, login: loginKind(worker, job) };
        if (!best || comparePairs(candidate, best, at, maxWait, grouping) < 0) best = candidate;
      }
    }
    if (!best) break;
    assignments.push({ workerId: best.worker.id, job: best.job, login: best.login });
    freeWorkers.delete(best.worker);
    pending.splice(best.index, 1);
  }
  return assignments;
}

/**
 * How much a pair is worth: the job's wait, plus a second per priority point
 * (Elite outranks Pro by ten seconds of waiting), minus the login it costs
 * (`affinityMs` for a server switch, half of it for a same-server login).
 * Cheap logins win at every load, yet no job waits more than about
 * `affinityMs` longer than one that is cheaper to run, so nothing starves.
 */
function pairScore(pair: { job: SyncJob; login: LoginKind }, at: number, affinityMs: number, grouping: boolean): number {
  const penalty = grouping ? (LOGIN_RANK[pair.login] * affinityMs) / 2 : 0;
  return at - pair.job.notBefore.getTime() + pair.job.priority * 1_000 - penalty;
}

function comparePairs(
  a: { worker: TerminalWorker; job: SyncJob; login: LoginKind },
  b: { worker: TerminalWorker; job: SyncJob; login: LoginKind },
  at: number,
  affinityMs: number,
  grouping: boolean,
): number {
  return (
    pairScore(b, at, affinityMs, grouping) - pairScore(a, at, affinityMs, grouping) ||
    compareJobs(a.job, b.job) ||
    (grouping ? LOGIN_RANK[a.login] - LOGIN_RANK[b.login] : 0) ||
    a.worker.id.localeCompare(b.worker.id)
  );
}

// ---------------------------------------------------------------------------
// Capacity simulation: the real cadence and assignment code against simulated
// login and sync costs, for tests and the capacity benchmark.

export interface SimulatedCosts {
  /** Syncing the account the terminal is already logged in to. */
  alreadyLoggedInMs: number;
  /** Another login on the server the terminal is connected to. */
  sameServerLoginMs: number;
  /** A login on a different broker server. */
  serverSwitchLoginMs: number;
  lightSyncMs: number;
  fullSyncMs: number;
}

/** Assumed costs; the bridge simulator's scenario latencies are of the same order. */
export const DEFAULT_SIMULATED_COSTS: SimulatedCosts = {
  alreadyLoggedInMs: 0,
  sameServerLoginMs: 1_500,
  serverSwitchLoginMs: 5_000,
  lightSyncMs: 250,
  fullSyncMs: 750,
};

export interface CapacitySimulationOptions {
  accounts: number;
  servers: number;
  grouping: boolean;
  tradeWorkers?: number;
  costs?: SimulatedCosts;
  durationMs?: number;
  /** Share of accounts on the Elite plan, spread evenly (default 0). */
  eliteShare?: number;
  /** A start on a weekday, so the whole run is in market hours. */
  start?: Date;
  maxAffinityWaitMs?: number;
  /**
   * The run is on cadence when 95 % of syncs start at most this late (default
   * 3 s: light syncs every ≤ 18 s, start to start).
   */
  toleranceMs?: number;
  seed?: number;
}

export interface CapacitySimulationResult {
  accounts: number;
  servers: number;
  grouping: boolean;
  syncs: number;
  logins: Record<LoginKind, number>;
  /** Logins that needed a (same-server or cross-server) login at all. */
  paidLogins: number;
  /** How late syncs started after they became due (after a one-minute warm-up). */
  maxLatenessMs: number;
  p95LatenessMs: number;
  /**
   * Syncs run per 15 s, i.e. how many accounts this throughput could keep on
   * the light cadence if their due times were spread perfectly.
   */
  throughputAccounts: number;
  /** Accounts whose every sync (after warm-up) started within the tolerance. */
  accountsOnCadence: number;
  onCadence: boolean;
}

const SIMULATION_START = new Date("2026-11-25T12:00:00Z"); // a Wednesday

function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Runs online accounts through cadence and assignment for `durationMs` of simulated time. */
export function simulateSyncCapacity(options: CapacitySimulationOptions): CapacitySimulationResult {
  const costs = options.costs ?? DEFAULT_SIMULATED_COSTS;
  const start = (options.start ?? SIMULATION_START).getTime();
  const end = start + (options.durationMs ?? 60 * 60_000);
  const warmUpEnd = start + 60_000;
  const tolerance = options.toleranceMs ?? 3_000;
  const random = prng(options.seed ?? 42);
  const eliteEvery = options.eliteShare ? Math.max(1, Math.round(1 / options.eliteShare)) : 0;

  const accounts: AccountSyncInput[] = Array.from({ length: options.accounts }, (_, i) => ({
    accountId: `acc-${String(i).padStart(5, "0")}`,
    userId: `user-${i}`,
    tier: eliteEvery && i % eliteEvery === 0 ? "elite" : "pro",
    mt5Server: `Broker${i % options.servers}-Server`,
    mt5Login: String(100_000 + i),
    syncEnabled: true,
    presence: "online",
    onlineSince: new Date(start - 60 * 60_000),
    firstSyncCompletedAt: new Date(start - 24 * 60 * 60_000),
    // Staggered, as accounts come online at different moments.
    lastFullSyncAt: new Date(start - Math.floor(random() * 60_000)),
    lastLightSyncAt: new Date(start - Math.floor(random() * 15_000)),
    dealCheckRequestedAt: null,
    pausedAt: null,
  }));
  const workers = createWorkerPool(options.tradeWorkers ?? DEFAULT_TRADE_WORKERS, 0);
  const busyUntil = new Map<string, number>();
  const logins: Record<LoginKind, number> = { already_logged_in: 0, same_server: 0, server_switch: 0 };
  const lateness: number[] = [];
  const lateAccounts = new Set<string>();
  const byId = new Map(accounts.map((a) => [a.accountId, a]));
  let syncs = 0;

  let t = start;
  while (t < end) {
    for (const worker of workers) {
      if (worker.busy && busyUntil.get(worker.id)! <= t) {
        worker.busy = false;
        worker.runningAccountId = null;
      }
    }
    const at = new Date(t);
    const mode = syncModeAt(at);
    let nextDue = Infinity;
    const due: SyncJob[] = [];
    for (const account of accounts) {
      const job = nextSync(account, at, syncModeAt(at, account));
      if (!job) continue;
      if (job.notBefore.getTime() <= t) due.push(job);
      else nextDue = Math.min(nextDue, job.notBefore.getTime());
    }
    const assignments = assignJobs(due, workers, {
      at,
      grouping: options.grouping,
      tradeWorkers: mode.tradeWorkers,
      maxAffinityWaitMs: options.maxAffinityWaitMs,
    });
    for (const { workerId, job, login } of assignments) {
      const worker = workers.find((w) => w.id === workerId)!;
      const loginMs =
        login === "already_logged_in" ? costs.alreadyLoggedInMs : login === "same_server" ? costs.sameServerLoginMs : costs.serverSwitchLoginMs;
      const syncMs = job.kind === "light" ? costs.lightSyncMs : costs.fullSyncMs;
      worker.busy = true;
      worker.runningAccountId = job.accountId;
      worker.loggedIn = { server: job.mt5Server, login: job.mt5Login };
      busyUntil.set(worker.id, t + loginMs + syncMs);
      logins[login] += 1;
      syncs += 1;
      // The wiring records the start of an attempt, so the cadence runs start to start.
      const account = byId.get(job.accountId)!;
      if (job.kind === "light") account.lastLightSyncAt = at;
      else account.lastFullSyncAt = at;
      if (t >= warmUpEnd) {
        const late = Math.max(0, t - job.notBefore.getTime());
        lateness.push(late);
        if (late > tolerance) lateAccounts.add(job.accountId);
      }
    }
    let next = nextDue;
    for (const worker of workers) if (worker.busy) next = Math.min(next, busyUntil.get(worker.id)!);
    if (!(next > t)) next = t + 1;
    t = next;
  }

  lateness.sort((a, b) => a - b);
  return {
    accounts: options.accounts,
    servers: options.servers,
    grouping: options.grouping,
    syncs,
    logins,
    paidLogins: logins.same_server + logins.server_switch,
    maxLatenessMs: lateness.at(-1) ?? 0,
    p95LatenessMs: lateness[Math.floor(lateness.length * 0.95)] ?? 0,
    throughputAccounts: Math.round((syncs / ((end - start) / 15_000)) * 10) / 10,
    accountsOnCadence: options.accounts - lateAccounts.size,
    onCadence: (lateness[Math.floor(lateness.length * 0.95)] ?? 0) <= tolerance,
  };
}

/**
 * The most online accounts the trade workers keep on cadence (every sync
 * starting within the tolerance of its due time), by bisection.
 */
export function maxAccountsOnCadence(
  options: Omit<CapacitySimulationOptions, "accounts">,
  limit = 1_000,
): { accounts: number; result: CapacitySimulationResult | null } {
  const run = (accounts: number) => simulateSyncCapacity({ ...options, accounts });
  let good: CapacitySimulationResult | null = null;
  let low = 0;
  let high = 1;
  while (high <= limit) {
    const result = run(high);
    if (!result.onCadence) break;
    good = result;
    low = high;
    high *= 2;
  }
  high = Math.min(high, limit + 1);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    const result = run(middle);
    if (result.onCadence) {
      good = result;
      low = middle;
    } else {
      high = middle;
    }
  }
  return { accounts: low, result: good };
}
