// Answers the app's "does this investor login work?" requests
// (public.mt5_connection_checks, docs/decisions/011): claim a pending row,
// decrypt its password (only here), try it on a terminal, write the broker's
// answer, wipe the ciphertext. A row nobody answered by its expiry is failed
// as 'expired' so the form never waits forever.
import type pg from "pg";
import { detectServerTimeZone } from "~/domain/server-time.ts";
import type { ConnectionCheckErrorCode, ConnectionCheckResult } from "~/domain/sync/connection-check.ts";
import { openCredential, type CredentialKeyring } from "./credentials/credential-keys.ts";
import { withServiceRole } from "~/lib/service-role.server.ts";
import type { Clock } from "./clock.ts";
import { BridgeError } from "./mt5/bridge-client.ts";
import { marginModeOf } from "./sync/broker-records.ts";
import type { Terminal } from "./terminals/terminal.ts";

export interface ClaimedCheck {
  id: string;
  userId: string;
  server: string;
  login: string;
  ciphertext: Buffer;
  keyId: string;
}

const MESSAGES: Record<ConnectionCheckErrorCode, string> = {
  auth_failed: "MT5 refused this login: check the account number, the investor password and the server name.",
  trade_allowed: "This password can place trades, so it is the master password. Give the read-only investor password instead.",
  timeout: "The broker server did not answer in time. Check the server name, or try again in a minute.",
  server_unreachable: "The broker server cannot be reached from our terminals. Check the server name.",
  terminal_crashed: "Our MT5 terminal stopped while checking. Please try again.",
  expired: "No MT5 terminal was free to check the login in time. Please try again.",
  internal: "Something went wrong while checking the login. Please try again.",
};

function codeOf(error: unknown): ConnectionCheckErrorCode {
  if (!(error instanceof BridgeError)) return "internal";
  switch (error.code) {
    case "auth_failed":
    case "trade_allowed":
    case "timeout":
    case "terminal_crashed":
      return error.code;
    default:
      return "internal";
  }
}

export class ConnectionChecks {
  #listener: pg.PoolClient | null = null;

  constructor(
    private readonly options: {
      pool: pg.Pool;
      keyring: CredentialKeyring;
      clock: Clock;
      loginTimeoutMs: number;
      /** Called when a NOTIFY says a check arrived. */
      onArrival: () => void;
      log: (line: string) => void;
    },
  ) {}

  /** LISTENs on a connection of its own, so a new request wakes the dispatcher at once. */
  async listen(listenPool: pg.Pool): Promise<void> {
    const client = await listenPool.connect();
    client.on("notification", () => this.options.onArrival());
    client.on("error", (error) => this.options.log(`connection checks: listener ${error.message}`));
    await client.query("listen mt5_connection_check");
    this.#listener = client;
  }

  async close(): Promise<void> {
    if (!this.#listener) return;
    await this.#listener.query("unlisten *").catch(() => {});
    this.#listener.release();
    this.#listener = null;
  }

  /**
   * Fails what expired, then takes the oldest pending check (skip-locked, so
   * two jobs processes never take the same one). Checks run on the database's
   * clock, not the jobs clock: a person is waiting on them in real time, and
   * the app reads their expiry and age with now().
   */
  async claim(): Promise<ClaimedCheck | null> {
    return withServiceRole(this.options.pool, null, async (db) => {
      await db.query(
        `update public.mt5_connection_checks set status = 'failed', error_code = 'expired', error_message = $1,
                password_ciphertext = null, key_id = null, finished_at = now()
          where status in ('pending', 'running') and expires_at <= now()`,
        [MESSAGES.expired],
      );
      const { rows } = await db.query(
        `update public.mt5_connection_checks c set status = 'running', started_at = now()
          where c.id = (select id from public.mt5_connection_checks
                         where status = 'pending' and expires_at > now() and password_ciphertext is not null
                         order by created_at limit 1 for update skip locked)
          returning c.id, c.user_id, c.mt5_server, c.mt5_login::text as mt5_login, c.password_ciphertext, c.key_id`,
      );
      const row = rows[0];
      return row
        ? { id: row.id, userId: row.user_id, server: row.mt5_server, login: row.mt5_login, ciphertext: row.password_ciphertext, keyId: row.key_id }
        : null;
    });
  }

  /** Tries the login on `terminal` and writes the answer; never throws. */
  async run(terminal: Terminal, check: ClaimedCheck): Promise<void> {
    let outcome: { ok: true; result: ConnectionCheckResult } | { ok: false; code: ConnectionCheckErrorCode };
    try {
      outcome = await terminal.run(`check ${check.login}@${check.server}`, null, async (bridge) => {
        const password = openCredential(this.options.keyring, check.ciphertext, check.keyId, { context: check.id });
        const login = await terminal.login(bridge, { server: check.server, login: check.login }, password, { force: true });
        const info = await bridge.request("account_info", {});
        const offset = await bridge.request("server_time_offset", {}).catch(() => null);
        const trusted = offset && Math.abs(offset.residual_seconds) < 60 ? offset.offset_minutes : null;
        const result: ConnectionCheckResult = {
          login: info.login,
          server: check.server,
          name: info.name,
          currency: info.currency,
          company: info.company || login.result?.company || "",
          marginMode: marginModeOf(info.margin_mode_name),
          leverage: info.leverage > 0 ? info.leverage : null,
          tradeMode: info.trade_mode_name ?? "real",
          balance: info.balance,
          equity: info.equity,
          serverUtcOffsetMinutes: trusted,
          detectedTimeZone: trusted === null ? null : detectServerTimeZone(trusted, this.options.clock.now()),
        };
        return { ok: true as const, result };
      });
    } catch (error) {
      outcome = { ok: false, code: codeOf(error) };
      if (outcome.code === "internal") this.options.log(`connection check ${check.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
    await withServiceRole(this.options.pool, check.userId, (db) =>
      db.query(
        `update public.mt5_connection_checks set status = $3, result = $4, error_code = $5, error_message = $6,
                password_ciphertext = null, key_id = null, finished_at = now()
          where id = $1 and user_id = $2`,
        outcome.ok
          ? [check.id, check.userId, "ok", JSON.stringify(outcome.result), null, null]
          : [check.id, check.userId, "failed", null, outcome.code, MESSAGES[outcome.code]],
      ),
    ).catch((error: unknown) =>
      this.options.log(`connection check ${check.id}: could not save the answer: ${error instanceof Error ? error.message : String(error)}`),
    );
  }
}
