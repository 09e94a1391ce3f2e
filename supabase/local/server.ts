// One HTTP server on one port (54321 by default, like the Supabase CLI) that
// serves the Supabase paths the app uses: /auth/v1, /realtime/v1, /storage/v1,
// plus the mail catcher at /_mail. Each service lives in its own folder.
import http from "node:http";
import pg from "pg";
import type { LocalService, LocalSupabaseConfig, ServiceContext } from "./context.ts";
import type { LocalKeys } from "./keys.ts";

export interface StartLocalSupabaseOptions {
  databaseUrl: string;
  keys: LocalKeys;
  port: number;
  host?: string;
  config: LocalSupabaseConfig;
  log?: (line: string) => void;
  /** Service factories, in routing order. */
  services: Array<(ctx: ServiceContext) => LocalService | Promise<LocalService>>;
}

export interface RunningLocalSupabase {
  url: string;
  port: number;
  ctx: ServiceContext;
  close: () => Promise<void>;
}

const CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
  "access-control-allow-headers":
    "authorization, apikey, content-type, x-client-info, x-supabase-api-version, x-upsert, x-metadata, cache-control, accept-profile, content-profile, prefer, range",
  "access-control-expose-headers": "x-supabase-api-version, x-sb-error-code, content-range",
  "access-control-max-age": "86400",
};

export async function startLocalSupabase(options: StartLocalSupabaseOptions): Promise<RunningLocalSupabase> {
  const log = options.log ?? ((line: string) => console.log(line));
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 20 });
  pool.on("error", (error) => log(`[db] idle client error: ${error.message}`));
  const ctx: ServiceContext = {
    pool,
    databaseUrl: options.databaseUrl,
    keys: options.keys,
    config: options.config,
    log,
  };
  const services: LocalService[] = [];
  for (const factory of options.services) services.push(await factory(ctx));

  const server = http.createServer(async (req, res) => {
    const started = performance.now();
    const url = new URL(req.url ?? "/", options.config.publicUrl);
    res.on("finish", () => {
      // Path only: query strings can carry tokens.
      log(`${req.method} ${url.pathname} ${res.statusCode} ${(performance.now() - started).toFixed(1)}ms`);
    });
    for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
    if (req.method === "OPTIONS") {
      res.writeHead(204).end();
      return;
    }
    try {
      for (const service of services) {
        if (service.http && (await service.http(req, res, url))) return;
      }
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: "no Route matched with those values" }));
    } catch (error) {
      log(`[${url.pathname}] unhandled error: ${error instanceof Error ? error.stack : String(error)}`);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: "internal server error" }));
    }
  });

  server.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", options.config.publicUrl);
    for (const service of services) {
      if (service.upgrade && service.upgrade(req, socket, head, url)) return;
    }
    socket.end("HTTP/1.1 404 Not Found\r\n\r\n");
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  log(`local supabase listening on ${options.config.publicUrl} (port ${port})`);

  return {
    url: options.config.publicUrl,
    port,
    ctx,
    close: async () => {
      for (const service of services.reverse()) await service.close?.();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}
