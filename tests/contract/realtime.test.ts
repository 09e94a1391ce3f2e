// Contract tests of Realtime through the real supabase-js client: postgres
// changes (RLS, filters, DELETE semantics), presence, broadcast (WebSocket and
// REST), private channels authorised by RLS on realtime.messages, tokens, and
// both protocol versions. Tests that mint JWTs only run against the local server;
// the rest also run against a real Supabase (SUPABASE_TEST_URL + SUPABASE_TEST_DB_URL).
import { randomUUID } from "node:crypto";
import type { RealtimePostgresChangesPayload } from "@supabase/supabase-js";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startSupabaseForTests } from "../support/local-supabase.ts";
import { realtimeHarness, sleep, subscribe, waitFor, type TestUser } from "./realtime-helpers.ts";

const sut = await startSupabaseForTests();
const local = !sut.external;
const h = realtimeHarness(sut);

await h.sql(`
  drop table if exists public.rt_items, public.rt_full cascade;
  create table public.rt_items (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null,
    value int not null default 0,
    label text,
    tags text[],
    meta jsonb,
    done boolean default false,
    created_at timestamptz not null default now()
  );
  alter table public.rt_items enable row level security;
  create policy rt_items_own on public.rt_items for select to authenticated using (user_id = (select auth.uid()));
  grant select, insert, update, delete on public.rt_items to authenticated, service_role;

  create table public.rt_full (id bigint generated always as identity primary key, user_id uuid not null, note text);
  alter table public.rt_full replica identity full;
  alter table public.rt_full enable row level security;
  create policy rt_full_own on public.rt_full for select to authenticated using (user_id = (select auth.uid()));
  grant select, insert, update, delete on public.rt_full to authenticated, service_role;

  alter publication supabase_realtime add table public.rt_items, public.rt_full;

  -- Private channels: users may read broadcasts on their own presence:/ro: topics,
  -- may track presence only on presence:<uid>; nobody but service_role reads presence.
  drop policy if exists rt_test_read on realtime.messages;
  drop policy if exists rt_test_write on realtime.messages;
  create policy rt_test_read on realtime.messages for select to authenticated using (
    realtime.topic() in ('presence:' || (select auth.uid())::text, 'ro:' || (select auth.uid())::text)
    and extension = 'broadcast');
  create policy rt_test_write on realtime.messages for insert to authenticated with check (
    realtime.topic() = 'presence:' || (select auth.uid())::text and extension = 'presence');
`);

type Row = {
  id: string;
  user_id: string;
  value: number;
  label: string | null;
  tags: string[] | null;
  meta: unknown;
  done: boolean;
  created_at: string;
};
type Change = RealtimePostgresChangesPayload<Row>;

async function insertItem(userId: string, values: Partial<Row> = {}): Promise<Row> {
  const { rows } = await h.sql(`insert into public.rt_items (user_id, value, label, tags, meta) values ($1, $2, $3, $4, $5) returning id::text`, [
    userId,
    values.value ?? 0,
    values.label ?? null,
    values.tags ?? null,
    values.meta === undefined ? null : JSON.stringify(values.meta),
  ]);
  return { ...(values as Row), id: rows[0].id, user_id: userId };
}

const users: Record<string, TestUser> = {
  a: await h.createUser("alice"),
  b: await h.createUser("bob"),
};

describe("postgres_changes", () => {
  it("delivers INSERT, UPDATE and DELETE with Supabase's payload shape and the join echoing bindings with ids", async () => {
    const { supabase } = h.client(users.a!);
    const changes: Change[] = [];
    const channel = supabase
      .channel(`items-${randomUUID()}`)
      .on("postgres_changes", { event: "*", schema: "public", table: "rt_items" }, (p) => changes.push(p as Change));
    const { system } = await subscribe(channel, { postgres: true });
    expect(system.find((s) => s.extension === "postgres_changes")).toMatchObject({
      status: "ok",
      message: "Subscribed to PostgreSQL",
    });
    // The client only keeps bindings whose echo matched, and gives them the server's ids.
    const bindings = (channel as unknown as { bindings: Record<string, Array<{ id?: unknown }>> }).bindings;
    expect(bindings.postgres_changes![0]!.id).toEqual(expect.anything());

    // One change at a time: like Supabase, RLS is checked by selecting the row when
    // its change is processed, so a row already deleted by then is not delivered.
    const row = await insertItem(users.a!.id, { value: 7, label: "first", tags: ["x", "y z"], meta: { k: [1, 2] } });
    await waitFor(() => changes.length === 1, { what: "the insert" });
    await h.sql("update public.rt_items set value = 8, done = true where id = $1", [row.id]);
    await waitFor(() => changes.length === 2, { what: "the update" });
    await h.sql("delete from public.rt_items where id = $1", [row.id]);
    await waitFor(() => changes.length === 3, { what: "the delete" });

    const [insert, update, del] = changes as [Change, Change, Change];
    expect(insert).toMatchObject({ schema: "public", table: "rt_items", eventType: "INSERT", errors: null });
    expect(insert.commit_timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
    expect(insert.new).toMatchObject({
      id: row.id,
      user_id: users.a!.id,
      value: 7,
      label: "first",
      tags: ["x", "y z"],
      meta: { k: [1, 2] },
      done: false,
    });
    expect(Number.isNaN(Date.parse((insert.new as Row).created_at))).toBe(false);
    expect(insert.old).toEqual({});

    expect(update.eventType).toBe("UPDATE");
    expect(update.new).toMatchObject({ id: row.id, value: 8, done: true });
    expect(update.old).toEqual({ id: row.id }); // default replica identity: the key only

    expect(del.eventType).toBe("DELETE");
    expect(del.new).toEqual({});
    expect(del.old).toEqual({ id: row.id });
  });

  it("does not deliver user A's rows to user B, but DELETEs skip RLS and carry only the primary key", async () => {
    const { supabase } = h.client(users.b!);
    const changes: Change[] = [];
    const channel = supabase
      .channel(`items-b-${randomUUID()}`)
      .on("postgres_changes", { event: "*", schema: "public", table: "rt_items" }, (p) => changes.push(p as Change));
    await subscribe(channel, { postgres: true });

    const alices = await insertItem(users.a!.id, { value: 1, label: "alice's" });
    const bobs = await insertItem(users.b!.id, { value: 2, label: "bob's" });
    await waitFor(() => changes.length === 1, { what: "bob's insert" });
    await h.sql("update public.rt_items set value = 3 where id = $1", [alices.id]);
    await sleep(200);
    await h.sql("delete from public.rt_items where id = $1", [alices.id]);
    await waitFor(() => changes.some((c) => c.eventType === "DELETE"), { what: "the delete" });
    await sleep(200);

    expect(changes.map((c) => [c.eventType, (c.new as Row).id ?? (c.old as Row).id])).toEqual([
      ["INSERT", bobs.id],
      ["DELETE", alices.id],
    ]);
    expect(changes[1]!.old).toEqual({ id: alices.id }); // nothing of the row beyond its key
  });

  it("applies eq, neq, lt, lte, gt, gte and in filters", async () => {
    const { supabase } = h.client(users.a!);
    const tag = randomUUID();
    const got: Record<string, number[]> = {};
    const ops = ["eq.5", "neq.5", "lt.5", "lte.5", "gt.5", "gte.5", "in.(1,9)"];
    let channel = supabase.channel(`filters-${tag}`);
    for (const op of ops) {
      got[op] = [];
      channel = channel.on("postgres_changes", { event: "INSERT", schema: "public", table: "rt_items", filter: `value=${op}` }, (p) => {
        const row = (p as Change).new as Row;
        if (row.label === tag) got[op]!.push(row.value);
      });
    }
    await subscribe(channel, { postgres: true });
    for (const value of [1, 5, 9]) await insertItem(users.a!.id, { value, label: tag });
    await waitFor(() => got["gte.5"]!.length === 2 && got["neq.5"]!.length === 2, { what: "filtered inserts" });
    await sleep(200);
    const sorted = Object.fromEntries(Object.entries(got).map(([k, v]) => [k, [...v].sort((x, y) => x - y)]));
    expect(sorted).toEqual({
      "eq.5": [5],
      "neq.5": [1, 9],
      "lt.5": [1],
      "lte.5": [1, 5],
      "gt.5": [9],
      "gte.5": [5, 9],
      "in.(1,9)": [1, 9],
    });
  });

  it("filters by event (INSERT, UPDATE, DELETE) and on a user_id filter", async () => {
    const { supabase } = h.client(users.a!);
    const seen: Record<string, string[]> = { INSERT: [], UPDATE: [], DELETE: [], mine: [] };
    const channel = supabase
      .channel(`events-${randomUUID()}`)
      .on("postgres_changes", { event: "INSERT", schema: "public", table: "rt_items" }, (p) => seen.INSERT!.push(p.eventType))
      .on("postgres_changes", { event: "UPDATE", schema: "public", table: "rt_items" }, (p) => seen.UPDATE!.push(p.eventType))
      .on("postgres_changes", { event: "DELETE", schema: "public", table: "rt_items" }, (p) => seen.DELETE!.push(p.eventType))
      .on("postgres_changes", { event: "*", schema: "public", table: "rt_items", filter: `user_id=eq.${users.a!.id}` }, (p) =>
        seen.mine!.push(p.eventType),
      );
    await subscribe(channel, { postgres: true });
    const row = await insertItem(users.a!.id, { value: 1 });
    await waitFor(() => seen.mine!.length === 1, { what: "the insert" });
    await h.sql("update public.rt_items set value = 2 where id = $1", [row.id]);
    await waitFor(() => seen.mine!.length === 2, { what: "the update" });
    await h.sql("delete from public.rt_items where id = $1", [row.id]);
    await waitFor(() => seen.DELETE!.length === 1, { what: "the delete" });
    await sleep(200);
    expect(seen).toEqual({
      INSERT: ["INSERT"],
      UPDATE: ["UPDATE"],
      DELETE: ["DELETE"],
      // A DELETE's old record holds only the key, so a user_id filter cannot match it.
      mine: ["INSERT", "UPDATE"],
    });
  });

  it("with REPLICA IDENTITY FULL, old records are whole and filtered DELETEs are delivered", async () => {
    const { supabase } = h.client(users.a!);
    const changes: Change[] = [];
    const channel = supabase
      .channel(`full-${randomUUID()}`)
      .on("postgres_changes", { event: "*", schema: "public", table: "rt_full", filter: `user_id=eq.${users.a!.id}` }, (p) =>
        changes.push(p as Change),
      );
    await subscribe(channel, { postgres: true });
    const { rows } = await h.sql("insert into public.rt_full (user_id, note) values ($1, 'n1') returning id", [users.a!.id]);
    const id = Number(rows[0].id);
    await waitFor(() => changes.length === 1, { what: "the insert" });
    await h.sql("update public.rt_full set note = 'n2' where id = $1", [id]);
    await waitFor(() => changes.length === 2, { what: "the update" });
    await h.sql("delete from public.rt_full where id = $1", [id]);
    await waitFor(() => changes.length === 3, { what: "the delete" });
    expect(changes[1]!.old).toEqual({ id, user_id: users.a!.id, note: "n1" });
    expect(changes[2]!.old).toEqual({ id, user_id: users.a!.id, note: "n2" });
  });

  it("a binding without a table listens to every published table of the schema", async () => {
    const { supabase } = h.serviceClient();
    const tables: string[] = [];
    const note = randomUUID();
    const channel = supabase.channel(`schema-${randomUUID()}`).on("postgres_changes", { event: "INSERT", schema: "public" }, (p) => {
      const row = (p as Change).new as unknown as Record<string, unknown>;
      if (row.label === note || row.note === note) tables.push(p.table);
    });
    await subscribe(channel, { postgres: true });
    await insertItem(users.b!.id, { label: note });
    await h.sql("insert into public.rt_full (user_id, note) values ($1, $2)", [users.b!.id, note]);
    await waitFor(() => tables.length === 2, { what: "both tables" });
    expect(tables.sort()).toEqual(["rt_full", "rt_items"]);
  });

  it("reports a subscription to a table outside the publication as a system error", async () => {
    const { supabase } = h.client(users.a!);
    const channel = supabase
      .channel(`nope-${randomUUID()}`)
      .on("postgres_changes", { event: "*", schema: "public", table: "rt_not_published" }, () => {});
    await expect(subscribe(channel, { postgres: true })).rejects.toThrow(/Unable to subscribe/);
  });
});

describe("presence", () => {
  it("syncs state, and raises join and leave between two clients", async () => {
    const topic = `room-${randomUUID()}`;
    const a = h.client(users.a!).supabase.channel(topic, { config: { presence: { key: "alice" } } });
    const b = h.client(users.b!).supabase.channel(topic, { config: { presence: { key: "bob" } } });
    const aJoins: string[] = [];
    const aLeaves: string[] = [];
    let aSyncs = 0;
    a.on("presence", { event: "sync" }, () => aSyncs++)
      .on("presence", { event: "join" }, ({ key }) => aJoins.push(key))
      .on("presence", { event: "leave" }, ({ key }) => aLeaves.push(key));
    b.on("presence", { event: "sync" }, () => {});
    await subscribe(a);
    await subscribe(b);
    expect(await a.track({ status: "online" })).toBe("ok");
    expect(await b.track({ status: "busy" })).toBe("ok");
    await waitFor(() => Object.keys(a.presenceState()).length === 2 && Object.keys(b.presenceState()).length === 2, {
      what: "both presences",
    });
    expect(a.presenceState().bob![0]).toMatchObject({ status: "busy", presence_ref: expect.any(String) });
    expect(b.presenceState().alice![0]).toMatchObject({ status: "online" });
    expect(aJoins).toEqual(expect.arrayContaining(["alice", "bob"]));
    expect(aSyncs).toBeGreaterThan(0);

    expect(await b.track({ status: "away" })).toBe("ok"); // an update: leave + join
    await waitFor(() => (a.presenceState().bob?.[0] as { status?: string } | undefined)?.status === "away", {
      what: "the update",
    });
    expect(a.presenceState().bob).toHaveLength(1);

    expect(await b.untrack()).toBe("ok");
    await waitFor(() => !a.presenceState().bob, { what: "bob's leave" });
    expect(aLeaves).toContain("bob");

    await b.track({ status: "back" });
    await waitFor(() => a.presenceState().bob, { what: "bob again" });
    await b.unsubscribe(); // leaving the channel untracks too
    await waitFor(() => !a.presenceState().bob, { what: "bob leaving the channel" });
  });
});

describe("broadcast", () => {
  it("excludes the sender unless self is set, and acknowledges when ack is set", async () => {
    const topic = `chat-${randomUUID()}`;
    const got: Record<string, unknown[]> = { a: [], b: [], self: [] };
    const a = h.client(users.a!).supabase.channel(topic, { config: { broadcast: { ack: true } } });
    const b = h.client(users.b!).supabase.channel(topic);
    const selfie = h.client(users.a!).supabase.channel(topic, { config: { broadcast: { self: true } } });
    a.on("broadcast", { event: "msg" }, ({ payload }) => got.a!.push(payload));
    b.on("broadcast", { event: "msg" }, ({ payload }) => got.b!.push(payload));
    selfie.on("broadcast", { event: "msg" }, ({ payload }) => got.self!.push(payload));
    await Promise.all([subscribe(a), subscribe(b), subscribe(selfie)]);

    expect(await a.send({ type: "broadcast", event: "msg", payload: { n: 1 } })).toBe("ok");
    expect(await selfie.send({ type: "broadcast", event: "msg", payload: { n: 2 } })).toBe("ok");
    await waitFor(() => got.b!.length === 2 && got.self!.length === 2 && got.a!.length === 1, { what: "broadcasts" });
    await sleep(100);
    expect(got.a).toEqual([{ n: 2 }]); // not its own
    expect(got.b).toEqual([{ n: 1 }, { n: 2 }]);
    expect(got.self).toEqual([{ n: 1 }, { n: 2 }]); // its own too
  });

  it("accepts REST broadcasts (202) and rejects a bad key (401)", async () => {
    const topic = `rest-${randomUUID()}`;
    const got: unknown[] = [];
    const channel = h.client(users.a!).supabase.channel(topic);
    channel.on("broadcast", { event: "note" }, ({ payload }) => got.push(payload));
    await subscribe(channel);
    const post = (key: string) =>
      fetch(`${sut.url}/realtime/v1/api/broadcast`, {
        method: "POST",
        headers: { apikey: key, authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ messages: [{ topic, event: "note", payload: { hello: "world" } }] }),
      });
    const ok = await post(sut.serviceRoleKey);
    expect(ok.status).toBe(202);
    await waitFor(() => got.length === 1, { what: "the REST broadcast" });
    expect(got).toEqual([{ hello: "world" }]);
    const bad = await post("not-a-jwt");
    expect(bad.status).toBe(401);
  });

  it("speaks vsn 1.0.0 and 2.0.0 (binary broadcast frames) on the same topic", async () => {
    const topic = `vsn-${randomUUID()}`;
    const v1 = h.client(users.a!, { vsn: "1.0.0" }).supabase;
    const v2 = h.client(users.b!, { vsn: "2.0.0" }).supabase;
    expect(v1.realtime.endpointURL()).toContain("vsn=1.0.0");
    expect(v2.realtime.endpointURL()).toContain("vsn=2.0.0");
    const got: Record<string, unknown[]> = { v1: [], v2: [] };
    const c1 = v1.channel(topic, { config: { broadcast: { ack: true } } });
    const c2 = v2.channel(topic, { config: { broadcast: { ack: true } } });
    c1.on("broadcast", { event: "e" }, ({ payload }) => got.v1!.push(payload));
    c2.on("broadcast", { event: "e" }, ({ payload }) => got.v2!.push(payload));
    await Promise.all([subscribe(c1), subscribe(c2)]);
    expect(await c1.send({ type: "broadcast", event: "e", payload: { from: "v1", s: "ü✓" } })).toBe("ok");
    expect(await c2.send({ type: "broadcast", event: "e", payload: { from: "v2", s: "ü✓" } })).toBe("ok");
    await waitFor(() => got.v1!.length === 1 && got.v2!.length === 1, { what: "cross-version broadcasts" });
    expect(got.v1).toEqual([{ from: "v2", s: "ü✓" }]);
    expect(got.v2).toEqual([{ from: "v1", s: "ü✓" }]);

    // postgres_changes over vsn 1.0.0 too
    const changes: Change[] = [];
    const pc = v1
      .channel(`vsn1-pc-${randomUUID()}`)
      .on("postgres_changes", { event: "INSERT", schema: "public", table: "rt_items" }, (p) => changes.push(p as Change));
    await subscribe(pc, { postgres: true });
    const row = await insertItem(users.a!.id, { value: 11 });
    await waitFor(() => changes.find((c) => (c.new as Row).id === row.id), { what: "the insert over vsn 1.0.0" });
  });
});

describe("private channels", () => {
  it("refuses to join without a select policy for the topic", async () => {
    const channel = h.client(users.a!).supabase.channel(`locked:${randomUUID()}`, { config: { private: true } });
    await expect(subscribe(channel)).rejects.toThrow(/Unauthorized: You do not have permissions to read from this Channel topic: locked:/);
  });

  it("lets a user track presence only on their own topic, while only service_role reads the roster", async () => {
    const topic = `presence:${users.a!.id}`;
    const tab1 = h.client(users.a!).supabase.channel(topic, { config: { private: true, presence: { key: "tab-1" } } });
    const tab2 = h.client(users.a!).supabase.channel(topic, { config: { private: true, presence: { key: "tab-2", enabled: true } } });
    const roster = h.serviceClient().supabase.channel(topic, { config: { private: true, presence: { enabled: true } } });
    let tab2Syncs = 0;
    tab2.on("presence", { event: "sync" }, () => tab2Syncs++);
    roster.on("presence", { event: "sync" }, () => {});
    await Promise.all([subscribe(tab1), subscribe(tab2), subscribe(roster)]);

    expect(await tab1.track({ device: "laptop" })).toBe("ok");
    expect(await tab2.track({ device: "phone" })).toBe("ok");
    await waitFor(() => Object.keys(roster.presenceState()).length === 2, { what: "the service roster" });
    expect(roster.presenceState()["tab-1"]![0]).toMatchObject({ device: "laptop" });
    await sleep(200);
    // No presence read for users: no presence_state / presence_diff reach them.
    expect(tab2.presenceState()).toEqual({});
    expect(tab1.presenceState()).toEqual({});
    expect(tab2Syncs).toBe(0);

    // Bob may not even join Alice's topic.
    const intruder = h.client(users.b!).supabase.channel(topic, { config: { private: true } });
    await expect(subscribe(intruder)).rejects.toThrow(/Unauthorized/);

    // Readable topic without a presence insert policy: track is refused.
    const readOnly = h.client(users.a!).supabase.channel(`ro:${users.a!.id}`, { config: { private: true } });
    await subscribe(readOnly);
    expect(await readOnly.track({ device: "tablet" })).toBe("error");

    // Leaving removes the presence from the roster.
    await tab1.unsubscribe();
    await waitFor(() => !roster.presenceState()["tab-1"], { what: "tab-1 leaving" });
  });

  it("delivers realtime.send() and private REST broadcasts to readers of the topic", async () => {
    const topic = `presence:${users.a!.id}`;
    const got: Array<Record<string, unknown>> = [];
    const channel = h.client(users.a!).supabase.channel(topic, { config: { private: true } });
    channel.on("broadcast", { event: "*" }, (message) => got.push(message));
    await subscribe(channel);
    const publicTopic = `public-${randomUUID()}`;
    const publicGot: unknown[] = [];
    const publicChannel = h.client(users.b!).supabase.channel(publicTopic);
    publicChannel.on("broadcast", { event: "hello" }, ({ payload }) => publicGot.push(payload));
    await subscribe(publicChannel);

    await h.sql("select realtime.send($1::jsonb, 'db-event', $2, true)", [JSON.stringify({ from: "sql" }), topic]);
    await h.sql("select realtime.send($1::jsonb, 'hello', $2, false)", [JSON.stringify({ from: "sql-public" }), publicTopic]);
    const res = await fetch(`${sut.url}/realtime/v1/api/broadcast`, {
      method: "POST",
      headers: { apikey: sut.anonKey, authorization: `Bearer ${sut.serviceRoleKey}`, "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ topic, event: "rest-event", payload: { from: "rest" }, private: true }] }),
    });
    expect(res.status).toBe(202);
    await waitFor(() => got.length === 2 && publicGot.length === 1, { what: "private and public broadcasts" });
    expect(got.map((m) => [m.event, m.payload]).sort()).toEqual([
      ["db-event", { from: "sql" }],
      ["rest-event", { from: "rest" }],
    ]);
    expect(publicGot).toEqual([{ from: "sql-public" }]);

    // A private REST broadcast by someone without write permission is dropped.
    const denied = await fetch(`${sut.url}/realtime/v1/api/broadcast`, {
      method: "POST",
      headers: { apikey: sut.anonKey, authorization: `Bearer ${users.b!.token}`, "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ topic, event: "spoof", payload: {}, private: true }] }),
    });
    expect(denied.status).toBe(202);
    await sleep(300);
    expect(got.map((m) => m.event)).not.toContain("spoof");
  });
});

describe("tokens", () => {
  it.skipIf(!local)("refuses a WebSocket handshake with a bad apikey (401 JSON)", async () => {
    const url = `${sut.url.replace("http", "ws")}/realtime/v1/websocket?apikey=nonsense&vsn=2.0.0`;
    const result = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.on("unexpected-response", (_req, res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      ws.on("open", () => reject(new Error("handshake should fail")));
      ws.on("error", () => {});
    });
    expect(result.status).toBe(401);
    expect(JSON.parse(result.body)).toEqual({ error: expect.any(String) });
  });

  it.skipIf(!local)("refuses to join with an expired access token", async () => {
    const expired = await h.mintToken(users.a!, -30);
    const client = h.client({ ...users.a!, token: expired });
    const channel = client.supabase.channel(`exp-${randomUUID()}`);
    await expect(subscribe(channel)).rejects.toThrow(/Token has expired/);
  });

  it.skipIf(!local)("closes the channel with a system error when its token expires", async () => {
    const shortLived = await h.mintToken(users.a!, 2);
    const client = h.client({ ...users.a!, token: shortLived });
    const channel = client.supabase.channel(`short-${randomUUID()}`);
    const { system, statuses } = await subscribe(channel);
    await waitFor(() => statuses.includes("CLOSED"), { timeout: 6000, what: "the channel to close" });
    expect(system).toContainEqual(
      expect.objectContaining({ extension: "system", status: "error", message: expect.stringMatching(/Token has expired/) }),
    );
  });

  it.skipIf(!local)("an access_token update extends the channel's life and switches whose rows it sees", async () => {
    const shortLived = await h.mintToken(users.a!, 2);
    const client = h.client({ ...users.a!, token: shortLived });
    const changes: Change[] = [];
    const channel = client.supabase
      .channel(`refresh-${randomUUID()}`)
      .on("postgres_changes", { event: "INSERT", schema: "public", table: "rt_items" }, (p) => changes.push(p as Change));
    const { statuses } = await subscribe(channel, { postgres: true });
    await client.setToken(await h.mintToken(users.b!, 3600)); // now Bob's claims
    await sleep(3000); // past the first token's expiry
    expect(statuses).not.toContain("CLOSED");
    const alices = await insertItem(users.a!.id, { value: 21 });
    const bobs = await insertItem(users.b!.id, { value: 22 });
    await waitFor(() => changes.length >= 1, { what: "bob's insert" });
    await sleep(200);
    expect(changes.map((c) => (c.new as Row).id)).toEqual([bobs.id]);
    expect(alices.id).not.toBe(bobs.id);
  });
});

describe("raw protocol", () => {
  it.skipIf(!local)("answers heartbeats and relays kind 3 binary broadcasts as kind 4 frames", async () => {
    const url = `${sut.url.replace("http", "ws")}/realtime/v1/websocket?apikey=${sut.anonKey}&vsn=2.0.0`;
    const open = (): Promise<{ ws: WebSocket; frames: Array<string | Buffer> }> =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(url);
        const frames: Array<string | Buffer> = [];
        ws.on("message", (data: Buffer, isBinary: boolean) => frames.push(isBinary ? data : data.toString()));
        ws.on("open", () => resolve({ ws, frames }));
        ws.on("error", reject);
      });
    const a = await open();
    const b = await open();
    try {
      a.ws.send(JSON.stringify([null, "1", "phoenix", "heartbeat", {}]));
      await waitFor(() => a.frames.length === 1, { what: "heartbeat reply" });
      expect(JSON.parse(a.frames[0] as string)).toEqual([null, "1", "phoenix", "phx_reply", { status: "ok", response: {} }]);

      const topic = `realtime:raw-${randomUUID()}`;
      const join = (ws: WebSocket) =>
        ws.send(
          JSON.stringify([
            "1",
            "1",
            topic,
            "phx_join",
            { config: { broadcast: { self: false }, presence: { enabled: false }, postgres_changes: [] } },
          ]),
        );
      join(a.ws);
      join(b.ws);
      await waitFor(() => a.frames.length === 2 && b.frames.length === 1, { what: "join replies" });
      expect(JSON.parse(b.frames[0] as string)).toEqual(["1", "1", topic, "phx_reply", { status: "ok", response: { postgres_changes: [] } }]);

      const enc = new TextEncoder();
      const [joinRef, ref, t, event, meta] = ["1", "2", topic, "raw", ""].map((s) => enc.encode(s));
      const body = enc.encode(JSON.stringify({ x: 1 }));
      const frame = Buffer.concat([
        Buffer.from([3, joinRef!.length, ref!.length, t!.length, event!.length, meta!.length, 1]),
        joinRef!,
        ref!,
        t!,
        event!,
        meta!,
        body,
      ]);
      a.ws.send(frame);
      await waitFor(() => b.frames.length === 2, { what: "the kind 4 frame" });
      const got = b.frames[1] as Buffer;
      expect(Buffer.isBuffer(got)).toBe(true);
      expect(got[0]).toBe(4);
      const topicLen = got[1]!;
      const eventLen = got[2]!;
      const metaLen = got[3]!;
      expect(got[4]).toBe(1);
      let offset = 5;
      expect(got.toString("utf8", offset, (offset += topicLen))).toBe(topic);
      expect(got.toString("utf8", offset, (offset += eventLen))).toBe("raw");
      offset += metaLen;
      expect(JSON.parse(got.toString("utf8", offset))).toEqual({ x: 1 });
      await sleep(100);
      expect(a.frames.length).toBe(2); // self is false
    } finally {
      a.ws.close();
      b.ws.close();
    }
  });
});
