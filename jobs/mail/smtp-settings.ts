// Where the jobs process sends the app's emails. The variable names are those
// of self-hosted Supabase's Auth (SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASS,
// SMTP_ADMIN_EMAIL, SMTP_SENDER_NAME), so an operator sets one SMTP for both;
// SMTP_URL (smtp[s]://user:pass@host:port) is the one-line alternative. No
// host and no URL = no sender: the rows wait in public.outgoing_emails, which
// the local mail catcher shows at /_mail.
import { z } from "zod";

export interface SmtpSettings {
  host: string;
  port: number;
  /** Implicit TLS (smtps:// or port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  auth: { user: string; pass: string } | null;
  /** The From header: "RawJournal <billing@example.com>". */
  from: string;
}

export const smtpEnvSchema = z.object({
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^/]+/, "must be an smtp:// or smtps:// URL")
    .optional(),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SMTP_USER: z.string().optional(),
  SMTP_PASS: z.string().optional(),
  /** The From address (Supabase Auth's name for it). */
  SMTP_ADMIN_EMAIL: z.email("must be an email address").optional(),
  SMTP_SENDER_NAME: z.string().optional(),
});

export type SmtpEnv = z.infer<typeof smtpEnvSchema>;

/** The SMTP server to send through, or null when none is configured. Never echoes a password in an error. */
export function smtpSettingsFrom(env: SmtpEnv): SmtpSettings | null {
  if (!env.SMTP_URL && !env.SMTP_HOST) return null;
  if (!env.SMTP_ADMIN_EMAIL) throw new Error("SMTP_ADMIN_EMAIL (the From address of the app's emails) must be set with SMTP_URL or SMTP_HOST");
  const senderName = env.SMTP_SENDER_NAME?.trim() || "RawJournal";
  const from = `${senderName.replace(/["\\<>]/g, "")} <${env.SMTP_ADMIN_EMAIL}>`;
  if (env.SMTP_URL) {
    const url = new URL(env.SMTP_URL);
    const secure = url.protocol === "smtps:";
    const user = decodeURIComponent(url.username);
    return {
      host: url.hostname,
      port: url.port ? Number(url.port) : secure ? 465 : 587,
      secure,
      auth: user ? { user, pass: decodeURIComponent(url.password) } : null,
      from,
    };
  }
  const port = env.SMTP_PORT ?? 587;
  return {
    host: env.SMTP_HOST!,
    port,
    secure: port === 465,
    auth: env.SMTP_USER ? { user: env.SMTP_USER, pass: env.SMTP_PASS ?? "" } : null,
    from,
  };
}
