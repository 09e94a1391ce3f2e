// The request's database handle (ADR 002): one transaction per loader or
// action call, ended by the route handler's rule. A loader reads one snapshot
// (REPEATABLE READ) even while another connection commits between its reads;
// an action reads in READ COMMITTED; writes commit on an answer or a thrown
// redirect and roll back on an error or a 4xx answer.
import { data, redirect } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { requestDb, withRequestDbScope } from "../../app/lib/request-scope.server.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createUser, userClaims } from "../support/fixtures.ts";

const db = await createTestDatabase();

const request = (method: "GET" | "POST") => new Request("http://localhost/accounts", { method });

/** The user's account names, as the user. */
async function accountNames(handle: ReturnType<typeof requestDb>): Promise<string[]> {
  const { rows } = await handle.query<{ name: string }>("select name from public.accounts order by name");
  return rows.map((r) => r.name);
}

/** Runs `work` as a loader (GET) or action (POST) would, with the user's handle. */
function inRequest<T>(method: "GET" | "POST", userId: string, work: (handle: ReturnType<typeof requestDb>) => Promise<T>): Promise<T> {
  const req = request(method);
  return withRequestDbScope(req, () => work(requestDb(req, db.appPool, userClaims(userId))));
}

async function namesNow(userId: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ name: string }>("select name from public.accounts where user_id = $1 order by name", [userId]);
  return rows.map((r) => r.name);
}

describe("a loader's handle", () => {
  it("reads one snapshot: a commit by another connection between two reads is not seen", async () => {
    const user = await createUser(db.pool, { tier: "pro" });
    await createAccount(db.pool, user, { name: "Before" });
    const { first, second, txids } = await inRequest("GET", user, async (handle) => {
      const first = await accountNames(handle);
      const txid1 = (await handle.query<{ txid: string }>("select txid_current()::text as txid")).rows[0]!.txid;
      // Another request commits in between (a sync, an import, another tab).
      await createAccount(db.pool, user, { name: "During" });
      const second = await accountNames(handle);
      const txid2 = (await handle.query<{ txid: string }>("select txid_current()::text as txid")).rows[0]!.txid;
      return { first, second, txids: [txid1, txid2] };
    });
    expect(first).toEqual(["Before"]);
    expect(second).toEqual(["Before"]);
    expect(txids[0]).toBe(txids[1]);
    // The next request sees it.
    expect(await inRequest("GET", user, accountNames)).toEqual(["Before", "During"]);
  });

  it("is scoped by RLS: another user's rows do not exist for it", async () => {
    const owner = await createUser(db.pool);
    const other = await createUser(db.pool);
    await createAccount(db.pool, owner, { name: "Owner's" });
    expect(await inRequest("GET", other, accountNames)).toEqual([]);
  });

  it("takes no connection until its first statement, and none after the answer", async () => {
    const user = await createUser(db.pool, { tier: "pro" });
    const req = request("GET");
    let handle: ReturnType<typeof requestDb> | null = null;
    const idleBefore = db.appPool.totalCount - db.appPool.idleCount;
    await withRequestDbScope(req, async () => {
      handle = requestDb(req, db.appPool, userClaims(user));
      expect(db.appPool.totalCount - db.appPool.idleCount).toBe(idleBefore);
    });
    await expect(handle!.query("select 1")).rejects.toThrow(/already ended/);
    expect(() => requestDb(request("GET"), db.appPool, userClaims(user))).toThrow(/inside handleLoader or handleAction/);
  });
});

describe("an action's handle", () => {
  it("reads in READ COMMITTED: each statement sees what committed before it", async () => {
    const user = await createUser(db.pool, { tier: "pro" });
    await createAccount(db.pool, user, { name: "Before" });
    const second = await inRequest("POST", user, async (handle) => {
      await accountNames(handle);
      await createAccount(db.pool, user, { name: "During" });
      return accountNames(handle);
    });
    expect(second).toEqual(["Before", "During"]);
  });

  const insert = (handle: ReturnType<typeof requestDb>, userId: string, name: string) =>
    handle.query("insert into public.accounts (user_id, name, kind, currency) values ($1, $2, 'manual', 'USD')", [userId, name]);

  it("commits when the action answers, or throws a redirect", async () => {
    const user = await createUser(db.pool, { tier: "pro" });
    await inRequest("POST", user, async (handle) => {
      await insert(handle, user, "Answered");
      return { ok: true };
    });
    await inRequest("POST", user, async (handle) => {
      await insert(handle, user, "Redirected");
      throw redirect("/accounts");
    }).catch((thrown: unknown) => expect(thrown).toBeInstanceOf(Response));
    expect(await namesNow(user)).toEqual(["Answered", "Redirected"]);
  });

  it("rolls back when the action throws an error or answers with a form error", async () => {
    const user = await createUser(db.pool, { tier: "pro" });
    await expect(
      inRequest("POST", user, async (handle) => {
        await insert(handle, user, "Thrown");
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await inRequest("POST", user, async (handle) => {
      await insert(handle, user, "Refused");
      return data({ status: "error" }, { status: 400 });
    });
    await inRequest("POST", user, async (handle) => {
      await insert(handle, user, "Not found");
      throw new Response("Not found", { status: 404 });
    }).catch(() => {});
    expect(await namesNow(user)).toEqual([]);
  });
});
