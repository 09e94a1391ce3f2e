// The emails billing sends, as text and HTML. They name the fix, not the card.
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export function paymentFailedEmail({
  planName,
  graceEndsAt,
  billingUrl,
}: {
  planName: string;
  graceEndsAt: Date | null;
  billingUrl: string;
}): RenderedEmail {
  const until = graceEndsAt ? graceEndsAt.toISOString().slice(0, 10) : null;
  const keep = until
    ? `Your ${planName} plan stays on until ${until} (UTC). If the payment still fails then, your journal moves to Free: nothing is deleted, and paying restores everything.`
    : `Your journal moves to Free if the payment is not fixed: nothing is deleted, and paying restores everything.`;
  return {
    subject: `Your RawJournal ${planName} payment failed`,
    text: `We couldn't take the payment for your RawJournal ${planName} subscription.\n\n${keep}\n\nUpdate your payment method: ${billingUrl}\n`,
    html: `<h2>Your ${escapeHtml(planName)} payment failed</h2>\n<p>We couldn't take the payment for your RawJournal ${escapeHtml(planName)} subscription.</p>\n<p>${escapeHtml(keep)}</p>\n<p><a href="${escapeHtml(billingUrl)}">Update your payment method</a></p>`,
  };
}
