// The jobs side of "verify before saving": a check row the app writes (through
// request_mt5_connection_check, as the user) is answered by a terminal with the
// broker's account details or a specific refusal, and its ciphertext is wiped
// either way. The app half is tested with the connect page.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { withRlsTransaction } from "../../app/lib/db.server.ts";
import { sealWith } from "../../app/lib/credential-seal.server.ts";
import { userClaims } from "../support/fixtures.ts";
import { startJobsHarness, waitFor } from "../support/jobs-harness.ts";

const START = new Date("2026-03-04T10:00:00Z");
const h = await startJobsHarness({ start: START, tradeWorkers: 1 });
const appPool = h.sut.db!.appPool;

async function requestCheck(userId: string, server: string, login: number, password: string): Promise<string> {
  const id = randomUUID();
  const secret = sealWith(h.keyring.current, password, { context: id });
  await withRlsTransaction(appPool, userClaims(userId), (db) =>
    db.query("select public.request_mt5_connection_check($1, $2, $3, $4, $5)", [id, server, login, Buffer.from(secret.ciphertext), secret.keyId]),
  );
  return id;
}

async function answer(id: string) {
  return waitFor(async () => {
    const { rows } = await h.db.query(
      "select status, error_code, error_message, result, password_ciphertext, key_id from public.mt5_connection_checks where id = $1",
      [id],
    );
    return rows[0]?.status === "ok" || rows[0]?.status === "failed" ? rows[0] : null;
  }, `the answer to check ${id}`);
}

describe("connection checks", () => {
  it("answers an investor login with what the broker reports, and wipes the password", async () => {
    const user = await h.createMt5User("pro");
    const check = await answer(await requestCheck(user, "OtherBroker-Live", 62000001, "inv-62000001!"));
    expect(check).toMatchObject({ status: "ok", error_code: null, password_ciphertext: null, key_id: null });
    expect(check.result).toEqual({
      login: 62000001,
      server: "OtherBroker-Live",
      name: "Netting Trader",
      currency: "EUR",
      company: "Other Broker AG",
      marginMode: "netting",
      leverage: 30,
      tradeMode: "real",
      balance: expect.stringMatching(/^\d+(\.\d+)?$/),
      equity: expect.stringMatching(/^\d+(\.\d+)?$/),
      // 4 March: EU summer time has not begun, so the EU+2 server runs GMT+2 — as NY+7 does before 8 March.
      serverUtcOffsetMinutes: 120,
      detectedTimeZone: "NY+7",
    });
  });

  it("refuses a wrong password, a master password and an unreachable server with their own codes", async () => {
    const user = await h.createMt5User("pro");
    const wrong = await answer(await requestCheck(user, "RawBroker-Demo", 51000001, "not-it"));
    expect(wrong).toMatchObject({ status: "failed", error_code: "auth_failed", password_ciphertext: null, result: null });
    expect(wrong.error_message).toContain("investor password");
    const master = await answer(await requestCheck(user, "RawBroker-Demo", 51000001, "master-51000001!"));
    expect(master).toMatchObject({ status: "failed", error_code: "trade_allowed", password_ciphertext: null });
    expect(master.error_message).toContain("master password");
    const dead = await answer(await requestCheck(user, "Dead-Server", 73000001, "inv-73000001!"));
    expect(dead).toMatchObject({ status: "failed", error_code: "timeout", password_ciphertext: null });
  });

  it("proves the password even when the terminal is already logged in to that account", async () => {
    const user = await h.createMt5User("pro");
    expect((await answer(await requestCheck(user, "RawBroker-Demo", 51000002, "inv-51000002!"))).status).toBe("ok");
    expect((await answer(await requestCheck(user, "RawBroker-Demo", 51000002, "guess"))).error_code).toBe("auth_failed");
  });

  it("fails a check nobody answered before it expired", async () => {
    const user = await h.createMt5User("pro");
    const id = randomUUID();
    await h.db.query(
      `insert into public.mt5_connection_checks (id, user_id, mt5_server, mt5_login, password_ciphertext, key_id, expires_at)
       values ($1, $2, 'RawBroker-Demo', 51000001, '\\x00', 'test1', now() - interval '1 second')`,
      [id, user],
    );
    h.runtime.dispatcher.poke();
    expect(await answer(id)).toMatchObject({ status: "failed", error_code: "expired", password_ciphertext: null });
  });
});
