// The channels of every connection, grouped by topic, and the frames sent to
// them. A channel is one joined topic on one socket; a group is every channel
// of one topic (public and private topics of the same name are apart).
import type pg from "pg";
import { WebSocket } from "ws";
import type { SupabaseClaims } from "../jwt.ts";
import { writePolicies } from "./authz.ts";
import type { FilterCondition } from "./filters.ts";
import { encodeText, type PhxMessage, type Vsn } from "./protocol.ts";

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface Conn {
  id: number;
  ws: WebSocket;
  vsn: Vsn;
  apikey: string;
  channels: Map<string, Channel>;
  closed: boolean;
}

export interface Policies {
  broadcastRead: boolean;
  presenceRead: boolean;
  broadcastWrite?: boolean;
  presenceWrite?: boolean;
}

/** One postgres_changes subscription of a channel. */
export interface Binding {
  id: number;
  event: string;
  schema: string;
  table: string;
  filter: FilterCondition[];
  filterError: string | null;
  /** What the join reply echoes: the client's binding plus its id. */
  echo: Json;
}

export interface Channel {
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

export function groupKeyOf(isPrivate: boolean, subTopic: string): string {
  return `${isPrivate ? "private" : "public"}:${subTopic}`;
}

export function sendRaw(conn: Conn, data: string | Buffer): void {
  if (!conn.closed && conn.ws.readyState === WebSocket.OPEN) conn.ws.send(data);
}

export function push(channel: Channel, event: string, payload: unknown): void {
  const message = { join_ref: channel.joinRef, ref: null, topic: channel.topic, event, payload };
  sendRaw(channel.conn, encodeText(channel.conn.vsn, message));
}

export function reply(conn: Conn, msg: PhxMessage, status: "ok" | "error", response: unknown = {}): void {
  const payload = { status, response };
  sendRaw(conn, encodeText(conn.vsn, { join_ref: msg.join_ref, ref: msg.ref, topic: msg.topic, event: "phx_reply", payload }));
}

export function systemMessage(channel: Channel, extension: string, status: "ok" | "error", message: string): void {
  push(channel, "system", { extension, status, message, channel: channel.subTopic });
}

/** Sends one server push to many channels, encoding once per protocol version. */
export function fanout(channels: Iterable<Channel>, topic: string, event: string, payload: unknown): void {
  const encoded = new Map<Vsn, string>();
  for (const channel of channels) {
    const vsn = channel.conn.vsn;
    let frame = encoded.get(vsn);
    if (frame === undefined) encoded.set(vsn, (frame = encodeText(vsn, { join_ref: null, ref: null, topic, event, payload })));
    sendRaw(channel.conn, frame);
  }
}

/** Write permissions of a private channel, asked of RLS once and kept. */
export async function writeAllowed(pool: pg.Pool, channel: Channel, log: (line: string) => void): Promise<Policies> {
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

const MAX_TIMER_MS = 3_600_000;

/** Every open channel, by topic group and by whether it listens to postgres_changes. */
export class ChannelRegistry {
  readonly groups = new Map<string, Set<Channel>>();
  readonly withBindings = new Set<Channel>();

  constructor(
    private readonly onClose: (channel: Channel) => void,
    private readonly log: (line: string) => void,
  ) {}

  add(channel: Channel): void {
    channel.conn.channels.set(channel.topic, channel);
    let group = this.groups.get(channel.groupKey);
    if (!group) this.groups.set(channel.groupKey, (group = new Set()));
    group.add(channel);
    if (channel.bindings.length) this.withBindings.add(channel);
    this.scheduleExpiry(channel);
  }

  close(channel: Channel, sendClose: boolean): void {
    if (channel.closed) return;
    channel.closed = true;
    if (channel.expiryTimer) clearTimeout(channel.expiryTimer);
    if (channel.conn.channels.get(channel.topic) === channel) channel.conn.channels.delete(channel.topic);
    const group = this.groups.get(channel.groupKey);
    group?.delete(channel);
    if (group && !group.size) this.groups.delete(channel.groupKey);
    this.withBindings.delete(channel);
    this.onClose(channel);
    if (sendClose) push(channel, "phx_close", {});
  }

  /** Closes a channel with the system error Supabase sends (expired token, lost permission). */
  shutdown(channel: Channel, message: string): void {
    if (channel.closed) return;
    systemMessage(channel, "system", "error", message);
    this.log(`channel closed #${channel.conn.id} ${channel.topic} role=${channel.role}: ${message}`);
    this.close(channel, true);
  }

  scheduleExpiry(channel: Channel): void {
    if (channel.expiryTimer) clearTimeout(channel.expiryTimer);
    const expMs = Number(channel.claims.exp) * 1000;
    const delay = Math.max(0, Math.min(expMs - Date.now(), MAX_TIMER_MS));
    channel.expiryTimer = setTimeout(() => {
      if (channel.closed) return;
      const now = Date.now();
      if (now >= expMs) this.shutdown(channel, `Token has expired ${Math.floor((now - expMs) / 1000)} seconds ago`);
      else this.scheduleExpiry(channel);
    }, delay + 5);
    channel.expiryTimer.unref?.();
  }
}
