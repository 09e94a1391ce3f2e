// Presence: who tracks what on each topic, the presence_state a reader gets on
// joining and the presence_diff every reader gets on each track and untrack.
import { randomBytes } from "node:crypto";
import type pg from "pg";
import { fanout, isObject, push, reply, writeAllowed, type Channel, type Json } from "./channels.ts";
import type { PhxMessage } from "./protocol.ts";

type Meta = { ref: string; payload: Json };

function canRead(channel: Channel): boolean {
  return !channel.private || channel.policies?.presenceRead === true;
}

export class Presence {
  /** groupKey → presence key → channel uid → tracked meta */
  private readonly roster = new Map<string, Map<string, Map<number, Meta>>>();

  constructor(
    private readonly groups: Map<string, Set<Channel>>,
    private readonly pool: pg.Pool,
    private readonly log: (line: string) => void,
  ) {}

  /** Sends the topic's roster to a channel that just started to read presence. */
  sendState(channel: Channel): void {
    if (!channel.presenceEnabled || !canRead(channel)) return;
    const state: Json = {};
    for (const [key, entries] of this.roster.get(channel.groupKey) ?? []) {
      state[key] = { metas: [...entries.values()].map((entry) => ({ ...entry.payload, phx_ref: entry.ref })) };
    }
    push(channel, "presence_state", state);
  }

  /** A client's `presence` event: track or untrack. */
  async handle(channel: Channel, msg: PhxMessage): Promise<void> {
    const payload = isObject(msg.payload) ? msg.payload : {};
    const event = String(payload.event ?? "").toLowerCase();
    if (event === "untrack") {
      this.untrack(channel);
      return reply(channel.conn, msg, "ok", {});
    }
    if (event !== "track") return reply(channel.conn, msg, "error", {});
    if (channel.private && !(await writeAllowed(this.pool, channel, this.log)).presenceWrite) {
      return reply(channel.conn, msg, "error", {});
    }
    const meta = payload.payload ?? {};
    if (!isObject(meta)) return reply(channel.conn, msg, "error", { reason: "Presence track payload must be a map" });
    if (channel.closed) return;
    const enabling = !channel.presenceEnabled;
    this.track(channel, meta);
    reply(channel.conn, msg, "ok", {});
    if (enabling) {
      channel.presenceEnabled = true;
      this.sendState(channel);
    }
  }

  untrack(channel: Channel): void {
    const previous = channel.tracked;
    if (!previous) return;
    channel.tracked = null;
    const byKey = this.roster.get(channel.groupKey);
    const entries = byKey?.get(channel.presenceKey);
    entries?.delete(channel.uid);
    if (entries && !entries.size) byKey!.delete(channel.presenceKey);
    if (byKey && !byKey.size) this.roster.delete(channel.groupKey);
    this.diff(channel, {}, { [channel.presenceKey]: { metas: [{ ...previous.payload, phx_ref: previous.ref }] } });
  }

  private track(channel: Channel, payload: Json): void {
    const previous = channel.tracked;
    if (previous && JSON.stringify(previous.payload) === JSON.stringify(payload)) return;
    const ref = randomBytes(9).toString("base64url");
    let byKey = this.roster.get(channel.groupKey);
    if (!byKey) this.roster.set(channel.groupKey, (byKey = new Map()));
    let entries = byKey.get(channel.presenceKey);
    if (!entries) byKey.set(channel.presenceKey, (entries = new Map()));
    entries.set(channel.uid, { ref, payload });
    channel.tracked = { ref, payload };
    const key = channel.presenceKey;
    const joins = { [key]: { metas: [{ ...payload, phx_ref: ref, ...(previous ? { phx_ref_prev: previous.ref } : {}) }] } };
    const leaves = previous ? { [key]: { metas: [{ ...previous.payload, phx_ref: previous.ref }] } } : {};
    this.diff(channel, joins, leaves);
  }

  private diff(channel: Channel, joins: Json, leaves: Json): void {
    const readers = [...(this.groups.get(channel.groupKey) ?? [])].filter((c) => c.presenceEnabled && canRead(c));
    fanout(readers, channel.topic, "presence_diff", { joins, leaves });
  }
}
