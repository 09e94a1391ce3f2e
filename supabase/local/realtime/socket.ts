// The WebSocket side: the handshake (apikey in the query, checked), one queue
// of work per topic per socket so a channel's messages are handled in order,
// routing of client events, heartbeats and pings that drop dead sockets.
import { STATUS_CODES, type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import type { Broadcasts } from "./broadcast.ts";
import { isObject, reply, type Conn } from "./channels.ts";
import { join, renewToken, type JoinDeps } from "./joins.ts";
import { decodeBinary, decodeText, parseVsn, type PhxMessage, type UserBroadcastPush } from "./protocol.ts";
import { checkToken } from "./tokens.ts";

const PING_INTERVAL_MS = 30_000;

interface Socket extends Conn {
  role: string;
  queues: Map<string, Promise<void>>;
  alive: boolean;
}

function rejectUpgrade(socket: Duplex, status: number, error: string): void {
  const body = JSON.stringify({ error });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Access-Control-Allow-Origin: *\r\nConnection: close\r\n\r\n${body}`,
  );
}

export class Sockets {
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private readonly sockets = new Set<Socket>();
  private readonly pingTimer: NodeJS.Timeout;
  private nextId = 1;
  private closing = false;

  constructor(
    private readonly deps: JoinDeps,
    private readonly broadcasts: Broadcasts,
  ) {
    this.pingTimer = setInterval(() => this.ping(), PING_INTERVAL_MS);
    this.pingTimer.unref();
  }

  async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): Promise<void> {
    if (this.closing) return rejectUpgrade(socket, 503, "Realtime is shutting down");
    const apikey = url.searchParams.get("apikey");
    if (!apikey) return rejectUpgrade(socket, 401, "No apikey provided");
    const checked = await checkToken(this.deps.jwtSecret, apikey);
    if (!checked.ok) return rejectUpgrade(socket, 401, checked.message);
    const vsn = parseVsn(url.searchParams.get("vsn"));
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const conn: Socket = {
        id: this.nextId++,
        ws,
        vsn,
        apikey,
        role: checked.role,
        channels: new Map(),
        queues: new Map(),
        alive: true,
        closed: false,
      };
      this.connected(conn, ws);
    });
  }

  close(): void {
    this.closing = true;
    clearInterval(this.pingTimer);
    for (const conn of this.sockets) conn.ws.terminate();
    this.sockets.clear();
    this.wss.close();
  }

  private connected(conn: Socket, ws: WebSocket): void {
    const log = this.deps.log;
    this.sockets.add(conn);
    log(`connect #${conn.id} role=${conn.role} vsn=${conn.vsn}`);
    ws.on("pong", () => (conn.alive = true));
    ws.on("message", (data: RawData, isBinary: boolean) => {
      conn.alive = true;
      const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      if (isBinary) {
        const frame = decodeBinary(buffer);
        if (frame) this.enqueue(conn, frame.topic, () => this.binaryBroadcast(conn, frame));
        return;
      }
      const msg = decodeText(conn.vsn, buffer.toString("utf8"));
      if (!msg) return;
      if (msg.topic === "phoenix") {
        if (msg.event === "heartbeat") reply(conn, msg, "ok", {});
        return;
      }
      this.enqueue(conn, msg.topic, () => this.handle(conn, msg));
    });
    ws.on("close", (code: number) => {
      if (conn.closed) return;
      conn.closed = true;
      this.sockets.delete(conn);
      const channels = [...conn.channels.values()];
      for (const channel of channels) this.deps.channels.close(channel, false);
      log(`close #${conn.id} role=${conn.role} code=${code} channels=${channels.map((c) => c.topic).join(",") || "-"}`);
    });
    ws.on("error", (error: Error) => log(`socket error #${conn.id}: ${error.message}`));
  }

  private enqueue(conn: Socket, topic: string, work: () => Promise<void>): void {
    const previous = conn.queues.get(topic) ?? Promise.resolve();
    const next = previous
      .then(() => (conn.closed ? undefined : work()))
      .catch((error: unknown) => this.deps.log(`error on #${conn.id} ${topic}: ${error instanceof Error ? error.stack : String(error)}`));
    conn.queues.set(topic, next);
    void next.then(() => {
      if (conn.queues.get(topic) === next) conn.queues.delete(topic);
    });
  }

  private async handle(conn: Conn, msg: PhxMessage): Promise<void> {
    if (msg.event === "phx_join") return join(this.deps, conn, msg);
    const channel = conn.channels.get(msg.topic);
    if (!channel || (msg.join_ref && channel.joinRef && msg.join_ref !== channel.joinRef)) {
      if (msg.event === "phx_leave") reply(conn, msg, "ok", {});
      else if (msg.event !== "access_token") reply(conn, msg, "error", { reason: "unmatched topic" });
      return;
    }
    switch (msg.event) {
      case "phx_leave":
        reply(conn, msg, "ok", {});
        this.deps.channels.close(channel, true);
        this.deps.log(`leave #${conn.id} ${channel.topic} role=${channel.role}`);
        return;
      case "broadcast": {
        const payload = isObject(msg.payload) ? msg.payload : {};
        const out = { subTopic: channel.subTopic, event: String(payload.event ?? ""), json: { ...payload, type: "broadcast" } };
        return this.broadcasts.fromClient(channel, msg, out);
      }
      case "presence":
        return this.deps.presence.handle(channel, msg);
      case "access_token":
        return renewToken(this.deps, channel, msg.payload);
      default:
        return; // unexpected client events are ignored, as Supabase does
    }
  }

  private async binaryBroadcast(conn: Conn, frame: UserBroadcastPush): Promise<void> {
    const channel = conn.channels.get(frame.topic);
    const msg: PhxMessage = { join_ref: frame.join_ref, ref: frame.ref, topic: frame.topic, event: "broadcast", payload: null };
    if (!channel) return reply(conn, msg, "error", { reason: "unmatched topic" });
    const binary = { encoding: frame.encoding, payload: Buffer.from(frame.payload) };
    await this.broadcasts.fromClient(channel, msg, { subTopic: channel.subTopic, event: frame.userEvent, binary });
  }

  private ping(): void {
    for (const conn of this.sockets) {
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
  }
}
