// Joining a channel (phx_join) and renewing its token (access_token): the
// token and, for private topics, RLS on realtime.messages decide who may read;
// postgres_changes bindings are checked against the publication.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { readPolicies, type ReadPolicies } from "./authz.ts";
import { groupKeyOf, isObject, reply, systemMessage, type Binding, type Channel, type ChannelRegistry, type Conn, type Json } from "./channels.ts";
import { FilterError, parseFilter, type FilterCondition } from "./filters.ts";
import type { Presence } from "./presence.ts";
import type { PhxMessage } from "./protocol.ts";
import { CHANGES_PUBLICATION, type ReplicationFeed } from "./stream.ts";
import { checkToken } from "./tokens.ts";

export interface JoinDeps {
  pool: pg.Pool;
  jwtSecret: string;
  channels: ChannelRegistry;
  presence: Presence;
  feed: ReplicationFeed;
  log: (line: string) => void;
}

let nextChannelUid = 1;
let nextBindingId = 1;

function parseBindings(config: Json): Binding[] {
  const raw = Array.isArray(config.postgres_changes) ? config.postgres_changes.filter(isObject) : [];
  return raw.map((binding) => {
    const id = nextBindingId++;
    let filter: FilterCondition[] = [];
    let filterError: string | null = null;
    try {
      filter = parseFilter(binding.filter as string | undefined);
    } catch (error) {
      filterError = error instanceof FilterError ? error.message : String(error);
    }
    return {
      id,
      event: typeof binding.event === "string" ? binding.event.toUpperCase() : "*",
      schema: typeof binding.schema === "string" ? binding.schema : "public",
      table: typeof binding.table === "string" && binding.table !== "" ? binding.table : "*",
      filter,
      filterError,
      echo: { ...binding, id },
    };
  });
}

async function readAccess(deps: JoinDeps, channel: Pick<Channel, "role" | "claims" | "topic">, subTopic: string): Promise<ReadPolicies> {
  try {
    return await readPolicies(deps.pool, channel.role, channel.claims, subTopic);
  } catch (error) {
    deps.log(`read authorization failed for ${channel.topic}: ${(error as Error).message}`);
    return { broadcast: false, presence: false };
  }
}

export async function join(deps: JoinDeps, conn: Conn, msg: PhxMessage): Promise<void> {
  const topic = msg.topic;
  const refuse = (reason: string) => {
    reply(conn, msg, "error", { reason });
    deps.log(`join refused #${conn.id} ${topic}: ${reason}`);
  };
  if (!topic.startsWith("realtime:")) return refuse("unmatched topic");
  const subTopic = topic.slice("realtime:".length);
  if (!subTopic) return refuse("TopicNameRequired: You must provide a topic name");
  const payload = isObject(msg.payload) ? msg.payload : {};
  const config = isObject(payload.config) ? payload.config : {};

  const existing = conn.channels.get(topic);
  if (existing) deps.channels.close(existing, true);

  const offered = typeof payload.access_token === "string" ? payload.access_token : null;
  const token = offered && !offered.startsWith("sb_") ? offered : conn.apikey;
  const checked = await checkToken(deps.jwtSecret, token);
  if (!checked.ok) return refuse(`${checked.code}: ${checked.message}`);

  const isPrivate = config.private === true;
  const broadcastConfig = isObject(config.broadcast) ? config.broadcast : {};
  const presenceConfig = isObject(config.presence) ? config.presence : {};
  let policies: Channel["policies"] = null;
  if (isPrivate) {
    const read = await readAccess(deps, { ...checked, topic }, subTopic);
    if (!read.broadcast && !read.presence) {
      return refuse(`Unauthorized: You do not have permissions to read from this Channel topic: ${subTopic}`);
    }
    policies = { broadcastRead: read.broadcast, presenceRead: read.presence };
  }

  const bindings = parseBindings(config);
  // realtime.send() broadcasts come through replication too, so every join starts it.
  let replicationError: string | null = null;
  if (bindings.length) await deps.feed.ensure().catch((error: Error) => (replicationError = error.message));
  else deps.feed.ensure().catch(() => {});
  if (conn.closed) return;
  const superseded = conn.channels.get(topic);
  if (superseded) deps.channels.close(superseded, true);

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
    presenceKey: typeof presenceConfig.key === "string" && presenceConfig.key !== "" ? presenceConfig.key : randomUUID(),
    // Clients that do not send `enabled` (older realtime-js) get presence, as before the flag existed.
    presenceEnabled: presenceConfig.enabled === undefined ? true : presenceConfig.enabled === true,
    tracked: null,
    policies,
    bindings,
    expiryTimer: null,
    closed: false,
  };
  deps.channels.add(channel);

  reply(conn, msg, "ok", { postgres_changes: bindings.map((b) => b.echo) });
  deps.log(
    `join #${conn.id} ${topic} role=${channel.role}${isPrivate ? " private" : ""}${bindings.length ? ` postgres_changes=${bindings.length}` : ""}`,
  );
  deps.presence.sendState(channel);
  if (bindings.length) {
    const problem = replicationError ?? (await bindingProblem(deps.pool, bindings));
    if (!channel.closed) {
      if (problem) systemMessage(channel, "postgres_changes", "error", problem);
      else systemMessage(channel, "postgres_changes", "ok", "Subscribed to PostgreSQL");
    }
  }
}

/** Supabase's answer to bindings it cannot serve, or null when all are fine. */
async function bindingProblem(pool: pg.Pool, bindings: Binding[]): Promise<string | null> {
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
      const tables = rows.filter((r) => (b.schema === "*" || r.schemaname === b.schema) && (b.table === "*" || r.tablename === b.table));
      if (!tables.length) return unable;
      if (b.table === "*") continue;
      const missing = b.filter.find((condition) => !tables.some((t) => t.columns.includes(condition.column)));
      if (missing) return `${unable}: column "${missing.column}" does not exist`;
    }
    return null;
  } catch (error) {
    return `Unable to subscribe to changes: ${(error as Error).message}`;
  }
}

/** access_token: a new token for a joined channel; a worse one may close it. */
export async function renewToken(deps: JoinDeps, channel: Channel, payload: unknown): Promise<void> {
  const token = isObject(payload) ? payload.access_token : null;
  if (typeof token !== "string" || token.startsWith("sb_") || token === channel.token) return;
  const checked = await checkToken(deps.jwtSecret, token);
  if (channel.closed) return;
  if (!checked.ok) return deps.channels.shutdown(channel, checked.message);
  const previous = channel.policies;
  deps.log(`access_token #${channel.conn.id} ${channel.topic} role=${channel.role}->${checked.role}`);
  channel.token = token;
  channel.claims = checked.claims;
  channel.role = checked.role;
  if (channel.private) {
    const read = await readAccess(deps, channel, channel.subTopic);
    if (channel.closed) return;
    if ((previous?.broadcastRead && !read.broadcast) || (previous?.presenceRead && !read.presence)) {
      return deps.channels.shutdown(channel, `You no longer have permission to read from this Channel topic: ${channel.subTopic}`);
    }
    channel.policies = { broadcastRead: read.broadcast, presenceRead: read.presence };
  }
  deps.channels.scheduleExpiry(channel);
}
