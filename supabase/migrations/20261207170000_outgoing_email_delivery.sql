-- Delivery state of public.outgoing_emails (issue 15 item 5): the jobs
-- process's outgoing-email queue sends the rows over SMTP
-- (jobs/mail/send-outgoing-emails.ts). A row is claimed in a committed
-- transaction (`sending_since`, `attempts`) before it is handed to the SMTP
-- server, so a second worker never picks it up; a send whose outcome is unknown
-- (the process died mid-send) is marked failed rather than sent again.
--   unsent:  sent_at, failed_at and sending_since null; due at next_attempt_at
--   sending: sending_since set
--   sent:    sent_at + the server's message id
--   failed:  failed_at + last_error (a permanent refusal or the last attempt)
alter table public.outgoing_emails
  add column attempts integer not null default 0 check (attempts >= 0),
  add column next_attempt_at timestamptz not null default now(),
  add column sending_since timestamptz,
  add column last_error text,
  add column failed_at timestamptz,
  add column message_id text;

create index outgoing_emails_due_idx on public.outgoing_emails (next_attempt_at)
  where sent_at is null and failed_at is null and sending_since is null;
