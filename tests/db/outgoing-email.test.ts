// The outgoing-email sender against a real SMTP server (smtp-server, with
// authentication, in this process) and the real outgoing_emails table: one
// delivery per row with the right to/subject/body, retries with backoff, a
// permanent refusal and the last attempt ending as failed, two workers never
// sending one row twice, and no SMTP password in a log line or a stored error.
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerDataStream } from "smtp-server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSmtpTransport, runOutgoingEmail, type OutgoingEmailContext } from "../../jobs/mail/send-outgoing-emails.ts";
import { smtpSettingsFrom, type SmtpSettings } from "../../jobs/mail/smtp-settings.ts";
import { parseJobsEnv } from "../../jobs/config.ts";
import { createTestDatabase } from "../support/database.ts";
import { createUser } from "../support/fixtures.ts";

const db = await createTestDatabase();
const PASSWORD = "s3cret-smtp-Pa55word";
const USER = "mailer";

interface Received {
  to: string[];
  raw: string;
}
let received: Received[] = [];
/** Per recipient: the SMTP codes to answer with before accepting (451 = try later, 550 = never). */
let refusals = new Map<string, number[]>();
let dataDelayMs = 0;
const logs: string[] = [];

const server = new SMTPServer({
  authOptional: false,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onAuth(auth, _session, callback) {
    if (auth.username === USER && auth.password === PASSWORD) callback(null, { user: USER });
    else callback(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
  },
  onData(stream: SMTPServerDataStream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      const to = session.envelope.rcptTo.map((rcpt) => rcpt.address);
      const planned = refusals.get(to[0]!);
      const code = planned?.shift();
      setTimeout(() => {
        if (code) return callback(Object.assign(new Error(code >= 500 ? "Mailbox unavailable" : "Try again later"), { responseCode: code }));
        received.push({ to, raw: Buffer.concat(chunks).toString("utf8") });
        callback(null, "queued");
      }, dataDelayMs);
    });
  },
});
let settings: SmtpSettings;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  settings = smtpSettingsFrom({ SMTP_URL: `smtp://${USER}:${PASSWORD}@127.0.0.1:${port}`, SMTP_ADMIN_EMAIL: "billing@rawjournal.test" })!;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(async () => {
  received = [];
  refusals = new Map();
  dataDelayMs = 0;
  await db.pool.query("delete from public.outgoing_emails");
});

const context = (overrides: Partial<OutgoingEmailContext> = {}): OutgoingEmailContext => ({
  pool: db.appPool,
  transport: createSmtpTransport(settings),
  from: settings.from,
  log: (line) => logs.push(line),
  retryBaseMs: 60_000,
  ...overrides,
});

async function queueEmail(subject = "Your payment failed"): Promise<{ id: string; to: string }> {
  const to = `${randomUUID()}@example.test`;
  const userId = await createUser(db.pool, { email: to });
  const { rows } = await db.pool.query<{ id: string }>(
    // Due from this millisecond: the job's clock is a JS Date (whole ms), and a
    // row due at now()'s microseconds would not yet be due to a clock read in
    // the same millisecond (a flake seen once in a fresh-clone run).
    `insert into public.outgoing_emails (user_id, to_address, kind, subject, text_body, html_body, dedupe_key, next_attempt_at)
     values ($1, $2, 'payment_failed', $3, 'Update your card in Settings, Billing.', '<p>Update your card in Settings, Billing.</p>', $4,
             date_trunc('milliseconds', now())) returning id`,
    [userId, to, subject, `test:${randomUUID()}`],
  );
  return { id: rows[0]!.id, to };
}

async function row(id: string) {
  const { rows } = await db.pool.query("select * from public.outgoing_emails where id = $1", [id]);
  return rows[0];
}

describe("outgoing-email sender", () => {
  it("delivers a queued email once, with its to, subject and body, and records the time and message id", async () => {
    const email = await queueEmail("Payment failed for RawJournal Pro");
    expect(await runOutgoingEmail({ reason: "manual" }, context())).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(received).toHaveLength(1);
    expect(received[0]!.to).toEqual([email.to]);
    expect(received[0]!.raw).toMatch(/^Subject: Payment failed for RawJournal Pro\r$/m);
    expect(received[0]!.raw).toMatch(/^From: RawJournal <billing@rawjournal\.test>\r$/m);
    expect(received[0]!.raw).toContain("Update your card in Settings, Billing.");
    const stored = await row(email.id);
    expect(stored.sent_at).toBeInstanceOf(Date);
    expect(stored.message_id).toBe(`<outgoing-email-${email.id}@rawjournal.test>`);
    expect(received[0]!.raw.replace(/\r\n\s+/g, " ")).toContain(`Message-ID: ${stored.message_id}`);
    // The next run finds nothing to send.
    expect(await runOutgoingEmail({ reason: "schedule" }, context())).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(received).toHaveLength(1);
  });

  it("retries a temporary refusal after its backoff, then delivers", async () => {
    const email = await queueEmail();
    refusals.set(email.to, [451]);
    const start = new Date();
    expect(await runOutgoingEmail({ reason: "schedule" }, context({ now: () => start }))).toEqual({ sent: 0, retrying: 1, failed: 0 });
    let stored = await row(email.id);
    expect(stored).toMatchObject({ attempts: 1, sent_at: null, failed_at: null, sending_since: null });
    expect(stored.last_error).toMatch(/451/);
    expect(stored.next_attempt_at.getTime()).toBe(start.getTime() + 60_000);
    // Before the backoff ends nothing is tried.
    expect(await runOutgoingEmail({ reason: "schedule" }, context({ now: () => new Date(start.getTime() + 30_000) }))).toEqual({
      sent: 0,
      retrying: 0,
      failed: 0,
    });
    expect(await runOutgoingEmail({ reason: "schedule" }, context({ now: () => new Date(start.getTime() + 61_000) }))).toEqual({
      sent: 1,
      retrying: 0,
      failed: 0,
    });
    stored = await row(email.id);
    expect(stored.attempts).toBe(2);
    expect(stored.sent_at).toBeInstanceOf(Date);
    expect(received.map((mail) => mail.to[0])).toEqual([email.to]);
  });

  it("marks a permanent refusal failed at once, and a temporary one failed after the last attempt", async () => {
    const bounced = await queueEmail();
    refusals.set(bounced.to, [550]);
    await runOutgoingEmail({ reason: "schedule" }, context());
    expect(await row(bounced.id)).toMatchObject({ attempts: 1, sent_at: null, last_error: expect.stringMatching(/550/) });
    expect((await row(bounced.id)).failed_at).toBeInstanceOf(Date);

    const deferred = await queueEmail();
    refusals.set(deferred.to, [451, 451, 451, 451]);
    let at = Date.now();
    for (let run = 0; run < 4; run++) {
      await runOutgoingEmail({ reason: "schedule" }, context({ now: () => new Date(at), maxAttempts: 3 }));
      at += 3600_000;
    }
    const stored = await row(deferred.id);
    expect(stored).toMatchObject({ attempts: 3, sent_at: null });
    expect(stored.failed_at).toBeInstanceOf(Date);
    expect(received).toHaveLength(0);
  });

  it("never sends one row twice when two workers run at once", async () => {
    const emails = await Promise.all(Array.from({ length: 12 }, () => queueEmail()));
    dataDelayMs = 20;
    const results = await Promise.all([
      runOutgoingEmail({ reason: "schedule" }, context({ batchSize: 5 })),
      runOutgoingEmail({ reason: "schedule" }, context({ batchSize: 5 })),
    ]);
    await Promise.all([runOutgoingEmail({ reason: "schedule" }, context()), runOutgoingEmail({ reason: "schedule" }, context())]);
    // Both workers sent some: the test ran them side by side.
    expect(results.every((result) => result.sent > 0)).toBe(true);
    const recipients = received.map((mail) => mail.to[0]).sort();
    expect(recipients).toEqual(emails.map((email) => email.to).sort());
    const { rows } = await db.pool.query("select count(*)::int as n from public.outgoing_emails where sent_at is not null");
    expect(rows[0].n).toBe(12);
  });

  it("does not resend an email a stopped worker left mid-send", async () => {
    const email = await queueEmail();
    await db.pool.query("update public.outgoing_emails set sending_since = now() - interval '1 hour', attempts = 1 where id = $1", [email.id]);
    await runOutgoingEmail({ reason: "schedule" }, context());
    expect(received).toHaveLength(0);
    expect((await row(email.id)).failed_at).toBeInstanceOf(Date);
  });

  it("a wrong password fails the email with the server's answer; no log line or stored error holds a password", async () => {
    const email = await queueEmail();
    const wrong = { ...settings, auth: { user: USER, pass: "wrong-Pa55-guess" } };
    await runOutgoingEmail({ reason: "schedule" }, context({ transport: createSmtpTransport(wrong) }));
    expect((await row(email.id)).last_error).toMatch(/535|Invalid/);
    const { rows } = await db.pool.query<{ last_error: string | null }>("select last_error from public.outgoing_emails");
    const everything = [...logs, ...rows.map((r) => r.last_error ?? "")];
    expect(logs.length).toBeGreaterThan(3);
    for (const line of everything) {
      expect(line).not.toContain(PASSWORD);
      expect(line).not.toContain("wrong-Pa55-guess");
    }
  });
});

describe("SMTP settings", () => {
  it("no SMTP configured (the local default): no sender, the rows stay for the mail catcher", () => {
    expect(smtpSettingsFrom({})).toBeNull();
    const env = parseJobsEnv({
      DATABASE_URL: "postgres://x",
      APP_DATABASE_URL: "postgres://x",
      SUPABASE_URL: "http://localhost:54321",
      SUPABASE_SERVICE_ROLE_KEY: "x".repeat(40),
      CREDENTIALS_PRIVATE_KEYS: "k1:abc",
      SYNC_MARKET_DATA_WORKERS: "0",
    });
    expect(smtpSettingsFrom(env)).toBeNull();
  });

  it("reads Supabase Auth's SMTP_* names or one SMTP_URL", () => {
    expect(
      smtpSettingsFrom({
        SMTP_HOST: "smtp.example.com",
        SMTP_PORT: 465,
        SMTP_USER: "u",
        SMTP_PASS: "p",
        SMTP_ADMIN_EMAIL: "a@example.com",
        SMTP_SENDER_NAME: "RJ",
      }),
    ).toEqual({ host: "smtp.example.com", port: 465, secure: true, auth: { user: "u", pass: "p" }, from: "RJ <a@example.com>" });
    expect(smtpSettingsFrom({ SMTP_URL: "smtp://u%40x:p%2Fq@mail.example.com", SMTP_ADMIN_EMAIL: "a@example.com" })).toEqual({
      host: "mail.example.com",
      port: 587,
      secure: false,
      auth: { user: "u@x", pass: "p/q" },
      from: "RawJournal <a@example.com>",
    });
    expect(() => smtpSettingsFrom({ SMTP_URL: `smtp://u:${PASSWORD}@h` })).toThrow(/SMTP_ADMIN_EMAIL/);
    expect(() => smtpSettingsFrom({ SMTP_URL: `smtp://u:${PASSWORD}@h` })).not.toThrow(new RegExp(PASSWORD));
  });
});
