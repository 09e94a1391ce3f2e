// The hosted Checkout page at a session's `url`: Pay completes the session
// (subscription, paid invoice, events) and returns to success_url; Cancel
// returns to cancel_url. Plain forms, so it works without JavaScript.
import type { IncomingMessage, ServerResponse } from "node:http";
import { date, html, money, page } from "./html.ts";
import type { LocalStripe } from "./local-stripe.ts";
import { customerObject } from "./objects.ts";
import { priceLabel } from "./prices.ts";
import { completeCheckout } from "./subscriptions.ts";

export function handleCheckoutPage(stripe: LocalStripe, req: IncomingMessage, res: ServerResponse, url: URL): boolean {
  const match = /^\/c\/pay\/(cs_[A-Za-z0-9_]+)(?:\/(pay|cancel))?$/.exec(url.pathname);
  if (!match) return false;
  const session = stripe.state.checkoutSessions[match[1]!];
  const action = match[2];
  if (!session) {
    res.writeHead(404, { "content-type": "text/html; charset=utf-8" }).end(page("Not found", html`<h1>This checkout link is not valid</h1>`));
    return true;
  }
  if (req.method === "POST" && action === "cancel") {
    redirect(res, String(session.cancel_url ?? url.pathname.replace(/\/cancel$/, "")));
    return true;
  }
  if (req.method === "POST" && action === "pay") {
    if (session.status === "open") {
      let customerId = session.customer as string | null;
      if (!customerId) {
        const customer = customerObject(stripe.now(), { email: (session.customer_email as string) ?? undefined, metadata: {} });
        stripe.state.customers[customer.id] = customer;
        customerId = customer.id;
      }
      completeCheckout(stripe, session, customerId);
      stripe.save();
    }
    redirect(res, String(session.success_url).replaceAll("{CHECKOUT_SESSION_ID}", session.id));
    return true;
  }
  const price = stripe.state.prices[String(session.price)]!;
  const interval = (price.recurring as { interval: string }).interval;
  const email = session.customer ? stripe.state.customers[String(session.customer)]?.email : session.customer_email;
  const body =
    session.status === "open"
      ? html`<h1>Subscribe to ${priceLabel(price)}</h1>
          <div class="card">
            <p><strong>${money(session.amount_total)}</strong> per ${interval}</p>
            <p class="muted">${email ? html`Billed to ${email}. ` : ""}Renews automatically; cancel any time.</p>
            <p class="muted">Test mode: no card details are needed.</p>
            <form method="post" action="/c/pay/${session.id}/pay">
              <button class="primary" type="submit">Pay ${money(session.amount_total)}</button>
            </form>
            <form method="post" action="/c/pay/${session.id}/cancel"><button type="submit">Cancel</button></form>
          </div>`
      : html`<h1>This checkout is ${session.status}</h1>
          <p>
            Paid on ${date(session.created)}. <a href="${String(session.success_url).replaceAll("{CHECKOUT_SESSION_ID}", session.id)}">Continue</a>
          </p>`;
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page("Checkout", body));
  return true;
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { location }).end();
}
