// The jobs process for integration tests: the real runtime (pg-boss, scheduler,
// dispatcher, terminals running the real Python bridge on the MT5 simulator)
// against this file's database and local Supabase, with a ManualClock that also
// drives the simulator's clock file — so 15 s cadences and 5 minute grace
// periods pass in milliseconds.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClient, type RealtimeChannel, type SupabaseClient } from "@supabase/supabase-js";
import { afterAll } from "vitest";
import { sealWith } from "../../app/lib/credential-seal.server.ts";
import { generateCredentialKeyPair, loadCredentialKeyring, type CredentialKeyring } from "../../jobs/credentials/credential-keys.ts";
import { presenceTopic, userTopic } from "../../app/domain/sync/realtime-contract.ts";
import { ManualClock } from "../../jobs/clock.ts";
import type { MarketDataAccount } from "../../jobs/market-data.ts";
import { startJobsRuntime, type JobsRuntime, type JobsRuntimeOptions } from "../../jobs/runtime.ts";
import { signJwt } from "../../supabase/local/jwt.ts";
import { createUser, type Queryable } from "./fixtures.ts";
import { startSupabaseForTests, type SupabaseUnderTest } from "./local-supabase.ts";

export interface HarnessOptions {
  /** Simulator scenario (mt5/scenarios). */
  scenario?: string;
  /** UTC instant of simulated second 0; defaults to the scenario's own start. */
  start: Date;
  tradeWorkers?: number;
  marketData?: MarketDataAccount | null;
  /** Extra RAWJOURNAL_SIM_* settings. */
  simulatorEnv?: Record<string, string>;
  /** Deadline of a bridge request (15 s by default). */
  requestTimeoutMs?: number;
  /** Run against this Supabase and database (e.g. the one an app under test uses) instead of a new one. */
  supabase?: SupabaseUnderTest;
  /** CREDENTIALS_PRIVATE_KEYS whose public half that app seals with; a fresh pair otherwise. */
  credentialPrivateKeys?: string;
  /** ADR 010's symmetric ENCRYPTION_KEYS, for rows stored in the first format. */
  legacyEncryptionKeys?: string;
  runtime?: Partial<JobsRuntimeOptions>;
}

export interface JobsHarness {
  sut: SupabaseUnderTest;
  db: Queryable;
  clock: ManualClock;
  runtime: JobsRuntime;
  /** The jobs' keyring; its `current` key seals credentials as the app would. */
  keyring: CredentialKeyring;
  logs: string[];
  /** Moves the clock (and the simulator) forward. */
  advance(ms: number): Date;
  /** Waits until the scheduler has looked at the current time and every job it sent has finished. */
  settle(what?: string): Promise<void>;
  createMt5User(tier?: "pro" | "elite"): Promise<string>;
  connectAccount(
    userId: string,
    fields: {
      id?: string;
      login: number;
      server: string;
      password: string;
      name?: string;
      zone?: string;
      zoneConfirmed?: boolean;
      marginMode?: "hedging" | "netting";
      currency?: string;
    },
  ): Promise<string>;
  /** A browser tab of the user: tracks presence on their private topic until closed. */
  openTab(userId: string): Promise<Tab>;
  /** Listens to the user's private notice topic. */
  listenNotices(userId: string): Promise<{ events: Array<{ event: string; payload: Record<string, unknown> }>; close(): Promise<void> }>;
}

export interface Tab {
  close(): Promise<void>;
}

export async function waitFor<T>(
  probe: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value as T;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ""}`);
}

export async function startJobsHarness(options: HarnessOptions): Promise<JobsHarness> {
  const sut = options.supabase ?? (await startSupabaseForTests());
  const db = sut.db!;
  const dir = await mkdtemp(path.join(os.tmpdir(), "rj-jobs-"));
  const clockFile = path.join(dir, "clock");
  await writeFile(clockFile, "0");
  const clock = new ManualClock(options.start);
  clock.onAdvance((now) => writeFileSync(clockFile, String((now.getTime() - options.start.getTime()) / 1000)));
  const keyring = loadCredentialKeyring(
    options.credentialPrivateKeys ?? generateCredentialKeyPair("test1").privateEntry,
    options.legacyEncryptionKeys,
  );
  const logs: string[] = [];
  const log = (line: string) => {
    logs.push(line);
    if (process.env.JOBS_LOG) console.log(`[jobs] ${line}`);
  };
  const runtime = await startJobsRuntime({
    databaseUrl: db.url,
    appDatabaseUrl: db.authenticatorUrl,
    supabaseUrl: sut.url,
    serviceRoleKey: sut.serviceRoleKey,
    keyring,
    bridge: {
      python: process.env.PYTHON ?? "python3",
      env: {
        RAWJOURNAL_MT5_MODULE: "simulator",
        RAWJOURNAL_SIM_SCENARIO: options.scenario ?? "default",
        RAWJOURNAL_SIM_START: options.start.toISOString(),
        RAWJOURNAL_SIM_CLOCK_FILE: clockFile,
        RAWJOURNAL_SIM_LATENCY_SCALE: "0",
        ...options.simulatorEnv,
      },
      defaultTimeoutMs: options.requestTimeoutMs ?? 15_000,
    },
    tradeWorkers: options.tradeWorkers ?? 2,
    marketData: options.marketData ?? null,
    clock,
    log,
    loginTimeoutMs: 2_000,
    healthIntervalMs: 60_000,
    ...options.runtime,
  });

  const clients: SupabaseClient[] = [];
  const userClient = async (userId: string) => {
    const now = Math.floor(Date.now() / 1000);
    const token = await signJwt(sut.jwtSecret!, {
      sub: userId,
      role: "authenticated",
      aud: "authenticated",
      iat: now,
      exp: now + 3600,
      session_id: randomUUID(),
    });
    const client = createClient(sut.url, sut.anonKey, { auth: { persistSession: false, autoRefreshToken: false }, accessToken: async () => token });
    clients.push(client);
    await client.realtime.setAuth();
    return client;
  };
  const subscribed = (channel: RealtimeChannel) =>
    new Promise<void>((resolve, reject) => {
      channel.subscribe((status, error) => {
        if (status === "SUBSCRIBED") resolve();
        else if (status === "CHANNEL_ERROR" || status === "TIMED_OUT") reject(error ?? new Error(status));
      });
    });

  afterAll(async () => {
    await runtime.stop();
    for (const client of clients) {
      await client.removeAllChannels();
      client.realtime.disconnect();
    }
    await rm(dir, { recursive: true, force: true });
  });

  return {
    sut,
    db: db.pool,
    clock,
    runtime,
    keyring,
    logs,
    advance: (ms) => clock.advance(ms),
    async settle(what = "the jobs to settle") {
      await waitFor(() => {
        const { scheduler, dispatcher, terminals } = runtime;
        return (
          (scheduler.lastTickAt?.getTime() ?? -Infinity) >= clock.now().getTime() &&
          scheduler.inFlight.size === 0 &&
          dispatcher.held === 0 &&
          terminals.every((terminal) => !terminal.view.busy)
        );
      }, what);
    },
    createMt5User: (tier = "pro") => createUser(db.pool, { tier }),
    async connectAccount(userId, fields) {
      const { rows } = await db.pool.query<{ id: string }>(
        `insert into public.accounts (id, user_id, name, kind, mt5_server, mt5_login, currency, margin_mode, server_time_zone, server_time_zone_confirmed)
         values (coalesce($9::uuid, gen_random_uuid()), $1, $2, 'mt5', $3, $4, $5, $6, $7, $8) returning id`,
        [
          userId,
          fields.name ?? `MT5 ${fields.login}`,
          fields.server,
          fields.login,
          fields.currency ?? "USD",
          fields.marginMode ?? "hedging",
          fields.zone ?? "NY+7",
          fields.zoneConfirmed ?? true,
          fields.id ?? null,
        ],
      );
      const accountId = rows[0]!.id;
      const secret = sealWith(keyring.current, fields.password, { context: accountId });
      await db.pool.query("insert into public.account_credentials (account_id, user_id, password_ciphertext, key_id) values ($1, $2, $3, $4)", [
        accountId,
        userId,
        Buffer.from(secret.ciphertext),
        secret.keyId,
      ]);
      runtime.scheduler.accountsChanged();
      return accountId;
    },
    async openTab(userId) {
      const client = await userClient(userId);
      const channel = client.channel(presenceTopic(userId), { config: { private: true, presence: { key: `tab-${randomUUID()}` } } });
      await subscribed(channel);
      const tracked = await channel.track({ page: "/dashboard" });
      if (tracked !== "ok") throw new Error(`presence track answered ${tracked}`);
      return {
        async close() {
          await channel.untrack();
          await client.removeChannel(channel);
        },
      };
    },
    async listenNotices(userId) {
      const client = await userClient(userId);
      const events: Array<{ event: string; payload: Record<string, unknown> }> = [];
      const channel = client.channel(userTopic(userId), { config: { private: true } });
      channel.on("broadcast", { event: "*" }, (message) =>
        events.push({ event: message.event, payload: message.payload as Record<string, unknown> }),
      );
      await subscribed(channel);
      return { events, close: () => client.removeChannel(channel).then(() => {}) };
    },
  };
}
