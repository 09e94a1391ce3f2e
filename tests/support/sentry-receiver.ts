// A local stand-in for a Sentry-compatible error-tracking service: records
// every POST (an envelope) and answers 200. Tests point SENTRY_DSN at it, so
// nothing leaves the machine.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedEnvelope {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface SentryReceiver {
  /** A DSN naming this receiver and `project`. */
  dsnFor(project: string): string;
  received: ReceivedEnvelope[];
  /** Each received envelope's event (its third line), parsed. */
  events(): Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startSentryReceiver(): Promise<SentryReceiver> {
  const received: ReceivedEnvelope[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push({ url: req.url ?? "", headers: req.headers, body });
      res.writeHead(200, { "Content-Type": "application/json" }).end('{"id":"ok"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    dsnFor: (project) => `http://public-key-1@127.0.0.1:${port}/${project}`,
    received,
    events: () => received.map((envelope) => JSON.parse(envelope.body.trimEnd().split("\n")[2] ?? "{}") as Record<string, unknown>),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
