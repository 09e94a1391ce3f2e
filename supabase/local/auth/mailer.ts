// The emails GoTrue sends, rendered with its default wording and stored in the
// local outbox instead of being delivered.
import { countRecentMail, storeMail } from "../mail/outbox.ts";
import { tooManyRequests } from "./http.ts";
import type { Queryable } from "./users.ts";

type EmailKind = "signup" | "recovery" | "email_change";

const SUBJECTS: Record<EmailKind, string> = {
  signup: "Confirm Your Signup",
  recovery: "Reset Your Password",
  email_change: "Confirm Email Change",
};

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export function verifyLink(publicUrl: string, tokenHash: string, type: string, redirectTo: string): string {
  const url = new URL(`${publicUrl.replace(/\/+$/, "")}/auth/v1/verify`);
  url.searchParams.set("token", tokenHash);
  url.searchParams.set("type", type);
  url.searchParams.set("redirect_to", redirectTo);
  return url.toString();
}

function render(kind: EmailKind, link: string, otp: string, email: string, newEmail?: string) {
  const a = `<a href="${escapeHtml(link)}">`;
  switch (kind) {
    case "signup":
      return {
        html: `<h2>Confirm your signup</h2>\n<p>Follow this link to confirm your user:</p>\n<p>${a}Confirm your mail</a></p>\n<p>Alternatively, enter the code: ${otp}</p>`,
        text: `Confirm your signup\n\nFollow this link to confirm your user:\n${link}\n\nAlternatively, enter the code: ${otp}\n`,
      };
    case "recovery":
      return {
        html: `<h2>Reset Password</h2>\n<p>Follow this link to reset the password for your user:</p>\n<p>${a}Reset Password</a></p>\n<p>Alternatively, enter the code: ${otp}</p>`,
        text: `Reset Password\n\nFollow this link to reset the password for your user:\n${link}\n\nAlternatively, enter the code: ${otp}\n`,
      };
    case "email_change":
      return {
        html: `<h2>Confirm Change of Email</h2>\n<p>Follow this link to confirm the update of your email from ${escapeHtml(email)} to ${escapeHtml(newEmail ?? "")}:</p>\n<p>${a}Change Email</a></p>\n<p>Alternatively, enter the code: ${otp}</p>`,
        text: `Confirm Change of Email\n\nFollow this link to confirm the update of your email from ${email} to ${newEmail ?? ""}:\n${link}\n\nAlternatively, enter the code: ${otp}\n`,
      };
  }
}

export interface MailOptions {
  publicUrl: string;
  emailRateLimitPerHour: number;
  log: (line: string) => void;
}

/** Refuses with 429 over_email_send_rate_limit when `to` had its hourly quota. */
async function assertCanEmail(db: Queryable, to: string, options: MailOptions): Promise<void> {
  const sent = await countRecentMail(db, to, 3600);
  if (sent >= options.emailRateLimitPerHour) {
    throw tooManyRequests("over_email_send_rate_limit", "Email rate limit exceeded");
  }
}

export async function sendAuthEmail(
  db: Queryable,
  options: MailOptions,
  mail: {
    kind: EmailKind;
    to: string;
    tokenHash: string;
    otp: string;
    redirectTo: string;
    /** For email_change: the current address (`to` may be either). */
    email?: string;
    newEmail?: string;
  },
): Promise<void> {
  await assertCanEmail(db, mail.to, options);
  const link = verifyLink(options.publicUrl, mail.tokenHash, mail.kind, mail.redirectTo);
  const { html, text } = render(mail.kind, link, mail.otp, mail.email ?? mail.to, mail.newEmail);
  const id = await storeMail(db, { to: mail.to, subject: SUBJECTS[mail.kind], html, text, links: [link] });
  options.log(`[auth] mail ${mail.kind} queued id=${id}`);
}
