-- Trading accounts, their encrypted MT5 credentials and their cash ledger.

-- Broker server clocks. Most MT5 brokers run "New York + 7 hours" (GMT+2 in
-- winter, GMT+3 in summer, switching on the US dates), which no IANA zone
-- matches; it is written 'NY+7'. Anything else is an IANA zone name.
create or replace function public.is_valid_server_time_zone(zone text) returns boolean
language sql stable as $$
  select zone = 'NY+7' or public.is_valid_time_zone(zone)
$$;

-- Broker server wall-clock time to UTC.
create or replace function public.server_time_to_utc(server_time timestamp, zone text) returns timestamptz
language sql stable as $$
  select case
    when zone = 'NY+7' then (server_time - interval '7 hours') at time zone 'America/New_York'
    else server_time at time zone zone
  end
$$;

create table public.accounts (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.profiles (id) on delete cascade,
  name text not null check (char_length(name) between 1 and 80),
  kind text not null default 'manual' check (kind in ('manual', 'mt5')),
  broker text check (char_length(broker) <= 120),
  mt5_server text check (char_length(mt5_server) <= 120),
  mt5_login bigint check (mt5_login > 0),
  currency text not null default 'USD' check (currency ~ '^[A-Z]{3,4}$'),
  initial_balance numeric not null default 0,
  margin_mode text not null default 'hedging' check (margin_mode in ('hedging', 'netting')),
  server_time_zone text not null default 'NY+7' check (public.is_valid_server_time_zone(server_time_zone)),
  -- Whether server_time_zone was confirmed (by the user or detected on sync).
  server_time_zone_confirmed boolean not null default false,
  leverage integer check (leverage > 0),
  -- Last figures the broker reported, as reported.
  balance numeric,
  equity numeric,
  margin numeric,
  free_margin numeric,
  -- What the user sees of sync; scheduler internals live in account_sync_state.
  sync_enabled boolean not null default true,
  sync_status text not null default 'idle'
    check (sync_status in ('idle', 'pending', 'syncing', 'ok', 'error', 'paused')),
  sync_error text,
  last_synced_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Child rows reference (id, user_id) so a row can never point at another
  -- user's account, whatever ids a client sends.
  unique (id, user_id),
  constraint mt5_accounts_have_login check (kind <> 'mt5' or (mt5_server is not null and mt5_login is not null)),
  constraint mt5_account_once_per_user unique (user_id, mt5_server, mt5_login)
);

create index accounts_user_id_idx on public.accounts (user_id);
create index accounts_mt5_server_idx on public.accounts (mt5_server) where kind = 'mt5';

create trigger accounts_set_updated_at before update on public.accounts
  for each row execute function public.set_updated_at();

alter table public.accounts enable row level security;
create policy accounts_select_own on public.accounts
  for select to authenticated using (user_id = (select auth.uid()));
create policy accounts_insert_own on public.accounts
  for insert to authenticated with check (user_id = (select auth.uid()));
create policy accounts_update_own on public.accounts
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy accounts_delete_own on public.accounts
  for delete to authenticated using (user_id = (select auth.uid()));
revoke all on public.accounts from anon;

-- Account limits per plan, enforced here as well as in the app.
create or replace function public.enforce_account_limits() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  limits public.plan_limits;
  total_accounts integer;
  mt5_accounts integer;
begin
  if tg_op = 'UPDATE' and new.kind = old.kind and new.user_id = old.user_id then
    return new;
  end if;
  perform pg_advisory_xact_lock(hashtextextended('accounts:' || new.user_id::text, 0));
  select * into limits from public.plan_limits where tier = public.user_tier(new.user_id);
  select count(*), count(*) filter (where kind = 'mt5')
    into total_accounts, mt5_accounts
    from public.accounts
    where user_id = new.user_id and id <> new.id;
  if limits.max_accounts is not null and total_accounts + 1 > limits.max_accounts then
    raise exception using
      errcode = 'RJ003',
      message = 'account_limit_reached',
      detail = format('The %s plan allows %s account(s).', limits.tier, limits.max_accounts),
      hint = 'upgrade';
  end if;
  if new.kind = 'mt5' and mt5_accounts + 1 > limits.max_mt5_accounts then
    raise exception using
      errcode = 'RJ004',
      message = 'mt5_account_limit_reached',
      detail = format('The %s plan allows %s MT5 account(s).', limits.tier, limits.max_mt5_accounts),
      hint = 'upgrade';
  end if;
  return new;
end
$$;

create trigger accounts_enforce_limits before insert or update of kind, user_id on public.accounts
  for each row execute function public.enforce_account_limits();

-- Investor passwords, encrypted by the app (AES-256-GCM) before they reach the
-- database. No client role can read this table, not even the ciphertext:
-- clients write through set_account_credentials(), the jobs process reads as
-- service_role.
create table public.account_credentials (
  account_id uuid primary key,
  user_id uuid not null,
  password_ciphertext bytea not null,
  -- Which ENCRYPTION_KEYS entry encrypted it, so keys can rotate.
  key_id text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (account_id, user_id) references public.accounts (id, user_id) on delete cascade
);

create trigger account_credentials_set_updated_at before update on public.account_credentials
  for each row execute function public.set_updated_at();

alter table public.account_credentials enable row level security;
revoke all on public.account_credentials from anon, authenticated;

create or replace function public.set_account_credentials(p_account_id uuid, p_ciphertext bytea, p_key_id text)
returns void
language plpgsql security definer set search_path = '' as $$
declare
  owner_id uuid;
begin
  select user_id into owner_id from public.accounts where id = p_account_id;
  if owner_id is null or owner_id is distinct from (select auth.uid()) then
    raise exception using errcode = '42501', message = 'not your account';
  end if;
  insert into public.account_credentials (account_id, user_id, password_ciphertext, key_id)
  values (p_account_id, owner_id, p_ciphertext, p_key_id)
  on conflict (account_id) do update
    set password_ciphertext = excluded.password_ciphertext, key_id = excluded.key_id;
end
$$;
revoke execute on function public.set_account_credentials(uuid, bytea, text) from public, anon;
grant execute on function public.set_account_credentials(uuid, bytea, text) to authenticated, service_role;

-- Cash that moves without a trade: deposits, withdrawals, credits, bonuses,
-- standalone commissions and charges, as MT5 reports them in Deals.
create table public.cash_movements (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null,
  account_id uuid not null,
  kind text not null check (kind in (
    'deposit', 'withdrawal', 'credit', 'bonus', 'commission', 'charge', 'correction',
    'interest', 'dividend', 'tax', 'other')),
  amount numeric not null,
  occurred_at timestamptz not null,
  server_utc_offset_minutes smallint,
  -- Broker deal ticket when there is one; identity for re-imports and sync.
  deal_id text,
  comment text check (char_length(comment) <= 500),
  source text not null default 'manual' check (source in ('manual', 'file', 'mt5')),
  import_batch_id uuid,
  created_at timestamptz not null default now(),
  foreign key (account_id, user_id) references public.accounts (id, user_id) on delete cascade,
  unique (account_id, deal_id)
);

create index cash_movements_user_time_idx on public.cash_movements (user_id, occurred_at);
create index cash_movements_account_time_idx on public.cash_movements (account_id, occurred_at);

alter table public.cash_movements enable row level security;
create policy cash_movements_select_own on public.cash_movements
  for select to authenticated using (user_id = (select auth.uid()));
create policy cash_movements_insert_own on public.cash_movements
  for insert to authenticated with check (user_id = (select auth.uid()));
create policy cash_movements_update_own on public.cash_movements
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy cash_movements_delete_own on public.cash_movements
  for delete to authenticated using (user_id = (select auth.uid()));
revoke all on public.cash_movements from anon;
