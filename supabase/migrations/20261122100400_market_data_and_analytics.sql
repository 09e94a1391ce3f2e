-- Shared market data (one copy for all users) and the per-user analytics cache.

create table public.candle_cache (
  symbol text not null check (char_length(symbol) between 1 and 40),
  timeframe text not null check (timeframe in ('M30', 'H1', 'H4', 'D1', 'W1')),
  -- Bar open time, UTC.
  opened_at timestamptz not null,
  open numeric not null,
  high numeric not null,
  low numeric not null,
  close numeric not null,
  tick_volume bigint not null default 0 check (tick_volume >= 0),
  updated_at timestamptz not null default now(),
  primary key (symbol, timeframe, opened_at),
  constraint candle_range_is_consistent check (low <= least(open, close) and high >= greatest(open, close))
);

alter table public.candle_cache enable row level security;
create policy candle_cache_readable_when_signed_in on public.candle_cache
  for select to authenticated using (true);
-- Written by the market-data worker (service role) only.
revoke all on public.candle_cache from anon;
revoke insert, update, delete, truncate on public.candle_cache from authenticated;

create table public.hot_symbols (
  symbol text primary key check (char_length(symbol) between 1 and 40),
  -- Last time an open position or a recent trade referenced it; dropped after 7 days.
  last_active_at timestamptz not null default now(),
  -- Earliest candle cached, per the 6-month backfill.
  candles_since timestamptz,
  last_fetched_at timestamptz
);

alter table public.hot_symbols enable row level security;
create policy hot_symbols_readable_when_signed_in on public.hot_symbols
  for select to authenticated using (true);
revoke all on public.hot_symbols from anon;
revoke insert, update, delete, truncate on public.hot_symbols from authenticated;

create table public.analytics_cache (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.profiles (id) on delete cascade,
  -- null = all of the user's accounts
  account_id uuid references public.accounts (id) on delete cascade,
  period text not null check (period in ('today', 'week', 'month', 'year', 'all')),
  -- The computed figures; their shape belongs to app/domain/analytics.
  payload jsonb not null,
  computed_at timestamptz not null default now(),
  unique nulls not distinct (user_id, account_id, period)
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

-- Any change to trades or cash invalidates the affected users' cached figures.
-- Statement-level with transition tables: one delete per statement, not per row.
-- Each trigger names its transition table changed_rows (NEW TABLE for inserts
-- and updates, OLD TABLE for deletes), so one function serves them all.
create or replace function public.invalidate_analytics_for_changed_rows() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  delete from public.analytics_cache where user_id in (select distinct user_id from changed_rows);
  return null;
end
$$;

create trigger trades_invalidate_analytics_on_insert after insert on public.trades
  referencing new table as changed_rows
  for each statement execute function public.invalidate_analytics_for_changed_rows();
create trigger trades_invalidate_analytics_on_update after update on public.trades
  referencing new table as changed_rows
  for each statement execute function public.invalidate_analytics_for_changed_rows();
create trigger trades_invalidate_analytics_on_delete after delete on public.trades
  referencing old table as changed_rows
  for each statement execute function public.invalidate_analytics_for_changed_rows();
create trigger cash_movements_invalidate_analytics_on_insert after insert on public.cash_movements
  referencing new table as changed_rows
  for each statement execute function public.invalidate_analytics_for_changed_rows();
create trigger cash_movements_invalidate_analytics_on_update after update on public.cash_movements
  referencing new table as changed_rows
  for each statement execute function public.invalidate_analytics_for_changed_rows();
create trigger cash_movements_invalidate_analytics_on_delete after delete on public.cash_movements
  referencing old table as changed_rows
  for each statement execute function public.invalidate_analytics_for_changed_rows();
