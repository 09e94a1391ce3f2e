-- Connecting an MT5 account: the app never talks to a terminal, the jobs
-- process does. So "verify before saving" is a request row the app writes and
-- the jobs process answers (docs/decisions/011-mt5-connection-checks.md):
--
--   app action  ── request_mt5_connection_check() ──▶ row 'pending' + NOTIFY
--   jobs        ── login through a terminal worker ──▶ 'ok' with the account's
--                  details, or 'failed' with a code; ciphertext wiped either way
--   app action  ── polls the row (RLS: own rows) ──▶ on 'ok' creates the account
--                  and stores the password under the account's own id.
--
-- The ciphertext is readable by nobody but the service role: clients get
-- column privileges that leave it out.

create table public.mt5_connection_checks (
  id uuid primary key,
  user_id uuid not null references public.profiles (id) on delete cascade,
  mt5_server text not null check (char_length(mt5_server) between 1 and 120),
  mt5_login bigint not null check (mt5_login > 0),
  -- AES-256-GCM (app/lib/credential-crypto.server.ts) with this row's id as
  -- context; null once the jobs process has used it.
  password_ciphertext bytea,
  key_id text,
  status text not null default 'pending' check (status in ('pending', 'running', 'ok', 'failed')),
  -- auth_failed | trade_allowed | timeout | server_unreachable | terminal_crashed | internal | expired
  error_code text,
  error_message text check (char_length(error_message) <= 500),
  -- What the broker reported on success: name, currency, company, margin mode,
  -- leverage, trade mode, the measured server clock offset and the zone it implies.
  result jsonb,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  expires_at timestamptz not null default now() + interval '2 minutes'
);

create index mt5_connection_checks_user_idx on public.mt5_connection_checks (user_id, created_at desc);
create index mt5_connection_checks_pending_idx on public.mt5_connection_checks (created_at) where status = 'pending';

alter table public.mt5_connection_checks enable row level security;
create policy mt5_connection_checks_select_own on public.mt5_connection_checks
  for select to authenticated using (user_id = (select auth.uid()));
create policy mt5_connection_checks_delete_own on public.mt5_connection_checks
  for delete to authenticated using (user_id = (select auth.uid()));
revoke all on public.mt5_connection_checks from anon, authenticated;
grant select (id, user_id, mt5_server, mt5_login, status, error_code, error_message, result,
              created_at, started_at, finished_at, expires_at)
  on public.mt5_connection_checks to authenticated;
grant delete on public.mt5_connection_checks to authenticated;

-- The app's one way in: the caller's own row, at most 10 a minute per user.
create or replace function public.request_mt5_connection_check(
  p_id uuid, p_server text, p_login bigint, p_ciphertext bytea, p_key_id text
) returns void
language plpgsql security definer set search_path = '' as $$
declare
  caller uuid := (select auth.uid());
  recent integer;
begin
  if caller is null then
    raise exception using errcode = '42501', message = 'sign in first';
  end if;
  perform pg_advisory_xact_lock(hashtextextended('mt5-check:' || caller::text, 0));
  select count(*) into recent from public.mt5_connection_checks
    where user_id = caller and created_at > now() - interval '1 minute';
  if recent >= 10 then
    raise exception using errcode = 'RJ005', message = 'connection_check_rate_limited',
      detail = 'Too many connection attempts; wait a minute and try again.';
  end if;
  insert into public.mt5_connection_checks (id, user_id, mt5_server, mt5_login, password_ciphertext, key_id)
  values (p_id, caller, p_server, p_login, p_ciphertext, p_key_id);
end
$$;
revoke execute on function public.request_mt5_connection_check(uuid, text, bigint, bytea, text) from public, anon;
grant execute on function public.request_mt5_connection_check(uuid, text, bigint, bytea, text) to authenticated;

-- Wakes the jobs process at once (it also polls, so a missed notification only delays).
create or replace function public.notify_mt5_connection_check() returns trigger
language plpgsql as $$
begin
  perform pg_notify('mt5_connection_check', new.id::text);
  return new;
end
$$;
create trigger mt5_connection_checks_notify after insert on public.mt5_connection_checks
  for each row execute function public.notify_mt5_connection_check();

-- A light sync that sees a position disappear asks for a full deal check; the
-- request survives a jobs restart until the check runs (docs/decisions/009).
alter table public.account_sync_state
  add column deal_check_requested_at timestamptz,
  -- The highest deal ticket stored: MT5 deal tickets grow with execution, so a
  -- fetched deal with a higher ticket is new (last_deal_time bounds the query).
  add column last_deal_ticket bigint,
  -- The broker clock offset the last sync measured (minutes east of UTC).
  add column measured_server_offset_minutes smallint;

-- What the admin page shows about the sync engine. The jobs process writes a
-- row per pg-boss queue every 10 s (the app never reads pg-boss's own schema).
create table public.sync_queue_stats (
  queue text primary key,
  queued integer not null default 0 check (queued >= 0),
  active integer not null default 0 check (active >= 0),
  deferred integer not null default 0 check (deferred >= 0),
  failed_last_hour integer not null default 0 check (failed_last_hour >= 0),
  updated_at timestamptz not null default now()
);

alter table public.sync_queue_stats enable row level security;
create policy sync_queue_stats_readable_by_admins on public.sync_queue_stats
  for select to authenticated using ((select public.is_admin()));
revoke all on public.sync_queue_stats from anon;
revoke insert, update, delete, truncate on public.sync_queue_stats from authenticated;

-- Admins see who is online (the admin page); users still see only their own row.
drop policy sync_presence_select_own on public.sync_presence;
create policy sync_presence_select_own_or_admin on public.sync_presence
  for select to authenticated using (user_id = (select auth.uid()) or (select public.is_admin()));
