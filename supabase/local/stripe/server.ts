// The local Stripe stand-in: one HTTP server for the API (/v1), the hosted
// Checkout and portal pages and the local controls (/_local), plus the webhook
// sender. Started by `npm start` and by the tests; see README.md.
import http from "node:http";
import Stripe from "stripe";
import { handleApi } from "./api.ts";
import { handleCheckoutPage } from "./checkout-page.ts";
import { handleControls } from "./controls.ts";
import { LocalStripe } from "./local-stripe.ts";
import { handlePortalPage } from "./portal-page.ts";
import { planPrices, type PriceIds } from "./prices.ts";
import { nowSeconds } from "./state.ts";
import { WebhookSender } from "./webhooks.ts";

export interface LocalStripeServerOptions {
  secretKey: string;
  webhookSecret: string;
  /** Where events are POSTed: the app's /webhooks/stripe. */
  webhookUrl: string;
  priceIds: PriceIds;
  port: number;
  host?: string;
  /** Keeps customers, subscriptions and the clock across restarts. */
  stateFile?: string;
  retryDelaysMs?: number[];
  afterFailedRetries?: "canceled" | "unpaid";
  log?: (line: string) => void;
}

export interface RunningLocalStripe {
  /** Base URL for STRIPE_API_URL. */
  url: string;
  port: number;
  stripe: LocalStripe;
  close: () => Promise<void>;
}

export async function startLocalStripe(options: LocalStripeServerOptions): Promise<RunningLocalStripe> {
  const log = options.log ?? ((line: string) => console.log(line));
  const host = options.host ?? "127.0.0.1";
  const webhooks = new WebhookSender({
    url: options.webhookUrl,
    secret: options.webhookSecret,
    retryDelaysMs: options.retryDelaysMs ?? [1_000, 5_000, 30_000, 120_000],
    log,
  });
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const url = `http://${host}:${port}`;
  const stripe = new LocalStripe({
    publicUrl: url,
    apiVersion: Stripe.API_VERSION,
    webhooks,
    stateFile: options.stateFile,
    afterFailedRetries: options.afterFailedRetries ?? "canceled",
  });
  for (const price of planPrices(options.priceIds, nowSeconds(stripe.state))) stripe.state.prices[price.id] = price;

  server.on("request", (req, res) => {
    const started = performance.now();
    const requestUrl = new URL(req.url ?? "/", url);
    // Path only: never a header, a body or a query (keys and emails travel there).
    res.on("finish", () => log(`${req.method} ${requestUrl.pathname} ${res.statusCode} ${(performance.now() - started).toFixed(1)}ms`));
    const route = async () => {
      if (requestUrl.pathname.startsWith("/v1/")) return handleApi(stripe, options.secretKey, req, res, requestUrl);
      if (handleCheckoutPage(stripe, req, res, requestUrl) || handlePortalPage(stripe, req, res, requestUrl)) return;
      if (await handleControls(stripe, req, res, requestUrl)) return;
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    };
    route().catch((error: unknown) => {
      log(`${requestUrl.pathname} failed: ${error instanceof Error ? error.stack : String(error)}`);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { type: "api_error", message: "The local Stripe stand-in failed; see its log." } }));
    });
  });
  log(`local stripe listening on ${url} (webhooks to ${options.webhookUrl})`);

  return {
    url,
    port,
    stripe,
    close: async () => {
      webhooks.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
