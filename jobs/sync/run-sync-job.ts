// A sync job from the queue, run on one terminal: load the account, record the
// attempt, log in with the decrypted investor password (only here, only in
// memory, only over the bridge's stdin), sync, and record what happened —
// including the login-failure count that pauses an account after three
// refusals in a row.
import type pg from "pg";
import { openCredential, type CredentialKeyring } from "../credentials/credential-keys.ts";
import { BridgeError } from "../mt5/bridge-client.ts";
import type { Clock } from "../clock.ts";
import type { Terminal } from "../terminals/terminal.ts";
import type { SyncKind } from "./cadence.ts";
import { recordLoginOutcome, type LoginOutcome } from "./login-failures.ts";
import { syncAccount, type SyncOutcome } from "./sync-account.ts";
import { AccountNoLongerSynced, loadSyncAccount, markSyncStarted, saveLoginOutcome, saveSyncError } from "./sync-store.ts";

export interface SyncJobData {
  accountId: string;
  kind: SyncKind;
  reason: string;
}

export type SyncJobResult =
  | { status: "synced"; outcome: SyncOutcome; loginMs: number; login: string }
  | { status: "skipped"; why: "gone" | "paused" | "disabled" | "no_credentials" }
  | { status: "login_refused"; code: "auth_failed" | "trade_allowed"; paused: boolean }
  | { status: "failed"; code: string; message: string };

export interface SyncJobContext {
  pool: pg.Pool;
  keyring: CredentialKeyring;
  clock: Clock;
  log: (line: string) => void;
}

function loginOutcomeOf(error: BridgeError): LoginOutcome {
  switch (error.code) {
    case "auth_failed":
      return "auth_failed";
    case "timeout":
      return "timeout";
    case "terminal_crashed":
      return "terminal_crashed";
    default:
      return "other_error";
  }
}

const TRADE_ALLOWED_MESSAGE =
  "This account now logs in with trading rights: the saved password is the master password. Reconnect it with the read-only investor password.";

export async function runSyncJob(context: SyncJobContext, terminal: Terminal, data: SyncJobData): Promise<SyncJobResult> {
  const { pool, keyring, clock } = context;
  const account = await loadSyncAccount(pool, data.accountId);
  if (!account) return { status: "skipped", why: "gone" };
  if (account.loginFailures.pausedAt) return { status: "skipped", why: "paused" };
  if (!account.credentials) return { status: "skipped", why: "no_credentials" };
  if (!account.syncEnabled) return { status: "skipped", why: "disabled" };
  const startedAt = clock.now();
  await markSyncStarted(pool, account, data.kind, startedAt);

  return terminal
    .run(`${data.kind} ${account.mt5Login}@${account.mt5Server}`, account.id, async (bridge): Promise<SyncJobResult> => {
      const loginStarted = performance.now();
      try {
        const password = openCredential(keyring, account.credentials!.ciphertext, account.credentials!.keyId, { context: account.id });
        await terminal.login(bridge, { server: account.mt5Server, login: account.mt5Login }, password);
      } catch (error) {
        if (!(error instanceof BridgeError)) {
          throw new SyncFailure("credentials", "The saved investor password could not be read; reconnect the account.", error);
        }
        if (error.code === "trade_allowed") {
          const step = {
            state: {
              consecutiveLoginFailures: account.loginFailures.consecutiveLoginFailures,
              pausedAt: clock.now(),
              pausedReason: TRADE_ALLOWED_MESSAGE,
            },
            justPaused: true,
            userMessage: TRADE_ALLOWED_MESSAGE,
          };
          await saveLoginOutcome(pool, account, step);
          return { status: "login_refused", code: "trade_allowed", paused: true };
        }
        const step = recordLoginOutcome(account.loginFailures, loginOutcomeOf(error), clock.now(), {
          server: account.mt5Server,
          login: account.mt5Login,
        });
        if (error.code === "auth_failed") {
          await saveLoginOutcome(pool, account, step);
          return { status: "login_refused", code: "auth_failed", paused: step.justPaused };
        }
        throw new SyncFailure(error.code, `Could not log in to ${account.mt5Server}: ${error.message}`, error);
      }
      const loginMs = performance.now() - loginStarted;
      const outcome = await syncAccount(pool, bridge, account, data.kind, startedAt);
      return { status: "synced", outcome, loginMs, login: account.mt5Login };
    })
    .catch(async (error: unknown): Promise<SyncJobResult> => {
      if (error instanceof AccountNoLongerSynced) return { status: "skipped", why: "disabled" };
      const failure = error instanceof SyncFailure ? error : null;
      const cause = failure?.cause ?? error;
      const code = failure?.code ?? (cause instanceof BridgeError ? cause.code : "internal");
      const message = failure?.message ?? `Sync failed: ${cause instanceof Error ? cause.message : String(cause)}`;
      if (code !== "timeout" && code !== "terminal_crashed")
        context.log(`sync ${account.id} failed: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`);
      await saveSyncError(pool, account, message).catch(() => {});
      return { status: "failed", code, message };
    });
}

/** A failure with the message the user sees on the account. */
class SyncFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    override readonly cause: unknown,
  ) {
    super(message);
  }
}
