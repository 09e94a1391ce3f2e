-- Snapshot at exit (issue 14 item 6, docs/decisions/019): when a trade closes,
-- the bars of its chart's default window are copied next to it, so the chart
-- still renders once the shared cache has evicted them (or the broker no
-- longer serves them). One row per trade: its default timeframe only.
create table public.trade_candle_snapshots (
  trade_id uuid primary key references public.trades (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  symbol text not null check (char_length(symbol) between 1 and 40),
  -- pending: waiting for the window's bars; ready: bars copied;
  -- unavailable: the bars could not be had (reason says).
  status text not null default 'pending' check (status in ('pending', 'ready', 'unavailable')),
  reason text check (char_length(reason) <= 300),
  timeframe text check (timeframe in ('M1', 'M5', 'M15', 'M30', 'H1', 'H4', 'D1', 'W1')),
  from_at timestamptz,
  to_at timestamptz,
  -- [[open time (UTC epoch seconds), open, high, low, close], …] oldest first: drawn, never summed.
  bars jsonb check (bars is null or jsonb_typeof(bars) = 'array'),
  queued_at timestamptz not null default now(),
  taken_at timestamptz,
  attempts integer not null default 0,
  constraint ready_snapshot_has_bars check (status <> 'ready' or (bars is not null and timeframe is not null))
);
create index trade_candle_snapshots_pending on public.trade_candle_snapshots (queued_at) where status = 'pending';
create index trade_candle_snapshots_user on public.trade_candle_snapshots (user_id);

alter table public.trade_candle_snapshots enable row level security;
create policy trade_candle_snapshots_select_own on public.trade_candle_snapshots
  for select to authenticated using (user_id = (select auth.uid()));
-- Queued by the trigger below and written by the jobs process (service role) only.
revoke all on public.trade_candle_snapshots from anon;
revoke insert, update, delete, truncate on public.trade_candle_snapshots from authenticated;

-- A trade that closes now (closed within the last day when written: a sync or
-- a manual entry, not an import of last year's history) is queued for its
-- snapshot. Statement-level with transition tables, so an import of 10,000
-- rows costs one insert … select.
create or replace function public.queue_trade_candle_snapshots() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.trade_candle_snapshots (trade_id, user_id, symbol)
  select c.id, c.user_id, c.symbol from changed_rows c
   where c.status = 'closed' and c.closed_at > now() - interval '1 day'
  on conflict (trade_id) do nothing;
  return null;
end
$$;

create trigger trades_queue_candle_snapshot_on_insert after insert on public.trades
  referencing new table as changed_rows
  for each statement execute function public.queue_trade_candle_snapshots();
create trigger trades_queue_candle_snapshot_on_update after update on public.trades
  referencing new table as changed_rows
  for each statement execute function public.queue_trade_candle_snapshots();
