-- Least privilege for the web process (issue 19 item 10, docs/decisions/021).
--
-- The web process logs in as `rawjournal_web`, which can become `anon` and
-- `authenticated` only: never `service_role`, never the owner. `authenticator`
-- (Supabase's own login, which can become service_role) is left to PostgREST
-- and to the jobs process. What the web process must still do outside a
-- user's RLS transaction it does through the functions granted below, each
-- with the narrowest surface that does the job:
--   - rate limits, the session check and readiness (as its own login);
--   - the Stripe webhook: billing.* (as its own login, after the signature check);
--   - deleting one's own account: public.delete_own_account() (as the user).

-- The web login ---------------------------------------------------------------
-- Created without a password: set one when deploying
-- (`alter role rawjournal_web with password '…'`); the local stack's bootstrap
-- creates it with the local password before this runs.
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'rawjournal_web') then
    create role rawjournal_web login noinherit;
  end if;
end
$$;
-- NOINHERIT: as itself it holds only what is granted to it by name below; a
-- request's transaction takes on anon or authenticated (ADR 002).
grant anon, authenticated to rawjournal_web;
grant usage on schema public to rawjournal_web;

grant usage on schema rate_limit to rawjournal_web;
grant execute on function rate_limit.take(text[], text[], boolean[]) to rawjournal_web;
grant execute on function rate_limit.prune() to rawjournal_web;
grant execute on function public.auth_session_active(uuid, uuid) to rawjournal_web;
grant execute on function public.readiness() to rawjournal_web;

-- The Stripe webhook ------------------------------------------------------------
-- The webhook verifies Stripe's signature and then applies the event in one
-- transaction on the web login. It used to do so as service_role (every row of
-- every table); now it can call exactly these five functions, which touch the
-- billing columns of profiles, stripe_events and the payment-failed email.
-- They belong to the migration owner: a role without BYPASSRLS would need
-- USING (true) policies on profiles, and Supabase's non-superuser owner cannot
-- create a BYPASSRLS role on PostgreSQL 15.
create schema billing;
revoke all on schema billing from public;
grant usage on schema billing to rawjournal_web;

-- Whose event: the customer id stored at checkout wins; else the user the app
-- named on the checkout or subscription, if that user has no other customer.
create function billing.event_owner(p_customer_id text, p_claimed_user_id uuid) returns uuid
language sql stable security definer set search_path = '' as $$
  select coalesce(
    (select id from public.profiles where p_customer_id is not null and stripe_customer_id = p_customer_id),
    (select id from public.profiles where id = p_claimed_user_id and stripe_customer_id is null)
  )
$$;

-- Records the event once; false when it was already recorded (a replay).
create function billing.record_event(p_id text, p_type text, p_user_id uuid, p_payload text) returns boolean
language sql volatile security definer set search_path = '' as $$
  with recorded as (
    insert into public.stripe_events (id, type, user_id, payload, processed_at)
    values (p_id, p_type, p_user_id, p_payload::jsonb, now())
    on conflict (id) do nothing
    returning id
  )
  select exists (select 1 from recorded)
$$;

-- The user's billing state, locked until the caller's transaction ends.
create function billing.lock_profile(p_user_id uuid)
returns table (
  tier text, "customerId" text, "subscriptionId" text, status text, "priceId" text, "cancelAtPeriodEnd" boolean,
  "currentPeriodEnd" timestamptz, "startedAt" timestamptz, "stateAt" timestamptz, "graceEndsAt" timestamptz
)
language sql volatile security definer set search_path = '' as $$
  select subscription_tier, stripe_customer_id, stripe_subscription_id, subscription_status, subscription_price_id,
         subscription_cancel_at_period_end, subscription_current_period_end, subscription_started_at,
         subscription_state_at, billing_grace_ends_at
    from public.profiles where id = p_user_id
     for update
$$;

create function billing.write_profile(
  p_user_id uuid, p_tier text, p_customer_id text, p_subscription_id text, p_status text, p_price_id text,
  p_cancel_at_period_end boolean, p_current_period_end timestamptz, p_started_at timestamptz,
  p_state_at timestamptz, p_grace_ends_at timestamptz
) returns void
language sql volatile security definer set search_path = '' as $$
  update public.profiles set
    subscription_tier = p_tier, stripe_customer_id = p_customer_id, stripe_subscription_id = p_subscription_id,
    subscription_status = p_status, subscription_price_id = p_price_id,
    subscription_cancel_at_period_end = p_cancel_at_period_end, subscription_current_period_end = p_current_period_end,
    subscription_started_at = p_started_at, subscription_state_at = p_state_at, billing_grace_ends_at = p_grace_ends_at
  where id = p_user_id
$$;

-- Queues the payment-failed email to the user's own address, once per dedupe key.
create function billing.queue_payment_failed_email(p_user_id uuid, p_subject text, p_text text, p_html text, p_dedupe_key text)
returns void
language sql volatile security definer set search_path = '' as $$
  insert into public.outgoing_emails (user_id, to_address, kind, subject, text_body, html_body, dedupe_key)
  select id, email, 'payment_failed', p_subject, p_text, p_html, p_dedupe_key
    from public.profiles where id = p_user_id and email <> ''
  on conflict (dedupe_key) do nothing
$$;

revoke execute on all functions in schema billing from public, anon, authenticated, service_role;
grant execute on all functions in schema billing to rawjournal_web;

-- Deleting one's own account ----------------------------------------------------
-- The web process no longer holds the service-role API key that Auth's admin
-- API needs. Deleting the caller's auth.users row is what that API does; it
-- cascades to every row the user owns (profiles → everything) and to their
-- Auth sessions and identities.
create function public.delete_own_account() returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  caller uuid := (select auth.uid());
begin
  if caller is null then
    raise exception using errcode = '42501', message = 'sign in first';
  end if;
  delete from auth.users where id = caller;
end
$$;
revoke execute on function public.delete_own_account() from public, anon, service_role;
grant execute on function public.delete_own_account() to authenticated;

-- No recoverable investor-password ciphertext in table pages --------------------
-- PostgreSQL never overwrites a row in place: an UPDATE or DELETE leaves the
-- old version, ciphertext included, in the table's pages, and even a plain
-- VACUUM only marks its space free. "Wipe before delete" is therefore
-- impossible in SQL; the jobs process rewrites both tables with VACUUM FULL
-- (jobs/credentials/wipe-dead-credentials.ts) whenever a row holding a
-- ciphertext was updated or deleted, which this counter records.
create table public.credential_wipe_state (
  id boolean primary key default true check (id),
  -- Incremented by every update or delete of a row that held a ciphertext.
  dirtied bigint not null default 0,
  -- The value of `dirtied` the last rewrite covered.
  vacuumed bigint not null default 0,
  vacuumed_at timestamptz
);
insert into public.credential_wipe_state (id) values (true);
alter table public.credential_wipe_state enable row level security;
revoke all on public.credential_wipe_state from anon, authenticated;

create function public.note_dead_credential_row() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update public.credential_wipe_state set dirtied = dirtied + 1;
  return null;
end
$$;
revoke execute on function public.note_dead_credential_row() from public, anon, authenticated, service_role;

create trigger account_credentials_note_dead_row after update or delete on public.account_credentials
  for each row execute function public.note_dead_credential_row();
create trigger mt5_connection_checks_note_dead_row after update or delete on public.mt5_connection_checks
  for each row when (old.password_ciphertext is not null) execute function public.note_dead_credential_row();
