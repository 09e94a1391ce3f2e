// Realtime for the local Supabase server: the Phoenix channel protocol that
// @supabase/realtime-js speaks (vsn 1.0.0 and 2.0.0), with broadcast, presence,
// postgres_changes (from logical replication of the `supabase_realtime`
// publication, authorised per subscriber by RLS), private channels authorised
// by RLS on realtime.messages, realtime.send() and the REST broadcast API.
import { randomBytes, randomUUID } from "node:crypto";
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { decodeJwt } from "jose";
import pg from "pg";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import type { LocalService, ServiceContext } from "../context.ts";
import { bearerToken, verifyJwt, type SupabaseClaims } from "../jwt.ts";
import { checkRowVisibility, readPolicies, sqlIdent, writePolicies, type CallerChecks } from "./authz.ts";
import { FilterError, matchesFilter, parseFilter, type FilterCondition } from "./filters.ts";
import {
  decodeBinary,
  decodeText,
  encodeText,
  encodeUserBroadcast,
  JSON_ENCODING,
  parseVsn,
  type PhxMessage,
  type UserBroadcastPush,
  type Vsn,
} from "./protocol.ts";
import { LogicalReplication, type Change, type Relation, type Transaction, type TupleValue } from "./replication.ts";
import { toJsonValue } from "./values.ts";

const API_ROLES = new Set(["anon", "authenticated", "service_role"]);
const CHANGES_PUBLICATION = "supabase_realtime";
const MESSAGES_PUBLICATION = "supabase_realtime_messages_publication";
const WEBSOCKET_PATHS = new Set(["/realtime/v1/websocket", "/realtime/v1/websocket/"]);
const BROADCAST_PATH = "/realtime/v1/api/broadcast";
const CACHE_TTL_MS = 5_000;
const MAX_TIMER_MS = 3_600_000;
const PING_INTERVAL_MS = 30_000;

type Json = Record<string, unknown>;

interface Conn {
  id: number;
  ws: WebSocket;
  vsn: Vsn;
  apikey: string;
  role: string;
  channels: Map<string, Channel>;
  queues: Map<string, Promise<void>>;
  alive: boolean;
  closed: boolean;
}

interface Policies {
  broadcastRead: boolean;
  presenceRead: boolean;
  broadcastWrite?: boolean;
  presenceWrite?: boolean;
}

interface Binding {
  id: number;
  event: string;
  schema: string;
  table: string;
  filter: FilterCondition[];
  filterError: string | null;
  echo: Json;
}

interface Channel {
  uid: number;
  conn: Conn;
  topic: string;
  subTopic: string;
  joinRef: string | null;
  private: boolean;
  groupKey: string;
  token: string;
  claims: SupabaseClaims;
  role: string;
  self: boolean;
  ack: boolean;
  presenceKey: string;
  presenceEnabled: boolean;
  tracked: { ref: string; payload: Json } | null;
  policies: Policies | null;
  bindings: Binding[];
  expiryTimer: NodeJS.Timeout | null;
  closed: boolean;
}

type TokenCheck = { ok: true; claims: SupabaseClaims; role: string } | { ok: false; code: string; message: string };

interface BroadcastOut {
  /** Topic without the realtime: prefix. */
  subTopic: string;
  event: string;
  /** JSON form: the whole {type, event, payload[, meta]} object. */
  json?: Json;
  /** Binary form from a kind 3 frame. */
  binary?: { encoding: number; payload: Buffer };
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function groupKeyOf(isPrivate: boolean, subTopic: string): string {
  return `${isPrivate ? "private" : "public"}:${subTopic}`;
}

function stableEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function readBody(req: IncomingMessage, limit = 4 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error("payload too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

export function realtimeService(ctx: ServiceContext): LocalService {
  const log = (line: string) => ctx.log(`[realtime] ${line}`);
  const pool = new pg.Pool({ connectionString: ctx.databaseUrl, max: 6 });
  pool.on("error", (error) => log(`idle client error: ${error.message}`));
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

  const conns = new Set<Conn>();
  const groups = new Map<string, Set<Channel>>();
  /** groupKey → presence key → channel uid → tracked meta */
  const presence = new Map<string, Map<string, Map<number, { ref: string; payload: Json }>>>();
  const pgChannels = new Set<Channel>();
  let nextConnId = 1;
  let nextChannelUid = 1;
  let nextBindingId = 1;
  let closing = false;

  // ---------------------------------------------------------------- tokens
  async function checkToken(token: string): Promise<TokenCheck> {
    const result = await verifyJwt(ctx.keys.jwtSecret, token);
    let decoded: SupabaseClaims | null = null;
    try {
      decoded = decodeJwt(token) as SupabaseClaims;
    } catch {
      decoded = null;
    }
    if (!result.ok) {
      if (!decoded) return { ok: false, code: "MalformedJWT", message: "The token provided is not a valid JWT" };
      if (typeof decoded.exp !== "number" || typeof decoded.role !== "string") {
        return { ok: false, code: "InvalidJWTToken", message: "Fields `role` and `exp` are required in JWT" };
      }
      if (result.reason === "expired") {
        const ago = Math.max(0, Math.floor(Date.now() / 1000) - decoded.exp);
        return { ok: false, code: "InvalidJWTToken", message: `Token has expired ${ago} seconds ago` };
      }
      return { ok: false, code: "JwtSignatureError", message: "Failed to validate JWT signature" };
    }
    const claims = result.claims;
    if (typeof claims.role !== "string" || typeof claims.exp !== "number") {
      return { ok: false, code: "InvalidJWTToken", message: "Fields `role` and `exp` are required in JWT" };
    }
    if (!API_ROLES.has(claims.role)) {
      return { ok: false, code: "InvalidJWTToken", message: `Role "${claims.role}" is not allowed` };
    }
    return { ok: true, claims, role: claims.role };
  }

  // --------------------------------------------------------------- sending
  function sendRaw(conn: Conn, data: string | Buffer): void {
    if (!conn.closed && conn.ws.readyState === WebSocket.OPEN) conn.ws.send(data);
  }

  function push(channel: Channel, event: string, payload: unknown): void {
    sendRaw(
      channel.conn,
      encodeText(channel.conn.vsn, { join_ref: channel.joinRef, ref: null, topic: channel.topic, event, payload }),
    );
  }

  function reply(conn: Conn, msg: PhxMessage, status: "ok" | "error", response: unknown = {}): void {
    sendRaw(
      conn,
      encodeText(conn.vsn, {
        join_ref: msg.join_ref,
        ref: msg.ref,
        topic: msg.topic,
        event: "phx_reply",
        payload: { status, response },
      }),
    );
  }

  /** Sends one server push to many channels, encoding once per protocol version. */
  function fanout(channels: Iterable<Channel>, topic: string, event: string, payload: unknown): void {
    const encoded = new Map<Vsn, string>();
    for (const channel of channels) {
      const vsn = channel.conn.vsn;
      let frame = encoded.get(vsn);
      if (frame === undefined) {
        frame = encodeText(vsn, { join_ref: null, ref: null, topic, event, payload });
        encoded.set(vsn, frame);
      }
      sendRaw(channel.conn, frame);
    }
  }

  function systemMessage(channel: Channel, extension: string, status: "ok" | "error", message: string): void {
    push(channel, "system", { extension, status, message, channel: channel.subTopic });
  }

  // ------------------------------------------------------------- lifecycle
  function closeChannel(channel: Channel, sendClose: boolean): void {
    if (channel.closed) return;
    channel.closed = true;
    if (channel.expiryTimer) clearTimeout(channel.expiryTimer);
    if (channel.conn.channels.get(channel.topic) === channel) channel.conn.channels.delete(channel.topic);
    const group = groups.get(channel.groupKey);
    group?.delete(channel);
    if (group && !group.size) groups.delete(channel.groupKey);
    pgChannels.delete(channel);
    if (channel.tracked) untrack(channel);
    if (sendClose) push(channel, "phx_close", {});
  }

  function shutdownChannel(channel: Channel, message: string): void {
    if (channel.closed) return;
    systemMessage(channel, "system", "error", message);
    log(`channel closed #${channel.conn.id} ${channel.topic} role=${channel.role}: ${message}`);
    closeChannel(channel, true);
  }

  function scheduleExpiry(channel: Channel): void {
    if (channel.expiryTimer) clearTimeout(channel.expiryTimer);
    const expMs = Number(channel.claims.exp) * 1000;
    const delay = Math.max(0, Math.min(expMs - Date.now(), MAX_TIMER_MS));
    channel.expiryTimer = setTimeout(() => {
      if (channel.closed) return;
      const now = Date.now();
      if (now >= expMs) {
        shutdownChannel(channel, `Token has expired ${Math.floor((now - expMs) / 1000)} seconds ago`);
      } else {
        scheduleExpiry(channel);
      }
    }, delay + 5);
    channel.expiryTimer.unref?.();
  }

  // -------------------------------------------------------------- presence
  function presenceState(groupKey: string): Json {
    const state: Json = {};
    const byKey = presence.get(groupKey);
    if (!byKey) return state;
    for (const [key, entries] of byKey) {
      state[key] = { metas: [...entries.values()].map((entry) => ({ ...entry.payload, phx_ref: entry.ref })) };
    }
    return state;
  }

  function canReadPresence(channel: Channel): boolean {
    return !channel.private || channel.policies?.presenceRead === true;
  }

  function presenceReceivers(groupKey: string): Channel[] {
    return [...(groups.get(groupKey) ?? [])].filter((c) => c.presenceEnabled && canReadPresence(c));
  }

  function broadcastDiff(channel: Channel, joins: Json, leaves: Json): void {
    fanout(presenceReceivers(channel.groupKey), channel.topic, "presence_diff", { joins, leaves });
  }

  function track(channel: Channel, payload: Json): void {
    const previous = channel.tracked;
    if (previous && stableEqual(previous.payload, payload)) return;
    const ref = randomBytes(9).toString("base64url");
    let byKey = presence.get(channel.groupKey);
    if (!byKey) presence.set(channel.groupKey, (byKey = new Map()));
    let entries = byKey.get(channel.presenceKey);
    if (!entries) byKey.set(channel.presenceKey, (entries = new Map()));
    entries.set(channel.uid, { ref, payload });
    channel.tracked = { ref, payload };
    const key = channel.presenceKey;
    const joins = { [key]: { metas: [{ ...payload, phx_ref: ref, ...(previous ? { phx_ref_prev: previous.ref } : {}) }] } };
    const leaves = previous ? { [key]: { metas: [{ ...previous.payload, phx_ref: previous.ref }] } } : {};
    broadcastDiff(channel, joins, leaves);
  }

  function untrack(channel: Channel): void {
    const previous = channel.tracked;
    if (!previous) return;
    channel.tracked = null;
    const byKey = presence.get(channel.groupKey);
    const entries = byKey?.get(channel.presenceKey);
    entries?.delete(channel.uid);
    if (entries && !entries.size) byKey!.delete(channel.presenceKey);
    if (byKey && !byKey.size) presence.delete(channel.groupKey);
    const leaves = { [channel.presenceKey]: { metas: [{ ...previous.payload, phx_ref: previous.ref }] } };
    broadcastDiff(channel, {}, leaves);
  }

  // ------------------------------------------------------------- broadcast
  function deliverBroadcast(groupKey: string, message: BroadcastOut, exclude: Channel | null): void {
    const receivers = groups.get(groupKey);
    if (!receivers) return;
    const topic = `realtime:${message.subTopic}`;
    const frames = new Map<Vsn, string | Buffer | null>();
    const frameFor = (vsn: Vsn): string | Buffer | null => {
      if (frames.has(vsn)) return frames.get(vsn)!;
      let frame: string | Buffer | null = null;
      if (message.binary) {
        if (vsn === "2.0.0") {
          frame = encodeUserBroadcast(topic, message.event, message.binary.encoding, message.binary.payload);
        } else if (message.binary.encoding === JSON_ENCODING) {
          let payload: unknown = null;
          try {
            payload = JSON.parse(message.binary.payload.toString("utf8"));
          } catch {
            payload = null;
          }
          frame = encodeText(vsn, {
            join_ref: null,
            ref: null,
            topic,
            event: "broadcast",
            payload: { type: "broadcast", event: message.event, payload },
          });
        } // raw binary payloads cannot be represented in vsn 1.0.0: dropped
      } else {
        frame = encodeText(vsn, { join_ref: null, ref: null, topic, event: "broadcast", payload: message.json });
      }
      frames.set(vsn, frame);
      return frame;
    };
    for (const channel of receivers) {
      if (channel === exclude) continue;
      if (channel.private && channel.policies?.broadcastRead !== true) continue;
      const frame = frameFor(channel.conn.vsn);
      if (frame !== null) sendRaw(channel.conn, frame);
    }
  }

  async function ensureWritePolicies(channel: Channel): Promise<Policies> {
    const policies = channel.policies!;
    if (policies.broadcastWrite === undefined || policies.presenceWrite === undefined) {
      try {
        const write = await writePolicies(pool, channel.role, channel.claims, channel.subTopic);
        policies.broadcastWrite = write.broadcast;
        policies.presenceWrite = write.presence;
      } catch (error) {
        log(`write authorization failed for ${channel.topic}: ${(error as Error).message}`);
        policies.broadcastWrite = false;
        policies.presenceWrite = false;
      }
    }
    return policies;
  }

  async function clientBroadcast(channel: Channel, msg: PhxMessage | null, out: BroadcastOut): Promise<void> {
    if (channel.private) {
      const policies = await ensureWritePolicies(channel);
      if (!policies.broadcastWrite) return; // dropped without a reply, as Supabase does
    }
    if (channel.closed) return;
    deliverBroadcast(channel.groupKey, out, channel.self ? null : channel);
    if (channel.ack && msg) reply(channel.conn, msg, "ok", {});
  }

  async function clientPresence(channel: Channel, msg: PhxMessage): Promise<void> {
    const payload = isObject(msg.payload) ? msg.payload : {};
    const event = String(payload.event ?? "").toLowerCase();
    if (event === "track") {
      if (channel.private) {
        const policies = await ensureWritePolicies(channel);
        if (!policies.presenceWrite) {
          reply(channel.conn, msg, "error", {});
          return;
        }
      }
      const meta = payload.payload ?? {};
      if (!isObject(meta)) {
        reply(channel.conn, msg, "error", { reason: "Presence track payload must be a map" });
        return;
      }
      if (channel.closed) return;
      const enabling = !channel.presenceEnabled;
      track(channel, meta);
      reply(channel.conn, msg, "ok", {});
      if (enabling) {
        channel.presenceEnabled = true;
        if (canReadPresence(channel)) push(channel, "presence_state", presenceState(channel.groupKey));
      }
    } else if (event === "untrack") {
      untrack(channel);
      reply(channel.conn, msg, "ok", {});
    } else {
      reply(channel.conn, msg, "error", {});
    }
  }

  // ------------------------------------------------------------------ join
  async function join(conn: Conn, msg: PhxMessage): Promise<void> {
    const topic = msg.topic;
    const joinError = (reason: string) => {
      reply(conn, msg, "error", { reason });
      log(`join refused #${conn.id} ${topic}: ${reason}`);
    };
    if (!topic.startsWith("realtime:")) return joinError("unmatched topic");
    const subTopic = topic.slice("realtime:".length);
    if (!subTopic) return joinError("TopicNameRequired: You must provide a topic name");
    const payload = isObject(msg.payload) ? msg.payload : {};
    const config = isObject(payload.config) ? payload.config : {};

    const existing = conn.channels.get(topic);
    if (existing) closeChannel(existing, true);

    const offered = typeof payload.access_token === "string" ? payload.access_token : typeof payload.user_token === "string" ? payload.user_token : null;
    const token = offered && !offered.startsWith("sb_") ? offered : conn.apikey;
    const checked = await checkToken(token);
    if (!checked.ok) return joinError(`${checked.code}: ${checked.message}`);

    const isPrivate = config.private === true;
    const broadcastConfig = isObject(config.broadcast) ? config.broadcast : {};
    const presenceConfig = isObject(config.presence) ? config.presence : {};
    const presenceKey =
      typeof presenceConfig.key === "string" && presenceConfig.key !== "" ? presenceConfig.key : randomUUID();

    let policies: Policies | null = null;
    if (isPrivate) {
      let read = { broadcast: false, presence: false };
      try {
        read = await readPolicies(pool, checked.role, checked.claims, subTopic);
      } catch (error) {
        log(`read authorization failed for ${topic}: ${(error as Error).message}`);
      }
      if (!read.broadcast && !read.presence) {
        return joinError(`Unauthorized: You do not have permissions to read from this Channel topic: ${subTopic}`);
      }
      policies = { broadcastRead: read.broadcast, presenceRead: read.presence };
    }

    const rawBindings = Array.isArray(config.postgres_changes) ? config.postgres_changes.filter(isObject) : [];
    const bindings: Binding[] = rawBindings.map((raw) => {
      const id = nextBindingId++;
      let filter: FilterCondition[] = [];
      let filterError: string | null = null;
      try {
        filter = parseFilter(raw.filter as string | undefined);
      } catch (error) {
        filterError = error instanceof FilterError ? error.message : String(error);
      }
      return {
        id,
        event: typeof raw.event === "string" ? raw.event.toUpperCase() : "*",
        schema: typeof raw.schema === "string" ? raw.schema : "public",
        table: typeof raw.table === "string" && raw.table !== "" ? raw.table : "*",
        filter,
        filterError,
        echo: { ...raw, id },
      };
    });

    let replicationError: string | null = null;
    if (bindings.length || broadcastConfig.replication_ready === true) {
      try {
        await ensureReplication();
      } catch (error) {
        replicationError = (error as Error).message;
      }
    } else {
      ensureReplication().catch(() => {}); // realtime.send() broadcasts need it too
    }
    if (conn.closed) return;
    const superseded = conn.channels.get(topic);
    if (superseded) closeChannel(superseded, true);

    const channel: Channel = {
      uid: nextChannelUid++,
      conn,
      topic,
      subTopic,
      joinRef: msg.join_ref ?? msg.ref,
      private: isPrivate,
      groupKey: groupKeyOf(isPrivate, subTopic),
      token,
      claims: checked.claims,
      role: checked.role,
      self: broadcastConfig.self === true,
      ack: broadcastConfig.ack === true,
      presenceKey,
      // Clients that do not send `enabled` (older realtime-js) get presence, as before the flag existed.
      presenceEnabled: presenceConfig.enabled === undefined ? true : presenceConfig.enabled === true,
      tracked: null,
      policies,
      bindings,
      expiryTimer: null,
      closed: false,
    };
    conn.channels.set(topic, channel);
    let group = groups.get(channel.groupKey);
    if (!group) groups.set(channel.groupKey, (group = new Set()));
    group.add(channel);
    if (bindings.length) pgChannels.add(channel);
    scheduleExpiry(channel);

    reply(conn, msg, "ok", { postgres_changes: bindings.map((b) => b.echo) });
    log(`join #${conn.id} ${topic} role=${channel.role}${isPrivate ? " private" : ""}${bindings.length ? ` postgres_changes=${bindings.length}` : ""}`);

    if (channel.presenceEnabled && canReadPresence(channel)) {
      push(channel, "presence_state", presenceState(channel.groupKey));
    }
    if (bindings.length) {
      const problem = replicationError ?? (await validateBindings(bindings));
      if (!channel.closed) {
        if (problem) systemMessage(channel, "postgres_changes", "error", problem);
        else systemMessage(channel, "postgres_changes", "ok", "Subscribed to PostgreSQL");
      }
    }
    if (broadcastConfig.replication_ready === true && !channel.closed) {
      if (replicationError) shutdownChannel(channel, "Replication connection was not established in time");
      else systemMessage(channel, "system", "ok", "Replication connection established");
    }
  }

  async function validateBindings(bindings: Binding[]): Promise<string | null> {
    try {
      const { rows } = await pool.query<{ schemaname: string; tablename: string; columns: string[] }>(
        `select p.schemaname, p.tablename,
                array(select a.attname::text from pg_attribute a
                      where a.attrelid = format('%I.%I', p.schemaname, p.tablename)::regclass
                        and a.attnum > 0 and not a.attisdropped) as columns
           from pg_publication_tables p where p.pubname = $1`,
        [CHANGES_PUBLICATION],
      );
      for (const b of bindings) {
        const describe = `[event: ${b.event}, schema: ${b.schema}, table: ${b.table}, filters: [${String(b.echo.filter ?? "")}]]`;
        const unable = `Unable to subscribe to changes with given parameters. Please check Realtime is enabled for the given connect parameters: ${describe}`;
        if (b.filterError) return `${unable}: ${b.filterError}`;
        if (!["*", "INSERT", "UPDATE", "DELETE"].includes(b.event)) return unable;
        const tables = rows.filter(
          (r) => (b.schema === "*" || r.schemaname === b.schema) && (b.table === "*" || r.tablename === b.table),
        );
        if (!tables.length) return unable;
        if (b.table !== "*") {
          for (const condition of b.filter) {
            if (!tables.some((t) => t.columns.includes(condition.column))) {
              return `${unable}: column "${condition.column}" does not exist`;
            }
          }
        }
      }
      return null;
    } catch (error) {
      return `Unable to subscribe to changes: ${(error as Error).message}`;
    }
  }

  async function updateAccessToken(channel: Channel, payload: unknown): Promise<void> {
    const token = isObject(payload) ? payload.access_token : null;
    if (typeof token !== "string" || token.startsWith("sb_") || token === channel.token) return;
    const checked = await checkToken(token);
    if (channel.closed) return;
    if (!checked.ok) return shutdownChannel(channel, checked.message);
    const previous = channel.policies;
    log(`access_token #${channel.conn.id} ${channel.topic} role=${channel.role}->${checked.role}`);
    channel.token = token;
    channel.claims = checked.claims;
    channel.role = checked.role;
    if (channel.private) {
      let read = { broadcast: false, presence: false };
      try {
        read = await readPolicies(pool, checked.role, checked.claims, channel.subTopic);
      } catch (error) {
        log(`read authorization failed for ${channel.topic}: ${(error as Error).message}`);
      }
      if (channel.closed) return;
      if ((previous?.broadcastRead && !read.broadcast) || (previous?.presenceRead && !read.presence)) {
        return shutdownChannel(channel, `You no longer have permission to read from this Channel topic: ${channel.subTopic}`);
      }
      channel.policies = { broadcastRead: read.broadcast, presenceRead: read.presence };
    }
    scheduleExpiry(channel);
  }

  // -------------------------------------------------------- socket handling
  async function handleMessage(conn: Conn, msg: PhxMessage): Promise<void> {
    if (msg.event === "phx_join") return join(conn, msg);
    const channel = conn.channels.get(msg.topic);
    if (!channel || (msg.join_ref && channel.joinRef && msg.join_ref !== channel.joinRef)) {
      if (msg.event !== "phx_leave" && msg.event !== "access_token") {
        reply(conn, msg, "error", { reason: "unmatched topic" });
      } else if (msg.event === "phx_leave") {
        reply(conn, msg, "ok", {});
      }
      return;
    }
    switch (msg.event) {
      case "phx_leave":
        reply(conn, msg, "ok", {});
        closeChannel(channel, true);
        log(`leave #${conn.id} ${channel.topic} role=${channel.role}`);
        return;
      case "broadcast": {
        const payload = isObject(msg.payload) ? msg.payload : {};
        return clientBroadcast(channel, msg, {
          subTopic: channel.subTopic,
          event: String(payload.event ?? ""),
          json: { ...payload, type: "broadcast" },
        });
      }
      case "presence":
        return clientPresence(channel, msg);
      case "access_token":
        return updateAccessToken(channel, msg.payload);
      default:
        return; // unexpected client events are ignored, as Supabase does
    }
  }

  async function handleBinary(conn: Conn, frame: UserBroadcastPush): Promise<void> {
    const channel = conn.channels.get(frame.topic);
    const msg: PhxMessage = { join_ref: frame.join_ref, ref: frame.ref, topic: frame.topic, event: "broadcast", payload: null };
    if (!channel) {
      reply(conn, msg, "error", { reason: "unmatched topic" });
      return;
    }
    await clientBroadcast(channel, msg, {
      subTopic: channel.subTopic,
      event: frame.userEvent,
      binary: { encoding: frame.encoding, payload: Buffer.from(frame.payload) },
    });
  }

  function enqueue(conn: Conn, topic: string, work: () => Promise<void>): void {
    const previous = conn.queues.get(topic) ?? Promise.resolve();
    const next = previous
      .then(() => (conn.closed ? undefined : work()))
      .catch((error: unknown) => log(`error on #${conn.id} ${topic}: ${error instanceof Error ? error.stack : String(error)}`));
    conn.queues.set(topic, next);
    void next.then(() => {
      if (conn.queues.get(topic) === next) conn.queues.delete(topic);
    });
  }

  function onConnection(ws: WebSocket, vsn: Vsn, apikey: string, role: string): void {
    const conn: Conn = {
      id: nextConnId++,
      ws,
      vsn,
      apikey,
      role,
      channels: new Map(),
      queues: new Map(),
      alive: true,
      closed: false,
    };
    conns.add(conn);
    log(`connect #${conn.id} role=${role} vsn=${vsn}`);
    ws.on("pong", () => {
      conn.alive = true;
    });
    ws.on("message", (data: RawData, isBinary: boolean) => {
      conn.alive = true;
      const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      if (isBinary) {
        const frame = decodeBinary(buffer);
        if (frame) enqueue(conn, frame.topic, () => handleBinary(conn, frame));
        return;
      }
      const msg = decodeText(conn.vsn, buffer.toString("utf8"));
      if (!msg) return;
      if (msg.topic === "phoenix") {
        if (msg.event === "heartbeat") reply(conn, msg, "ok", {});
        return;
      }
      enqueue(conn, msg.topic, () => handleMessage(conn, msg));
    });
    ws.on("close", (code: number) => {
      if (conn.closed) return;
      conn.closed = true;
      conns.delete(conn);
      const channels = [...conn.channels.values()];
      for (const channel of channels) closeChannel(channel, false);
      log(`close #${conn.id} role=${role} code=${code} channels=${channels.map((c) => c.topic).join(",") || "-"}`);
    });
    ws.on("error", (error: Error) => log(`socket error #${conn.id}: ${error.message}`));
  }

  const pingTimer = setInterval(() => {
    for (const conn of conns) {
      if (!conn.alive) {
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      try {
        conn.ws.ping();
      } catch {
        // closing
      }
    }
  }, PING_INTERVAL_MS);
  pingTimer.unref();

  function rejectUpgrade(socket: Duplex, status: number, error: string): void {
    const body = JSON.stringify({ error });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Access-Control-Allow-Origin: *\r\nConnection: close\r\n\r\n${body}`,
    );
  }

  function upgradeToken(req: IncomingMessage, url: URL): string | null {
    const fromQuery = url.searchParams.get("apikey");
    if (fromQuery) return fromQuery;
    const header = req.headers.apikey;
    if (typeof header === "string" && header) return header;
    // Phoenix's Sec-WebSocket-Protocol token: "base64url.bearer.phx.<base64 token>"
    const protocols = String(req.headers["sec-websocket-protocol"] ?? "").split(",").map((p) => p.trim());
    const carrier = protocols.find((p) => p.startsWith("base64url.bearer.phx."));
    if (carrier) {
      try {
        return Buffer.from(carrier.slice("base64url.bearer.phx.".length), "base64").toString("utf8");
      } catch {
        return null;
      }
    }
    return null;
  }

  // ---------------------------------------------------- postgres_changes
  let replication: LogicalReplication | null = null;
  let replicationReady: Promise<void> | null = null;
  let restartTimer: NodeJS.Timeout | null = null;

  async function ensureMessagesPublication(): Promise<void> {
    // realtime.send() inserts into realtime.messages; stream those inserts from a
    // publication of our own (the supabase_realtime table list belongs to migrations).
    try {
      await pool.query(
        `do $$ begin
           if not exists (select 1 from pg_publication where pubname = '${MESSAGES_PUBLICATION}') then
             create publication ${MESSAGES_PUBLICATION} for table realtime.messages with (publish = 'insert');
           end if;
         end $$`,
      );
    } catch (error) {
      if (!/already exists/.test((error as Error).message)) throw error;
    }
  }

  function ensureReplication(): Promise<void> {
    if (closing) return Promise.reject(new Error("realtime is shutting down"));
    if (replicationReady) return replicationReady;
    const starting = (async () => {
      await ensureMessagesPublication();
      const stream = new LogicalReplication({
        databaseUrl: ctx.databaseUrl,
        publications: [CHANGES_PUBLICATION, MESSAGES_PUBLICATION],
        onTransaction,
        onRelation: (relation) => forgetRelation(relation.id),
        onError: (error) => {
          if (closing || replication !== stream) return;
          log(`replication error: ${error.message}; restarting`);
          replication = null;
          replicationReady = null;
          void stream.stop();
          restartTimer = setTimeout(() => {
            restartTimer = null;
            if (!closing && (pgChannels.size || groups.size)) ensureReplication().catch(() => {});
          }, 1000);
        },
        log: ctx.log,
      });
      replication = stream;
      try {
        await stream.start();
      } catch (error) {
        replication = null;
        await stream.stop();
        throw error;
      }
    })();
    replicationReady = starting;
    starting.catch((error: Error) => {
      log(`replication failed to start: ${error.message}`);
      if (replicationReady === starting) replicationReady = null;
    });
    return starting;
  }

  // Catalog caches (per relation id; TTL so GRANTs / RLS toggles are seen).
  const typeNames = new Map<number, string>();
  const relationInfo = new Map<number, { at: number; rls: boolean; pk: string[] }>();
  const columnPrivileges = new Map<string, { at: number; columns: Set<string> }>();
  const bypassRls = new Map<string, boolean>();

  function forgetRelation(relid: number): void {
    relationInfo.delete(relid);
    for (const key of columnPrivileges.keys()) if (key.endsWith(`:${relid}`)) columnPrivileges.delete(key);
  }

  async function resolveTypes(relation: Relation): Promise<Map<string, string>> {
    const missing = relation.columns.map((c) => c.typeOid).filter((oid) => !typeNames.has(oid));
    if (missing.length) {
      const { rows } = await pool.query<{ oid: number; typname: string }>(
        "select oid::int as oid, typname::text from pg_type where oid = any($1::oid[])",
        [missing],
      );
      for (const row of rows) typeNames.set(row.oid, row.typname);
    }
    return new Map(relation.columns.map((c) => [c.name, typeNames.get(c.typeOid) ?? "text"]));
  }

  async function getRelationInfo(relation: Relation): Promise<{ rls: boolean; pk: string[] }> {
    const cached = relationInfo.get(relation.id);
    if (cached && Date.now() - cached.at < CACHE_TTL_MS) return cached;
    const { rows } = await pool.query<{ rls: boolean; pk: string[] }>(
      `select c.relrowsecurity as rls,
              array(select a.attname::text from pg_index i
                      join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
                     where i.indrelid = c.oid and i.indisprimary order by a.attnum) as pk
         from pg_class c where c.oid = $1`,
      [relation.id],
    );
    const info = {
      at: Date.now(),
      rls: rows[0]?.rls ?? true,
      pk: rows[0]?.pk?.length ? rows[0].pk : relation.columns.filter((c) => c.isKey).map((c) => c.name),
    };
    relationInfo.set(relation.id, info);
    return info;
  }

  async function getColumnPrivileges(role: string, relation: Relation): Promise<Set<string>> {
    const key = `${role}:${relation.id}`;
    const cached = columnPrivileges.get(key);
    if (cached && Date.now() - cached.at < CACHE_TTL_MS) return cached.columns;
    const { rows } = await pool.query<{ attname: string }>(
      `select attname::text from pg_attribute
        where attrelid = $1 and attnum > 0 and not attisdropped
          and has_column_privilege($2, attrelid, attnum, 'SELECT')`,
      [relation.id, role],
    );
    const columns = new Set(rows.map((r) => r.attname));
    columnPrivileges.set(key, { at: Date.now(), columns });
    return columns;
  }

  async function roleBypassesRls(role: string): Promise<boolean> {
    let value = bypassRls.get(role);
    if (value === undefined) {
      const { rows } = await pool.query<{ b: boolean }>("select rolbypassrls as b from pg_roles where rolname = $1", [role]);
      value = rows[0]?.b === true;
      bypassRls.set(role, value);
    }
    return value;
  }

  function tupleRecord(
    relation: Relation,
    types: Map<string, string>,
    tuple: TupleValue[],
    onlyKeys: boolean,
  ): { record: Json; text: Map<string, string> } {
    const record: Json = {};
    const text = new Map<string, string>();
    relation.columns.forEach((column, i) => {
      if (onlyKeys && !column.isKey) return;
      const value = tuple[i];
      if (!value || value.kind === "toast") return;
      if (value.kind === "null") record[column.name] = null;
      else {
        record[column.name] = toJsonValue(types.get(column.name) ?? "text", value.text);
        text.set(column.name, value.text);
      }
    });
    return { record, text };
  }

  interface Candidate {
    channel: Channel;
    ids: number[];
  }

  interface PreparedChange {
    change: Change;
    types: Map<string, string>;
    record: Json | null;
    oldRecord: Json | null;
    keyText: Map<string, string>;
    candidates: Candidate[];
  }

  let deliveryChain: Promise<void> = Promise.resolve();

  function onTransaction(tx: Transaction): void {
    const prepared = prepareTransaction(tx);
    deliveryChain = deliveryChain
      .then(() => prepared)
      .then((deliver) => deliver())
      .catch((error: unknown) => log(`postgres_changes delivery failed: ${error instanceof Error ? error.stack : String(error)}`));
  }

  function realtimeMessage(change: Change): { isPrivate: boolean; out: BroadcastOut } | null {
    if (change.type !== "INSERT" || !change.newTuple) return null;
    const values = new Map<string, string | null>();
    change.relation.columns.forEach((column, i) => {
      const value = change.newTuple![i];
      values.set(column.name, value?.kind === "text" ? value.text : null);
    });
    if (values.get("extension") !== "broadcast") return null;
    const subTopic = values.get("topic");
    if (!subTopic) return null;
    let payload: unknown = null;
    try {
      payload = values.get("payload") ? JSON.parse(values.get("payload")!) : null;
    } catch {
      payload = values.get("payload");
    }
    const event = values.get("event") ?? "";
    return {
      isPrivate: values.get("private") === "t",
      out: { subTopic, event, json: { type: "broadcast", event, payload, meta: { id: values.get("id") } } },
    };
  }

  /** Computes everything needing the database now; returns the (ordered) delivery step. */
  async function prepareTransaction(tx: Transaction): Promise<() => void> {
    const steps: Array<() => void> = [];
    const prepared: PreparedChange[] = [];
    for (const change of tx.changes) {
      const relation = change.relation;
      if (relation.schema === "realtime" && relation.table === "messages") {
        const message = realtimeMessage(change);
        if (message) steps.push(() => deliverBroadcast(groupKeyOf(message.isPrivate, message.out.subTopic), message.out, null));
        continue;
      }
      if (!pgChannels.size) continue;
      const types = await resolveTypes(relation);
      let record: Json | null = null;
      let oldRecord: Json | null = null;
      let keyText = new Map<string, string>();
      if (change.newTuple) {
        const built = tupleRecord(relation, types, change.newTuple, false);
        record = built.record;
        keyText = built.text;
      }
      if (change.oldTuple) {
        oldRecord = tupleRecord(relation, types, change.oldTuple, change.oldKind === "K").record;
      } else if (change.type === "UPDATE" && record) {
        // Default replica identity: the old row's identity columns equal the new ones.
        oldRecord = {};
        for (const column of relation.columns) if (column.isKey && column.name in record) oldRecord[column.name] = record[column.name];
      }
      const matchOn = change.type === "DELETE" ? oldRecord : record;
      const candidates: Candidate[] = [];
      for (const channel of pgChannels) {
        const ids: number[] = [];
        for (const binding of channel.bindings) {
          if (binding.filterError) continue;
          if (binding.schema !== "*" && binding.schema !== relation.schema) continue;
          if (binding.table !== "*" && binding.table !== relation.table) continue;
          if (binding.event !== "*" && binding.event !== change.type) continue;
          if (binding.filter.length && !matchesFilter(binding.filter, matchOn, types)) continue;
          ids.push(binding.id);
        }
        if (ids.length) candidates.push({ channel, ids });
      }
      if (candidates.length) prepared.push({ change, types, record, oldRecord, keyText, candidates });
      // Keep realtime.messages and table changes in commit order.
      const index = prepared.length - 1;
      if (candidates.length) steps.push(() => deliverChange(tx, prepared[index]!, visibility.get(index)));
    }

    // Authorisation: column privileges per role, then RLS row checks batched per caller.
    const visibility = new Map<number, Map<Channel, { columns: Set<string> } | null>>();
    const callers = new Map<string, CallerChecks & { wants: Array<{ index: number; channel: Channel; columns: Set<string> }> }>();
    for (let index = 0; index < prepared.length; index++) {
      const item = prepared[index]!;
      const relation = item.change.relation;
      const info = await getRelationInfo(relation);
      const perChannel = new Map<Channel, { columns: Set<string> } | null>();
      visibility.set(index, perChannel);
      for (const { channel } of item.candidates) {
        const columns = await getColumnPrivileges(channel.role, relation);
        if (!columns.size) {
          perChannel.set(channel, null);
          continue;
        }
        const needsRowCheck =
          item.change.type !== "DELETE" && info.rls && !(await roleBypassesRls(channel.role));
        if (!needsRowCheck) {
          perChannel.set(channel, { columns });
          continue;
        }
        if (!info.pk.length || info.pk.some((column) => !item.keyText.has(column))) {
          perChannel.set(channel, null); // no key to look the row up by: not delivered
          continue;
        }
        perChannel.set(channel, null); // until the row check says otherwise
        const callerKey = `${channel.role}\u0000${JSON.stringify(channel.claims)}`;
        let caller = callers.get(callerKey);
        if (!caller) callers.set(callerKey, (caller = { role: channel.role, claims: channel.claims, rows: [], wants: [] }));
        caller.wants.push({ index, channel, columns });
      }
    }
    if (callers.size) {
      const list = [...callers.values()];
      const rowIndex = list.map((caller) => {
        const byChange = new Map<number, number>();
        for (const want of caller.wants) {
          if (byChange.has(want.index)) continue;
          const item = prepared[want.index]!;
          const relation = item.change.relation;
          byChange.set(want.index, caller.rows.length);
          const info = relationInfo.get(relation.id)!;
          caller.rows.push({
            table: `${sqlIdent(relation.schema)}.${sqlIdent(relation.table)}`,
            key: info.pk.map((column) => [column, item.keyText.get(column)!] as [string, string]),
          });
        }
        return byChange;
      });
      const answers = await checkRowVisibility(pool, list);
      list.forEach((caller, i) => {
        for (const want of caller.wants) {
          if (answers[i]![rowIndex[i]!.get(want.index)!]) {
            visibility.get(want.index)!.set(want.channel, { columns: want.columns });
          }
        }
      });
    }
    return () => {
      for (const step of steps) step();
    };
  }

  function deliverChange(
    tx: Transaction,
    item: PreparedChange,
    visible: Map<Channel, { columns: Set<string> } | null> | undefined,
  ): void {
    if (!visible) return;
    const relation = item.change.relation;
    const dataJson = new Map<string, string>();
    const dataFor = (columns: Set<string>): string => {
      const key = [...columns].join("\u0000");
      let json = dataJson.get(key);
      if (json === undefined) {
        const pick = (record: Json | null): Json | null => {
          if (!record) return record;
          const out: Json = {};
          for (const [name, value] of Object.entries(record)) if (columns.has(name)) out[name] = value;
          return out;
        };
        const data: Json = {
          schema: relation.schema,
          table: relation.table,
          commit_timestamp: new Date(tx.commitTime).toISOString(),
          type: item.change.type,
          columns: relation.columns
            .filter((c) => columns.has(c.name))
            .map((c) => ({ name: c.name, type: item.types.get(c.name) ?? "text" })),
          errors: null,
        };
        if (item.change.type !== "DELETE") data.record = pick(item.record);
        if (item.change.type !== "INSERT") data.old_record = pick(item.oldRecord) ?? {};
        json = JSON.stringify(data);
        dataJson.set(key, json);
      }
      return json;
    };
    for (const { channel, ids } of item.candidates) {
      if (channel.closed) continue;
      const access = visible.get(channel);
      if (!access) continue;
      const payload = `{"ids":${JSON.stringify(ids)},"data":${dataFor(access.columns)}}`;
      const joinRef = JSON.stringify(channel.joinRef);
      const topic = JSON.stringify(channel.topic);
      const frame =
        channel.conn.vsn === "2.0.0"
          ? `[${joinRef},null,${topic},"postgres_changes",${payload}]`
          : `{"join_ref":${joinRef},"ref":null,"topic":${topic},"event":"postgres_changes","payload":${payload}}`;
      sendRaw(channel.conn, frame);
    }
  }

  // ------------------------------------------------------- REST broadcast
  async function restBroadcast(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== "POST") return sendJson(res, 405, { error: "method not allowed" });
    const token = bearerToken(req.headers.authorization) ?? (typeof req.headers.apikey === "string" ? req.headers.apikey : null);
    if (!token) return sendJson(res, 401, { error: "No apikey or access token provided" });
    const checked = await checkToken(token);
    if (!checked.ok) return sendJson(res, 401, { error: checked.message });
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      return sendJson(res, 413, { error: "Payload too large" });
    }
    const messages: Array<{ topic: string; event: string; private: boolean; out: BroadcastOut }> = [];
    if (url.pathname === BROADCAST_PATH || url.pathname === `${BROADCAST_PATH}/`) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString("utf8") || "null");
      } catch {
        return sendJson(res, 400, { error: "Body must be JSON" });
      }
      const list = isObject(parsed) ? parsed.messages : null;
      if (!Array.isArray(list)) return sendJson(res, 400, { error: "Body must be {messages: [...]}" });
      for (const item of list) {
        if (!isObject(item) || typeof item.topic !== "string" || typeof item.event !== "string") {
          return sendJson(res, 400, { error: "Each message needs a topic and an event" });
        }
        const topic = item.topic.replace(/^realtime:/, "");
        messages.push({
          topic,
          event: item.event,
          private: item.private === true,
          out: { subTopic: topic, event: item.event, json: { type: "broadcast", event: item.event, payload: item.payload ?? {} } },
        });
      }
    } else {
      const match = /^\/realtime\/v1\/api\/broadcast\/([^/]+)\/events\/([^/]+)$/.exec(url.pathname);
      if (!match) return sendJson(res, 404, { error: "Not found" });
      const topic = decodeURIComponent(match[1]!).replace(/^realtime:/, "");
      const event = decodeURIComponent(match[2]!);
      const binary = /application\/octet-stream/i.test(String(req.headers["content-type"] ?? ""));
      let out: BroadcastOut;
      if (binary) {
        out = { subTopic: topic, event, binary: { encoding: 0, payload: body } };
      } else {
        let payload: unknown;
        try {
          payload = JSON.parse(body.toString("utf8"));
        } catch {
          return sendJson(res, 400, { error: "Body must be JSON" });
        }
        out = { subTopic: topic, event, json: { type: "broadcast", event, payload } };
      }
      messages.push({ topic, event, private: url.searchParams.get("private") === "true", out });
    }
    const allowed = new Map<string, boolean>();
    for (const message of messages) {
      if (message.private) {
        let ok = allowed.get(message.topic);
        if (ok === undefined) {
          try {
            ok = (await writePolicies(pool, checked.role, checked.claims, message.topic)).broadcast;
          } catch {
            ok = false;
          }
          allowed.set(message.topic, ok);
        }
        if (!ok) {
          log(`rest broadcast to private ${message.topic} refused for role=${checked.role}`);
          continue;
        }
      }
      deliverBroadcast(groupKeyOf(message.private, message.topic), message.out, null);
    }
    res.writeHead(202).end();
  }

  return {
    name: "realtime",
    http: async (req, res, url) => {
      if (url.pathname !== BROADCAST_PATH && !url.pathname.startsWith(`${BROADCAST_PATH}/`)) return false;
      await restBroadcast(req, res, url);
      return true;
    },
    upgrade: (req, socket, head, url) => {
      if (!WEBSOCKET_PATHS.has(url.pathname)) return false;
      void (async () => {
        if (closing) return rejectUpgrade(socket, 503, "Realtime is shutting down");
        const token = upgradeToken(req, url);
        if (!token) return rejectUpgrade(socket, 401, "No apikey provided");
        const checked = await checkToken(token);
        if (!checked.ok) return rejectUpgrade(socket, 401, checked.message);
        const vsn = parseVsn(url.searchParams.get("vsn"));
        wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, vsn, token, checked.role));
      })().catch((error: unknown) => {
        log(`upgrade failed: ${error instanceof Error ? error.message : String(error)}`);
        socket.destroy();
      });
      return true;
    },
    close: async () => {
      closing = true;
      clearInterval(pingTimer);
      if (restartTimer) clearTimeout(restartTimer);
      for (const conn of conns) conn.ws.terminate();
      conns.clear();
      wss.close();
      await replicationReady?.catch(() => {});
      await replication?.stop();
      replication = null;
      await deliveryChain.catch(() => {});
      await pool.end().catch(() => {});
    },
  };
}
