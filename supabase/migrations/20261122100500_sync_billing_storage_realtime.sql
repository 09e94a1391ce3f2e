-- Sync scheduling state, worker health, processed Stripe events, the
-- screenshots bucket and what Realtime may carry.

-- Who is online, as the jobs process reads it from the presence roster.
create table public.sync_presence (
  user_id uuid primary key references public.profiles (id) on delete cascade,
  state text not null default 'offline' check (state in ('online', 'grace', 'offline')),
  online_since timestamptz,
  last_seen_at timestamptz,
  -- While state = 'grace': sync continues until this moment (5 minutes after the last tab left).
  grace_until timestamptz,
  updated_at timestamptz not null default now()
);

create trigger sync_presence_set_updated_at before update on public.sync_presence
  for each row execute function public.set_updated_at();

alter table public.sync_presence enable row level security;
create policy sync_presence_select_own on public.sync_presence
  for select to authenticated using (user_id = (select auth.uid()));
revoke all on public.sync_presence from anon;
revoke insert, update, delete, truncate on public.sync_presence from authenticated;

-- Scheduler internals per MT5 account (the user-facing status is on accounts).
create table public.account_sync_state (
  account_id uuid primary key,
  user_id uuid not null,
  -- Catch-up cursor: deals up to this broker time are in.
  last_deal_time timestamptz,
  last_light_sync_at timestamptz,
  last_full_sync_at timestamptz,
  first_sync_completed_at timestamptz,
  consecutive_login_failures smallint not null default 0 check (consecutive_login_failures >= 0),
  paused_at timestamptz,
  paused_reason text,
  next_light_sync_at timestamptz,
  next_full_sync_at timestamptz,
  updated_at timestamptz not null default now(),
  foreign key (account_id, user_id) references public.accounts (id, user_id) on delete cascade
);

create index account_sync_state_user_idx on public.account_sync_state (user_id);

create trigger account_sync_state_set_updated_at before update on public.account_sync_state
  for each row execute function public.set_updated_at();

alter table public.account_sync_state enable row level security;
create policy account_sync_state_select_own on public.account_sync_state
  for select to authenticated using (user_id = (select auth.uid()));
revoke all on public.account_sync_state from anon;
revoke insert, update, delete, truncate on public.account_sync_state from authenticated;

-- Terminal workers report here every 10 s; admins read it.
create table public.worker_health (
  worker_id text primary key,
  kind text not null check (kind in ('trade', 'market_data')),
  host text,
  pid integer,
  status text not null check (status in ('starting', 'idle', 'busy', 'restarting', 'stopped', 'error')),
  current_job text,
  current_mt5_server text,
  jobs_completed bigint not null default 0,
  last_error text,
  started_at timestamptz not null default now(),
  terminal_started_at timestamptz,
  last_heartbeat_at timestamptz not null default now()
);

alter table public.worker_health enable row level security;
create policy worker_health_readable_by_admins on public.worker_health
  for select to authenticated using ((select public.is_admin()));
revoke all on public.worker_health from anon;
revoke insert, update, delete, truncate on public.worker_health from authenticated;

-- Stripe webhook events already processed (idempotency). Server-only: no
-- client role has any privilege on it.
create table public.stripe_events (
  id text primary key check (id ~ '^evt_'),
  type text not null,
  user_id uuid references public.profiles (id) on delete set null,
  received_at timestamptz not null default now(),
  processed_at timestamptz,
  payload jsonb not null
);

alter table public.stripe_events enable row level security;
revoke all on public.stripe_events from anon, authenticated;

-- Screenshots ------------------------------------------------------------------------
-- Private bucket; objects are named "<user id>/<trade id>/<file>" and each user
-- reaches only their own folder.
insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('trade-screenshots', 'trade-screenshots', false, 5242880, array['image/png', 'image/jpeg', 'image/webp'])
on conflict (id) do update
  set public = excluded.public,
      file_size_limit = excluded.file_size_limit,
      allowed_mime_types = excluded.allowed_mime_types;

create policy trade_screenshots_insert_own_folder on storage.objects
  for insert to authenticated
  with check (bucket_id = 'trade-screenshots' and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy trade_screenshots_select_own_folder on storage.objects
  for select to authenticated
  using (bucket_id = 'trade-screenshots' and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy trade_screenshots_update_own_folder on storage.objects
  for update to authenticated
  using (bucket_id = 'trade-screenshots' and (storage.foldername(name))[1] = (select auth.uid())::text)
  with check (bucket_id = 'trade-screenshots' and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy trade_screenshots_delete_own_folder on storage.objects
  for delete to authenticated
  using (bucket_id = 'trade-screenshots' and (storage.foldername(name))[1] = (select auth.uid())::text);

-- Realtime ------------------------------------------------------------------------
-- postgres_changes for these tables reach each subscriber only for rows RLS
-- lets them select. DELETE events skip RLS and carry the primary key only, so
-- these tables keep the default replica identity (never FULL).
alter publication supabase_realtime add table
  public.trades, public.open_positions, public.accounts, public.candle_cache;

-- Presence: each browser tab tracks itself on the private topic
-- 'presence:<user id>'. A user may join and track only their own topic and may
-- not read presence at all; the jobs process (service role, which bypasses RLS)
-- is the only reader of the rosters.
create policy presence_join_own_topic on realtime.messages
  for select to authenticated
  using (realtime.topic() = 'presence:' || (select auth.uid())::text and extension = 'broadcast');
create policy presence_track_own_topic on realtime.messages
  for insert to authenticated
  with check (realtime.topic() = 'presence:' || (select auth.uid())::text and extension = 'presence');

-- Private per-user topic for server-sent notices ("EURUSD buy closed +$47.50").
create policy user_topic_read_own on realtime.messages
  for select to authenticated
  using (realtime.topic() = 'user:' || (select auth.uid())::text and extension = 'broadcast');
