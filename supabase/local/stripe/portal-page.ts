// The customer portal at a portal session's `url`: the customer's subscriptions
// and invoices, "Update payment method" (the card works again and an open
// invoice is paid) and "Make next payment fail" (the next charge is declined).
import type { IncomingMessage, ServerResponse } from "node:http";
import { redirect } from "./checkout-page.ts";
import { date, html, money, page } from "./html.ts";
import type { LocalStripe } from "./local-stripe.ts";
import { priceLabel } from "./prices.ts";
import type { StripeObject } from "./state.ts";
import { fixPaymentMethod } from "./subscriptions.ts";

export function handlePortalPage(stripe: LocalStripe, req: IncomingMessage, res: ServerResponse, url: URL): boolean {
  const match = /^\/p\/session\/(bps_[A-Za-z0-9]+)(?:\/(payment-method|fail-next))?$/.exec(url.pathname);
  if (!match) return false;
  const session = stripe.state.portalSessions[match[1]!];
  if (!session) {
    res.writeHead(404, { "content-type": "text/html; charset=utf-8" }).end(page("Not found", html`<h1>This portal link is not valid</h1>`));
    return true;
  }
  const customerId = String(session.customer);
  const home = `/p/session/${session.id}`;
  if (req.method === "POST" && match[2] === "payment-method") {
    fixPaymentMethod(stripe, customerId);
    stripe.save();
    redirect(res, `${home}?updated=1`);
    return true;
  }
  if (req.method === "POST" && match[2] === "fail-next") {
    if (!stripe.state.failingCustomers.includes(customerId)) stripe.state.failingCustomers.push(customerId);
    stripe.save();
    redirect(res, `${home}?failing=1`);
    return true;
  }
  const customer = stripe.state.customers[customerId];
  const subscriptions = Object.values(stripe.state.subscriptions).filter((s) => s.customer === customerId);
  const invoices = Object.values(stripe.state.invoices)
    .filter((i) => i.customer === customerId)
    .sort((a, b) => b.created - a.created);
  const failing = stripe.state.failingCustomers.includes(customerId);
  const body = html`<h1>Billing</h1>
    <p class="muted">${customer?.email ?? customerId}</p>
    ${url.searchParams.has("updated") ? html`<p class="banner" role="status">Payment method updated.</p>` : ""}
    ${failing ? html`<p class="banner" role="status">The card on file will be declined at the next charge.</p>` : ""}
    <div class="card">
      <h2>Subscriptions</h2>
      ${subscriptions.length ? "" : html`<p>None.</p>`}
      ${subscriptions.map((s) => {
        const item = (s.items as { data: Array<{ price: StripeObject; current_period_end: number }> }).data[0]!;
        const interval = (item.price.recurring as { interval: string }).interval;
        return html`<p>
          <strong>${priceLabel(item.price)}</strong> — ${money(item.price.unit_amount)} / ${interval} —
          ${s.status}${
            s.cancel_at_period_end
              ? html`, ends ${date(item.current_period_end)}`
              : s.status === "canceled"
                ? ""
                : html`, renews ${date(item.current_period_end)}`
          }
        </p>`;
      })}
    </div>
    <div class="card">
      <h2>Payment method</h2>
      <p>A test card${failing ? " (will decline)" : ""}.</p>
      <form method="post" action="${home}/payment-method"><button class="primary" type="submit">Update payment method</button></form>
      <form method="post" action="${home}/fail-next"><button type="submit">Make next payment fail</button></form>
    </div>
    <div class="card">
      <h2>Invoices</h2>
      <table>
        <thead>
          <tr>
            <th>Date</th>
            <th>Number</th>
            <th>Amount</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          ${invoices.map(
            (i) =>
              html`<tr>
                <td>${date(i.created)}</td>
                <td>${i.number}</td>
                <td>${money(i.amount_due)}</td>
                <td>${i.status}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    ${session.return_url ? html`<p><a href="${session.return_url}">Return to RawJournal</a></p>` : ""}`;
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page("Billing portal", body));
  return true;
}
