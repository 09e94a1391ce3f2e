// Broadcast: from a client's channel (JSON or binary kind 3 frames), from
// realtime.send() (an insert into realtime.messages) and from the REST API, to
// every channel of the topic allowed to read it.
import type { IncomingMessage, ServerResponse } from "node:http";
import type pg from "pg";
import { bearerToken } from "../jwt.ts";
import { writePolicies } from "./authz.ts";
import { groupKeyOf, isObject, reply, sendRaw, writeAllowed, type Channel, type Json } from "./channels.ts";
import { encodeText, encodeUserBroadcast, JSON_ENCODING, type PhxMessage, type Vsn } from "./protocol.ts";
import type { Change } from "./replication.ts";
import { checkToken } from "./tokens.ts";

export const BROADCAST_PATH = "/realtime/v1/api/broadcast";

export interface BroadcastOut {
  /** Topic without the realtime: prefix. */
  subTopic: string;
  event: string;
  /** JSON form: the whole {type, event, payload[, meta]} object. */
  json?: Json;
  /** Binary form from a kind 3 frame. */
  binary?: { encoding: number; payload: Buffer };
}

function frameFor(vsn: Vsn, topic: string, message: BroadcastOut): string | Buffer | null {
  const text = (payload: unknown) => encodeText(vsn, { join_ref: null, ref: null, topic, event: "broadcast", payload });
  if (!message.binary) return text(message.json);
  const { encoding, payload } = message.binary;
  if (vsn === "2.0.0") return encodeUserBroadcast(topic, message.event, encoding, payload);
  if (encoding !== JSON_ENCODING) return null; // raw binary cannot be represented in vsn 1.0.0: dropped
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(payload.toString("utf8"));
  } catch {
    parsed = null;
  }
  return text({ type: "broadcast", event: message.event, payload: parsed });
}

export class Broadcasts {
  constructor(
    private readonly groups: Map<string, Set<Channel>>,
    private readonly pool: pg.Pool,
    private readonly jwtSecret: string,
    private readonly log: (line: string) => void,
  ) {}

  deliver(groupKey: string, message: BroadcastOut, exclude: Channel | null): void {
    const receivers = this.groups.get(groupKey);
    if (!receivers) return;
    const topic = `realtime:${message.subTopic}`;
    const frames = new Map<Vsn, string | Buffer | null>();
    for (const channel of receivers) {
      if (channel === exclude) continue;
      if (channel.private && channel.policies?.broadcastRead !== true) continue;
      const vsn = channel.conn.vsn;
      if (!frames.has(vsn)) frames.set(vsn, frameFor(vsn, topic, message));
      const frame = frames.get(vsn)!;
      if (frame !== null) sendRaw(channel.conn, frame);
    }
  }

  /** A broadcast sent on a joined channel. */
  async fromClient(channel: Channel, msg: PhxMessage, out: BroadcastOut): Promise<void> {
    // Refused writes on a private channel are dropped without a reply, as Supabase does.
    if (channel.private && !(await writeAllowed(this.pool, channel, this.log)).broadcastWrite) return;
    if (channel.closed) return;
    this.deliver(channel.groupKey, out, channel.self ? null : channel);
    if (channel.ack) reply(channel.conn, msg, "ok", {});
  }

  /** realtime.send() inserts a realtime.messages row; its broadcast goes out in commit order. */
  fromMessagesRow(change: Change): (() => void) | null {
    if (change.type !== "INSERT" || !change.newTuple) return null;
    const values = new Map<string, string | null>();
    change.relation.columns.forEach((column, i) => {
      const value = change.newTuple![i];
      values.set(column.name, value?.kind === "text" ? value.text : null);
    });
    const subTopic = values.get("topic");
    if (values.get("extension") !== "broadcast" || !subTopic) return null;
    let payload: unknown = null;
    try {
      payload = values.get("payload") ? JSON.parse(values.get("payload")!) : null;
    } catch {
      payload = values.get("payload");
    }
    const event = values.get("event") ?? "";
    const out = { subTopic, event, json: { type: "broadcast", event, payload, meta: { id: values.get("id") } } };
    return () => this.deliver(groupKeyOf(values.get("private") === "t", subTopic), out, null);
  }

  /** POST /realtime/v1/api/broadcast {messages: [{topic, event, payload, private?}]} */
  async fromRest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const answer = (status: number, error?: string) => {
      if (!error) return void res.writeHead(status).end();
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ error }));
    };
    if (req.method !== "POST") return answer(405, "method not allowed");
    const token = bearerToken(req.headers.authorization) ?? (typeof req.headers.apikey === "string" ? req.headers.apikey : null);
    if (!token) return answer(401, "No apikey or access token provided");
    const checked = await checkToken(this.jwtSecret, token);
    if (!checked.ok) return answer(401, checked.message);
    let parsed: unknown;
    try {
      parsed = JSON.parse((await readBody(req)) || "null");
    } catch {
      return answer(400, "Body must be JSON");
    }
    const list = isObject(parsed) ? parsed.messages : null;
    if (!Array.isArray(list)) return answer(400, "Body must be {messages: [...]}");
    if (!list.every((item) => isObject(item) && typeof item.topic === "string" && typeof item.event === "string")) {
      return answer(400, "Each message needs a topic and an event");
    }
    const allowed = new Map<string, boolean>();
    for (const item of list as Array<{ topic: string; event: string; payload?: unknown; private?: unknown }>) {
      const topic = item.topic.replace(/^realtime:/, "");
      const isPrivate = item.private === true;
      if (isPrivate) {
        if (!allowed.has(topic)) {
          const write = await writePolicies(this.pool, checked.role, checked.claims, topic).catch(() => null);
          allowed.set(topic, write?.broadcast === true);
        }
        if (!allowed.get(topic)) {
          this.log(`rest broadcast to private ${topic} refused for role=${checked.role}`);
          continue;
        }
      }
      const json = { type: "broadcast", event: item.event, payload: item.payload ?? {} };
      this.deliver(groupKeyOf(isPrivate, topic), { subTopic: topic, event: item.event, json }, null);
    }
    answer(202);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
