// Realtime for the local Supabase server: the Phoenix channel protocol that
// @supabase/realtime-js speaks (vsn 1.0.0 and 2.0.0), with broadcast, presence,
// postgres_changes (from logical replication of the `supabase_realtime`
// publication, authorised per subscriber by RLS), private channels authorised
// by RLS on realtime.messages, realtime.send() and the REST broadcast API.
// This file wires the parts together; each lives in its own module.
import pg from "pg";
import type { LocalService, ServiceContext } from "../context.ts";
import { BROADCAST_PATH, Broadcasts } from "./broadcast.ts";
import { Catalog } from "./catalog.ts";
import { ChangeFanout } from "./changes.ts";
import { ChannelRegistry } from "./channels.ts";
import { Presence } from "./presence.ts";
import { Sockets } from "./socket.ts";
import { ReplicationFeed } from "./stream.ts";

const WEBSOCKET_PATHS = new Set(["/realtime/v1/websocket", "/realtime/v1/websocket/"]);

export function realtimeService(ctx: ServiceContext): LocalService {
  const log = (line: string) => ctx.log(`[realtime] ${line}`);
  const pool = new pg.Pool({ connectionString: ctx.databaseUrl, max: 6 });
  pool.on("error", (error) => log(`idle client error: ${error.message}`));
  const jwtSecret = ctx.keys.jwtSecret;

  let presence: Presence | null = null;
  const channels = new ChannelRegistry((channel) => presence!.untrack(channel), log);
  presence = new Presence(channels.groups, pool, log);
  const broadcasts = new Broadcasts(channels.groups, pool, jwtSecret, log);
  const catalog = new Catalog(pool);
  const changes = new ChangeFanout(channels.withBindings, catalog, broadcasts, pool, log);
  const feed = new ReplicationFeed({
    databaseUrl: ctx.databaseUrl,
    pool,
    onTransaction: (tx) => changes.onTransaction(tx),
    onRelation: (relation) => catalog.forget(relation.id),
    hasListeners: () => channels.groups.size > 0,
    log: ctx.log,
  });
  const sockets = new Sockets({ pool, jwtSecret, channels, presence, feed, log }, broadcasts);

  return {
    name: "realtime",
    http: async (req, res, url) => {
      if (url.pathname !== BROADCAST_PATH && url.pathname !== `${BROADCAST_PATH}/`) return false;
      await broadcasts.fromRest(req, res);
      return true;
    },
    upgrade: (req, socket, head, url) => {
      if (!WEBSOCKET_PATHS.has(url.pathname)) return false;
      sockets.upgrade(req, socket, head, url).catch((error: unknown) => {
        log(`upgrade failed: ${error instanceof Error ? error.message : String(error)}`);
        socket.destroy();
      });
      return true;
    },
    close: async () => {
      sockets.close();
      await feed.close();
      await changes.drain();
      await pool.end().catch(() => {});
    },
  };
}
