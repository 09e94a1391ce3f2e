-- Users, their settings and what each plan allows.

-- Shared helpers ------------------------------------------------------------------

create or replace function public.set_updated_at() returns trigger
language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end
$$;

-- Plans: the single source of the tier limits. app/domain/entitlements.ts holds
-- the same numbers and a test keeps the two equal.
create table public.plan_limits (
  tier text primary key check (tier in ('free', 'pro', 'elite')),
  -- null = unlimited
  max_accounts integer check (max_accounts >= 0),
  max_mt5_accounts integer not null check (max_mt5_accounts >= 0),
  monthly_trade_limit integer check (monthly_trade_limit >= 0),
  priority_sync boolean not null default false,
  price_usd_cents integer not null check (price_usd_cents >= 0)
);

insert into public.plan_limits (tier, max_accounts, max_mt5_accounts, monthly_trade_limit, priority_sync, price_usd_cents) values
  ('free',  1,    0, 15,   false, 0),
  ('pro',   null, 1, null, false, 1299),
  ('elite', null, 5, null, true,  3000);

alter table public.plan_limits enable row level security;
create policy plan_limits_readable_by_everyone on public.plan_limits
  for select to anon, authenticated using (true);
revoke insert, update, delete, truncate on public.plan_limits from anon, authenticated;

-- Profiles --------------------------------------------------------------------------

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  email text not null,
  full_name text check (char_length(full_name) <= 120),
  subscription_tier text not null default 'free' references public.plan_limits (tier),
  subscription_status text not null default 'active'
    check (subscription_status in ('active', 'trialing', 'past_due', 'canceled', 'incomplete', 'unpaid')),
  subscription_current_period_end timestamptz,
  stripe_customer_id text unique,
  stripe_subscription_id text unique,
  is_admin boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create trigger profiles_set_updated_at before update on public.profiles
  for each row execute function public.set_updated_at();

alter table public.profiles enable row level security;
create policy profiles_select_own on public.profiles
  for select to authenticated using (id = (select auth.uid()));
create policy profiles_update_own on public.profiles
  for update to authenticated using (id = (select auth.uid())) with check (id = (select auth.uid()));
-- Tier, Stripe ids and the admin flag are written by webhooks (service role)
-- only: a user may change their own name and nothing else.
revoke insert, update, delete, truncate on public.profiles from anon, authenticated;
revoke select on public.profiles from anon;
grant update (full_name) on public.profiles to authenticated;

-- Per-user settings -------------------------------------------------------------------

-- Named IANA zones only ("Europe/London", "UTC"); PostgreSQL also accepts POSIX
-- strings such as "UTC+3" whose sign is inverted, which users would misread.
create or replace function public.is_valid_time_zone(name text) returns boolean
language plpgsql stable as $$
begin
  if name is null or name !~ '^[A-Za-z]+(/[A-Za-z0-9_+-]+)*$' then
    return false;
  end if;
  perform now() at time zone name;
  return true;
exception when invalid_parameter_value then
  return false;
end
$$;

create table public.user_settings (
  user_id uuid primary key references public.profiles (id) on delete cascade,
  -- IANA zone the user sees times in.
  time_zone text not null default 'UTC' check (public.is_valid_time_zone(time_zone)),
  -- A trading day runs from this hour in trading_day_time_zone to the same hour
  -- the next day (FX convention: 17:00 New York).
  trading_day_start_hour smallint not null default 17 check (trading_day_start_hour between 0 and 23),
  trading_day_time_zone text not null default 'America/New_York' check (public.is_valid_time_zone(trading_day_time_zone)),
  default_risk_percent numeric check (default_risk_percent > 0 and default_risk_percent <= 100),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create trigger user_settings_set_updated_at before update on public.user_settings
  for each row execute function public.set_updated_at();

alter table public.user_settings enable row level security;
create policy user_settings_select_own on public.user_settings
  for select to authenticated using (user_id = (select auth.uid()));
create policy user_settings_update_own on public.user_settings
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
revoke insert, delete, truncate on public.user_settings from anon, authenticated;
revoke select, update on public.user_settings from anon;

-- Profile and settings rows exist from the moment the auth user does.
create or replace function public.handle_new_auth_user() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.profiles (id, email, full_name)
  values (
    new.id,
    coalesce(new.email, ''),
    nullif(left(coalesce(new.raw_user_meta_data ->> 'full_name', new.raw_user_meta_data ->> 'name', ''), 120), '')
  );
  insert into public.user_settings (user_id, time_zone)
  values (
    new.id,
    case
      when public.is_valid_time_zone(new.raw_user_meta_data ->> 'time_zone') then new.raw_user_meta_data ->> 'time_zone'
      else 'UTC'
    end
  );
  return new;
end
$$;

create trigger on_auth_user_created after insert on auth.users
  for each row execute function public.handle_new_auth_user();

-- A confirmed email change on the auth user is mirrored on the profile.
create or replace function public.handle_auth_user_email_change() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update public.profiles set email = coalesce(new.email, '') where id = new.id;
  return new;
end
$$;

create trigger on_auth_user_email_changed after update of email on auth.users
  for each row when (old.email is distinct from new.email)
  execute function public.handle_auth_user_email_change();

-- Entitlement helpers used by triggers and policies.
create or replace function public.user_tier(p_user_id uuid) returns text
language sql stable security definer set search_path = '' as $$
  select coalesce((select subscription_tier from public.profiles where id = p_user_id), 'free')
$$;

create or replace function public.is_admin() returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce((select is_admin from public.profiles where id = (select auth.uid())), false)
$$;

revoke execute on function public.handle_new_auth_user() from public, anon, authenticated;
revoke execute on function public.handle_auth_user_email_change() from public, anon, authenticated;
