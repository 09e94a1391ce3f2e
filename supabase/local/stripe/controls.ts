// Local-only controls (no Stripe equivalent beyond test clocks): advance the
// clock so subscriptions renew or fail, hold webhook deliveries and release
// them in another order, resend an event, decline a customer's next charge.
// A page at /_local offers the same as buttons; the JSON answers serve tests.
import type { IncomingMessage, ServerResponse } from "node:http";
import { redirect } from "./checkout-page.ts";
import { date, html, money, page } from "./html.ts";
import type { LocalStripe } from "./local-stripe.ts";
import { list, readParams, text } from "./params.ts";
import { advanceClock, fixPaymentMethod } from "./subscriptions.ts";

export async function handleControls(stripe: LocalStripe, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const path = url.pathname;
  if (req.method === "GET" && (path === "/_local" || path === "/_local/")) {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(controlPage(stripe));
    return true;
  }
  const invoice = /^\/i\/(in_[A-Za-z0-9]+)$/.exec(path);
  if (req.method === "GET" && invoice) {
    const found = stripe.state.invoices[invoice[1]!];
    const body = found
      ? html`<h1>Invoice ${found.number}</h1>
          <p>${money(found.amount_due)} — ${found.status} — ${date(found.created)}</p>`
      : html`<h1>No such invoice</h1>`;
    res.writeHead(found ? 200 : 404, { "content-type": "text/html; charset=utf-8" }).end(page("Invoice", body));
    return true;
  }
  if (req.method === "GET" && path === "/_local/webhooks/idle") {
    await stripe.options.webhooks.idle();
    return reply(req, res, { idle: true });
  }
  if (req.method !== "POST" || !path.startsWith("/_local/")) return false;
  const params = await readParams(req, url);
  const webhooks = stripe.options.webhooks;
  let answer: Record<string, unknown> | null = null;
  const customer = /^\/_local\/customers\/(cus_[A-Za-z0-9]+)\/(fail-next-payment|payment-method)$/.exec(path);
  const resend = /^\/_local\/events\/(evt_[A-Za-z0-9]+)\/resend$/.exec(path);
  if (path === "/_local/clock/advance") {
    const seconds = Number(text(params, "seconds") ?? 0) + Number(text(params, "days") ?? 0) * 86_400;
    if (!Number.isFinite(seconds) || seconds <= 0) return reply(req, res, { error: "give days or seconds > 0" }, 400);
    advanceClock(stripe, seconds);
    answer = { now: stripe.now() };
  } else if (path === "/_local/webhooks/hold") {
    webhooks.hold();
    answer = { holding: true };
  } else if (path === "/_local/webhooks/release") {
    const order = text(params, "order") === "reverse" ? "reverse" : list(params, "order").map(String);
    answer = { released: webhooks.release(order) };
  } else if (resend) {
    const event = stripe.state.events.find((e) => e.id === resend[1]);
    if (!event) return reply(req, res, { error: `no event ${resend[1]}` }, 404);
    webhooks.resend(event);
    answer = { resent: event.id };
  } else if (customer && stripe.state.customers[customer[1]!]) {
    if (customer[2] === "payment-method") fixPaymentMethod(stripe, customer[1]!);
    else if (!stripe.state.failingCustomers.includes(customer[1]!)) stripe.state.failingCustomers.push(customer[1]!);
    answer = { customer: customer[1] };
  }
  if (!answer) return reply(req, res, { error: `no control at ${path}` }, 404);
  stripe.save();
  return reply(req, res, answer);
}

/** Forms from the control page go back to it; scripts and tests get JSON. */
function reply(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>, status = 200): true {
  if (status === 200 && req.headers.accept?.includes("text/html")) redirect(res, "/_local");
  else res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  return true;
}

function controlPage(stripe: LocalStripe): string {
  const subscriptions = Object.values(stripe.state.subscriptions).sort((a, b) => b.created - a.created);
  const events = stripe.state.events.slice(-15).reverse();
  const advance = (days: number, label: string) =>
    html`<form method="post" action="/_local/clock/advance">
      <input type="hidden" name="days" value="${days}" /><button type="submit">${label}</button>
    </form>`;
  return page(
    "Local Stripe",
    html`<h1>Local Stripe</h1>
      <div class="card">
        <h2>Clock</h2>
        <p>Now: ${new Date(stripe.now() * 1000).toISOString()}</p>
        <p>Advance time ${advance(1, "+1 day")}${advance(7, "+7 days")}${advance(31, "+1 month")}${advance(366, "+1 year")}</p>
      </div>
      <div class="card">
        <h2>Subscriptions</h2>
        <table>
          <tbody>
            ${subscriptions.map((s) => {
              const item = (s.items as { data: Array<{ price: { id: string }; current_period_end: number }> }).data[0]!;
              const failing = stripe.state.failingCustomers.includes(String(s.customer));
              const action = failing ? "payment-method" : "fail-next-payment";
              return html`<tr>
                <td>${s.id}<br /><small>${s.customer} · ${item.price.id}</small></td>
                <td>${s.status}${s.cancel_at_period_end ? " (ending)" : ""}<br /><small>${date(item.current_period_end)}</small></td>
                <td>
                  <form method="post" action="/_local/customers/${String(s.customer)}/${action}">
                    <button type="submit">${failing ? "Fix card" : "Fail next payment"}</button>
                  </form>
                </td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
      <div class="card">
        <h2>Recent events</h2>
        <table>
          <tbody>
            ${events.map(
              (e) =>
                html`<tr>
                  <td>${e.type}<br /><small>${e.id}</small></td>
                  <td>${e.pending_webhooks ? "pending" : "delivered"}</td>
                  <td>
                    <form method="post" action="/_local/events/${e.id}/resend"><button type="submit">Resend</button></form>
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`,
  );
}
