// A stand-in webhook endpoint for Stripe contract tests: records every delivery
// (raw body and Stripe-Signature) and answers with the statuses it is told to.
import http from "node:http";
import { afterAll } from "vitest";
import { freePort } from "../../supabase/local/free-port.ts";

export interface Delivery {
  body: string;
  signature: string;
  type: string;
  id: string;
}

export interface WebhookReceiver {
  url: string;
  deliveries: Delivery[];
  /** Statuses for the next deliveries, in order; 200 once they run out. */
  failNext: (...statuses: number[]) => void;
  /** Waits until `count` deliveries match. */
  waitFor: (match: (d: Delivery) => boolean, count?: number) => Promise<Delivery[]>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const deliveries: Delivery[] = [];
  const statuses: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const event = JSON.parse(body) as { id: string; type: string };
      deliveries.push({ body, signature: String(req.headers["stripe-signature"] ?? ""), type: event.type, id: event.id });
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return {
    url: `http://127.0.0.1:${port}/webhooks/stripe`,
    deliveries,
    failNext: (...next) => statuses.push(...next),
    waitFor: async (match, count = 1) => {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const found = deliveries.filter(match);
        if (found.length >= count) return found;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(
        `expected ${count} matching webhook deliveries, got ${deliveries.filter(match).length}: ${deliveries.map((d) => d.type).join(", ")}`,
      );
    },
  };
}
