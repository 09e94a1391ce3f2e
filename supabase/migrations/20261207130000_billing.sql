-- Billing (issue 15): the Stripe subscription mirrored on the profile, yearly
-- prices, the emails billing sends, and what a plan's limits mean for accounts
-- a user already has when their plan shrinks.
--
-- profiles.subscription_tier stays the one tier everything enforces
-- (public.user_tier()). Only the Stripe webhook (service role) and the
-- billing-grace job write it, in the same transaction that records why.

-- Yearly prices beside the monthly ones (app/domain/entitlements.ts holds the same).
alter table public.plan_limits add column price_usd_cents_yearly integer not null default 0 check (price_usd_cents_yearly >= 0);
update public.plan_limits set price_usd_cents_yearly = case tier when 'pro' then 12990 when 'elite' then 30000 else 0 end;

-- Every status Stripe gives a subscription.
alter table public.profiles drop constraint profiles_subscription_status_check;
alter table public.profiles add constraint profiles_subscription_status_check
  check (subscription_status in ('active', 'trialing', 'past_due', 'canceled', 'incomplete', 'incomplete_expired', 'unpaid', 'paused'));

alter table public.profiles
  add column subscription_price_id text,
  add column subscription_cancel_at_period_end boolean not null default false,
  -- The subscription's own creation time: a newer subscription replaces an older one.
  add column subscription_started_at timestamptz,
  -- Stripe's `created` of the event whose snapshot is stored: an older event never overwrites it.
  add column subscription_state_at timestamptz,
  -- While past_due: access continues until this moment, then the billing-grace job sets Free.
  add column billing_grace_ends_at timestamptz;

-- The checkout action runs as the signed-in user, who may not write Stripe
-- ids: this stores their customer id once and returns the one stored.
create or replace function public.claim_stripe_customer(p_customer_id text) returns text
language plpgsql security definer set search_path = '' as $$
declare
  stored text;
begin
  if (select auth.uid()) is null or p_customer_id !~ '^cus_' then
    raise exception using errcode = '42501', message = 'not allowed';
  end if;
  update public.profiles set stripe_customer_id = p_customer_id
   where id = (select auth.uid()) and stripe_customer_id is null;
  select stripe_customer_id into stored from public.profiles where id = (select auth.uid());
  return stored;
end
$$;
revoke execute on function public.claim_stripe_customer(text) from public, anon;
grant execute on function public.claim_stripe_customer(text) to authenticated;

-- Emails the app sends (payment failed, …), queued in the transaction that
-- decided to send them; `dedupe_key` makes a replayed cause queue nothing new.
create table public.outgoing_emails (
  id uuid primary key default gen_random_uuid(),
  user_id uuid references public.profiles (id) on delete cascade,
  to_address text not null,
  kind text not null check (kind in ('payment_failed')),
  subject text not null,
  text_body text not null,
  html_body text not null,
  dedupe_key text not null unique,
  created_at timestamptz not null default now(),
  sent_at timestamptz
);

create index outgoing_emails_unsent_idx on public.outgoing_emails (created_at) where sent_at is null;

alter table public.outgoing_emails enable row level security;
revoke all on public.outgoing_emails from anon, authenticated;

-- Accounts beyond the plan ------------------------------------------------------
-- Nothing is deleted when a plan shrinks. Accounts are kept in the order they
-- were added: those past the plan's account limit become read-only, and MT5
-- accounts past its MT5 limit stop syncing (they still take imports). Worked
-- out from the current tier on every read, so re-subscribing restores all.
--   'full'      within the plan
--   'no_sync'   an MT5 account past the MT5 limit: writable, not synced
--   'read_only' past the account limit: nothing added, changed or removed
create or replace function public.account_plan_access(p_account_id uuid) returns text
language sql stable security definer set search_path = '' as $$
  with owner as (
    select user_id from public.accounts
     where id = p_account_id and ((select auth.uid()) is null or user_id = (select auth.uid()))
  ),
  ranked as (
    select a.id, a.kind,
           row_number() over (order by a.created_at, a.id) as position,
           row_number() over (partition by a.kind order by a.created_at, a.id) as kind_position
      from public.accounts a
     where a.user_id = (select user_id from owner)
  )
  select case
           when l.max_accounts is not null and r.position > l.max_accounts then 'read_only'
           when r.kind = 'mt5' and r.kind_position > l.max_mt5_accounts then 'no_sync'
           else 'full'
         end
    from ranked r
    join public.plan_limits l on l.tier = public.user_tier((select user_id from owner))
   where r.id = p_account_id
$$;
revoke execute on function public.account_plan_access(uuid) from public, anon;
grant execute on function public.account_plan_access(uuid) to authenticated, service_role;

-- A user's writes (manual entry, imports, edits, deletions) to a read-only
-- account are refused. Jobs that maintain derived columns run as other roles
-- and pass. Statement-level, so an import of many rows checks each account once;
-- named to fire before the monthly trade limit, the more specific refusal first.
create or replace function public.refuse_writes_to_read_only_accounts() returns trigger
language plpgsql as $$
declare
  blocked record;
begin
  if current_user <> 'authenticated' then
    return null;
  end if;
  if tg_op = 'DELETE' then
    select a.name, public.user_tier(a.user_id) as tier into blocked
      from public.accounts a
     where a.id in (select distinct account_id from old_rows) and public.account_plan_access(a.id) = 'read_only'
     limit 1;
  else
    select a.name, public.user_tier(a.user_id) as tier into blocked
      from public.accounts a
     where a.id in (select distinct account_id from new_rows) and public.account_plan_access(a.id) = 'read_only'
     limit 1;
  end if;
  if blocked.name is not null then
    raise exception using
      errcode = 'RJ005',
      message = 'account_read_only',
      detail = format('"%s" is read-only on the %s plan: its trades stay visible, but nothing can be added or changed until you upgrade.', blocked.name, blocked.tier),
      hint = 'upgrade';
  end if;
  return null;
end
$$;

create trigger trades_enforce_account_writable_insert after insert on public.trades
  referencing new table as new_rows for each statement execute function public.refuse_writes_to_read_only_accounts();
create trigger trades_enforce_account_writable_update after update on public.trades
  referencing new table as new_rows for each statement execute function public.refuse_writes_to_read_only_accounts();
create trigger trades_enforce_account_writable_delete after delete on public.trades
  referencing old table as old_rows for each statement execute function public.refuse_writes_to_read_only_accounts();
create trigger cash_movements_enforce_account_writable_insert after insert on public.cash_movements
  referencing new table as new_rows for each statement execute function public.refuse_writes_to_read_only_accounts();
create trigger cash_movements_enforce_account_writable_update after update on public.cash_movements
  referencing new table as new_rows for each statement execute function public.refuse_writes_to_read_only_accounts();
create trigger cash_movements_enforce_account_writable_delete after delete on public.cash_movements
  referencing old table as old_rows for each statement execute function public.refuse_writes_to_read_only_accounts();
