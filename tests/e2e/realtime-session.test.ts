// The browser's live connection (app/lib/realtime-session.ts) with the real
// supabase-js against the local Realtime: presence on the user's private
// topic (as the jobs process reads it), the jobs' notices, the user's
// postgres_changes and nobody else's, a token that expires every few seconds
// renewed without losing a channel, and a dropped connection that comes back
// (through a TCP proxy the test cuts) with presence tracked again and the page
// told to catch up.
import net from "node:net";
import { randomUUID } from "node:crypto";
import { createClient } from "@supabase/supabase-js";
import { afterAll, describe, expect, it, vi } from "vitest";
import type { RowChange } from "../../app/domain/sync/live-rows.ts";
import type { TradeClosedNotice } from "../../app/domain/sync/realtime-contract.ts";
import { RealtimeSession, type LiveStatus, type RealtimeToken } from "../../app/lib/realtime-session.ts";
import { signJwt } from "../../supabase/local/jwt.ts";
import { createAccount, createUser } from "../support/fixtures.ts";
import { freePort, startSupabaseForTests } from "../support/local-supabase.ts";

vi.setConfig({ testTimeout: 60_000 });

const sut = await startSupabaseForTests();
const db = sut.db!;
const upstreamPort = Number(new URL(sut.url).port);

// A TCP proxy in front of the local Supabase: cutting it is a real network drop.
const sockets = new Set<net.Socket>();
const proxy = net.createServer((client) => {
  const upstream = net.connect(upstreamPort, "127.0.0.1");
  sockets.add(client).add(upstream);
  client.pipe(upstream).pipe(client);
  const forget = () => {
    client.destroy();
    upstream.destroy();
    sockets.delete(client);
    sockets.delete(upstream);
  };
  client.on("error", forget).on("close", forget);
  upstream.on("error", forget).on("close", forget);
});
const proxyPort = await freePort();
await new Promise<void>((resolve) => proxy.listen(proxyPort, "127.0.0.1", resolve));
const proxyUrl = `http://127.0.0.1:${proxyPort}`;
function cutConnections(): void {
  for (const socket of sockets) socket.destroy();
}

const sessions: RealtimeSession[] = [];
const service = createClient(sut.url, sut.serviceRoleKey, { auth: { persistSession: false, autoRefreshToken: false } });
afterAll(async () => {
  await Promise.all(sessions.map((s) => s.stop()));
  await service.removeAllChannels();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(probe: () => T | undefined | null | false, what: string, timeout = 10_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

function mint(userId: string, lifetimeSeconds: number): Promise<RealtimeToken> {
  const now = Math.floor(Date.now() / 1000);
  return signJwt(sut.jwtSecret!, {
    sub: userId,
    role: "authenticated",
    aud: "authenticated",
    iat: now,
    exp: now + lifetimeSeconds,
    session_id: randomUUID(),
  }).then((token) => ({ token, expiresAt: (now + lifetimeSeconds) * 1000 }));
}

function startSession(userId: string, { lifetime = 3600, url = sut.url }: { lifetime?: number; url?: string } = {}) {
  const record = {
    changes: [] as RowChange[],
    notices: [] as TradeClosedNotice[],
    statuses: [] as LiveStatus[],
    resumed: 0,
    tokens: 0,
    tabId: `tab-${randomUUID().slice(0, 8)}`,
  };
  const session = new RealtimeSession({
    url,
    anonKey: sut.anonKey,
    userId,
    tabId: record.tabId,
    fetchToken: () => {
      record.tokens++;
      return mint(userId, lifetime);
    },
    createClient,
    onChange: (change) => record.changes.push(change),
    onTradeClosed: (notice) => record.notices.push(notice),
    onStatus: (status) => record.statuses.push(status),
    onResumed: () => record.resumed++,
  });
  sessions.push(session);
  void session.start();
  return { session, record, live: () => record.statuses.at(-1) === "live" };
}

/** The roster of presence:<user>, read as the jobs process reads it (service role). */
async function roster(userId: string) {
  const channel = service.channel(`presence:${userId}`, { config: { private: true, presence: { enabled: true } } });
  channel.on("presence", { event: "sync" }, () => {});
  await service.realtime.setAuth();
  await new Promise<void>((resolve, reject) =>
    channel.subscribe((status, error) => (status === "SUBSCRIBED" ? resolve() : status === "CHANNEL_ERROR" ? reject(error) : undefined)),
  );
  return channel;
}

async function insertPosition(userId: string, accountId: string, symbol = "EURUSD") {
  const { rows } = await db.pool.query(
    `insert into public.open_positions (user_id, account_id, position_id, symbol, direction, opened_at, volume, entry_price, floating_profit)
     values ($1, $2, $3, $4, 'buy', now(), 0.5, 1.0825, 12.5) returning id`,
    [userId, accountId, String(Math.floor(Math.random() * 1e9)), symbol],
  );
  return rows[0].id as string;
}

describe("the live session", () => {
  it("tracks the tab on the user's presence topic, hears the jobs' notices and gets the user's changes only", async () => {
    const alice = await createUser(db.pool, { tier: "pro" });
    const bob = await createUser(db.pool, { tier: "pro" });
    const aliceAccount = await createAccount(db.pool, alice, { kind: "mt5", mt5_server: "S", mt5_login: 1 });
    const bobAccount = await createAccount(db.pool, bob, { kind: "mt5", mt5_server: "S", mt5_login: 2 });
    const { record, live } = startSession(alice);
    await waitFor(live, "the session to join");

    const presence = await roster(alice);
    await waitFor(() => presence.presenceState()[record.tabId], "the tab in the roster");
    expect(presence.presenceState()[record.tabId]![0]).toMatchObject({ tab: record.tabId, online_at: expect.any(String) });

    const notice: TradeClosedNotice = {
      tradeId: randomUUID(),
      accountId: aliceAccount,
      symbol: "EURUSD",
      direction: "buy",
      netProfit: "47.50",
      currency: "USD",
      pips: "23.0",
      closedAt: new Date().toISOString(),
    };
    await db.pool.query("select realtime.send($1::jsonb, 'trade_closed', $2, true)", [JSON.stringify(notice), `user:${alice}`]);
    await db.pool.query("select realtime.send($1::jsonb, 'trade_closed', $2, true)", [
      JSON.stringify({ ...notice, symbol: "NOTMINE" }),
      `user:${bob}`,
    ]);
    await waitFor(() => record.notices.length === 1, "the notice");
    expect(record.notices[0]).toEqual(notice);

    // One step at a time: the local Realtime checks RLS against the row as it is
    // when the change is delivered, so a row already deleted is not delivered.
    await insertPosition(bob, bobAccount, "GBPUSD");
    const mine = await insertPosition(alice, aliceAccount);
    await waitFor(() => record.changes.some((c) => c.eventType === "INSERT"), "the insert");
    await db.pool.query("update public.open_positions set floating_profit = 20 where id = $1", [mine]);
    await waitFor(() => record.changes.some((c) => c.eventType === "UPDATE"), "the update");
    await db.pool.query("delete from public.open_positions where id = $1", [mine]);
    await waitFor(() => record.changes.some((c) => c.eventType === "DELETE"), "the delete");
    await sleep(300);
    const positions = record.changes.filter((c) => c.table === "open_positions");
    expect(positions.map((c) => [c.eventType, c.new.symbol ?? null, c.new.floating_profit ?? null])).toEqual([
      ["INSERT", "EURUSD", 12.5],
      ["UPDATE", "EURUSD", 20],
      // Bob's insert never arrived; a DELETE carries only the key (and anyone's may arrive: the page ignores ids it does not hold).
      ["DELETE", null, null],
    ]);
    expect(positions[2]!.old).toEqual({ id: mine });
    expect(record.notices.map((n) => n.symbol)).toEqual(["EURUSD"]);
    await service.removeChannel(presence);
  });

  it("renews a token that lives 4 s without losing its channels", async () => {
    const carol = await createUser(db.pool, { tier: "pro" });
    const account = await createAccount(db.pool, carol, { kind: "mt5", mt5_server: "S", mt5_login: 3 });
    const { record, live } = startSession(carol, { lifetime: 4 });
    await waitFor(live, "the session to join");
    await sleep(10_000); // two and a half token lifetimes
    expect(record.statuses).toEqual(["live"]);
    expect(record.tokens).toBeGreaterThanOrEqual(3);
    await insertPosition(carol, account, "USDJPY");
    await waitFor(() => record.changes.some((c) => c.new.symbol === "USDJPY"), "a change after the first tokens expired");
  });

  it("comes back after the connection drops: rejoins, tracks presence again and asks the page to catch up", async () => {
    const dave = await createUser(db.pool, { tier: "pro" });
    const account = await createAccount(db.pool, dave, { kind: "mt5", mt5_server: "S", mt5_login: 4 });
    const { record, live } = startSession(dave, { url: proxyUrl });
    await waitFor(live, "the session to join");
    const presence = await roster(dave);
    await waitFor(() => presence.presenceState()[record.tabId], "the tab in the roster");

    cutConnections();
    await waitFor(() => record.statuses.includes("reconnecting"), "the drop to be noticed");
    await waitFor(() => !presence.presenceState()[record.tabId], "the roster to lose the tab");
    await waitFor(() => live() && record.resumed > 0, "the session to come back", 20_000);
    await waitFor(() => presence.presenceState()[record.tabId], "the tab back in the roster");

    await insertPosition(dave, account, "AUDUSD");
    await waitFor(() => record.changes.some((c) => c.new.symbol === "AUDUSD"), "a change after the reconnect");
    await service.removeChannel(presence);
  });

  it("stops when the app says the user is signed out", async () => {
    const erin = await createUser(db.pool);
    const statuses: LiveStatus[] = [];
    let signedOut = 0;
    const session = new RealtimeSession({
      url: sut.url,
      anonKey: sut.anonKey,
      userId: erin,
      tabId: "tab-x",
      fetchToken: async () => null,
      createClient,
      onStatus: (status) => statuses.push(status),
      onSignedOut: () => signedOut++,
    });
    sessions.push(session);
    await session.start();
    await waitFor(() => statuses.includes("stopped"), "the session to stop");
    expect(signedOut).toBe(1);
  });
});
