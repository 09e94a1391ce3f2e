-- Analytics (issue 12).
--
-- 1. The trading day. metrics.md: a trade's day is the date of its close time
--    in the user's zone after the day-start shift, 00:00 by default. The first
--    schema defaulted to 17:00 New York, but nothing read it until now, so every
--    row moves to the new default; a null zone means "my own time zone".
alter table public.user_settings alter column trading_day_start_hour set default 0;
alter table public.user_settings alter column trading_day_time_zone drop not null;
alter table public.user_settings alter column trading_day_time_zone set default null;
alter table public.user_settings drop constraint user_settings_trading_day_time_zone_check;
alter table public.user_settings add constraint user_settings_trading_day_time_zone_check
  check (trading_day_time_zone is null or public.is_valid_time_zone(trading_day_time_zone));
update public.user_settings set trading_day_start_hour = 0, trading_day_time_zone = null;

-- 2. Freshness. Every change to what the figures are computed from bumps the
--    owner's data version (statement-level, so a 100,000-row import costs one
--    update per statement); cached figures carry the version they were
--    computed at and are used only while it is current.
create table public.analytics_data_versions (
  user_id uuid primary key references public.profiles (id) on delete cascade,
  version bigint not null default 0
);

alter table public.analytics_data_versions enable row level security;
create policy analytics_data_versions_select_own on public.analytics_data_versions
  for select to authenticated using (user_id = (select auth.uid()));
revoke insert, update, delete, truncate on public.analytics_data_versions from anon, authenticated;
revoke select on public.analytics_data_versions from anon;

create or replace function public.bump_analytics_version() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  -- A user being deleted (their rows go by cascade) has no figures left to keep fresh.
  if tg_op = 'DELETE' then
    insert into public.analytics_data_versions as v (user_id, version)
      select distinct o.user_id, 1 from old_rows o where exists (select 1 from public.profiles p where p.id = o.user_id)
      on conflict (user_id) do update set version = v.version + 1;
  else
    insert into public.analytics_data_versions as v (user_id, version)
      select distinct n.user_id, 1 from new_rows n where exists (select 1 from public.profiles p where p.id = n.user_id)
      on conflict (user_id) do update set version = v.version + 1;
  end if;
  return null;
end
$$;

do $$
declare
  tbl text;
begin
  foreach tbl in array array['trades', 'cash_movements', 'trade_tags', 'tags', 'accounts', 'user_settings'] loop
    execute format('create trigger %1$s_analytics_version_insert after insert on public.%1$s
                      referencing new table as new_rows for each statement execute function public.bump_analytics_version()', tbl);
    execute format('create trigger %1$s_analytics_version_update after update on public.%1$s
                      referencing new table as new_rows for each statement execute function public.bump_analytics_version()', tbl);
    execute format('create trigger %1$s_analytics_version_delete after delete on public.%1$s
                      referencing old table as old_rows for each statement execute function public.bump_analytics_version()', tbl);
  end loop;
end
$$;

-- 3. The cache: one row per user and view (filters, period bounds and day rule
--    in the key), replacing the first schema's per-period table, which no code
--    used. Its invalidation deleted a user's rows on each change, which races:
--    a load that read before a change could write its stale figures after the
--    delete. A version read in the load's own snapshot cannot go stale that way.
drop trigger trades_invalidate_analytics_on_insert on public.trades;
drop trigger trades_invalidate_analytics_on_update on public.trades;
drop trigger trades_invalidate_analytics_on_delete on public.trades;
drop trigger cash_movements_invalidate_analytics_on_insert on public.cash_movements;
drop trigger cash_movements_invalidate_analytics_on_update on public.cash_movements;
drop trigger cash_movements_invalidate_analytics_on_delete on public.cash_movements;
drop function public.invalidate_analytics_for_changed_rows();
drop table public.analytics_cache;
create table public.analytics_cache (
  user_id uuid not null references public.profiles (id) on delete cascade,
  cache_key text not null check (char_length(cache_key) <= 400),
  data_version bigint not null,
  payload jsonb not null,
  computed_at timestamptz not null default now(),
  primary key (user_id, cache_key)
);

alter table public.analytics_cache enable row level security;
create policy analytics_cache_select_own on public.analytics_cache
  for select to authenticated using (user_id = (select auth.uid()));
create policy analytics_cache_insert_own on public.analytics_cache
  for insert to authenticated with check (user_id = (select auth.uid()));
create policy analytics_cache_update_own on public.analytics_cache
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy analytics_cache_delete_own on public.analytics_cache
  for delete to authenticated using (user_id = (select auth.uid()));
revoke all on public.analytics_cache from anon;

-- Analytics reads a period of one account (or one currency's accounts) by
-- close time, and sums every earlier trade's net for the balance at the
-- period's start: with net_profit in the index that sum reads no table rows.
create index trades_account_closed_idx on public.trades (account_id, closed_at) include (net_profit) where status = 'closed';
