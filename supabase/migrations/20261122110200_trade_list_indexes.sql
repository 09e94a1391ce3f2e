-- Trade list (/trades): 100,000 trades for one user, any single filter and
-- any sort, p95 < 40 ms (docs/benchmarks.md, "Trade list").
--
-- Sorting: every sortable column has a (user_id, column, id) index, so the
-- first page is a walk of 50 index entries whichever column is chosen; id
-- makes the order total (equal values page stably) and the same index serves
-- both directions (scanned backwards for "desc"). Without id, low-cardinality
-- columns (side, session, status, symbol) sorted whole groups of tens of
-- thousands of rows for every page.
--
-- Counting: the same indexes give "N trades" for a single filter by an
-- index-only range scan (side, session, status, symbol, result, account)
-- instead of reading every matching row.
--
-- The (user_id, column) indexes of 20261122100200_trades.sql are prefixes of
-- these and are replaced rather than kept twice.
--
-- Win / loss / breakeven: numeric comparisons are not leakproof, so under RLS
-- Postgres may not use them in an index condition ("net_profit > 0" read all
-- 100,000 rows). The result is therefore kept as text (text equality is
-- leakproof), derived from the same sum as net_profit (a generated column
-- cannot read another); open trades have no result yet.

drop index if exists public.trades_user_closed_idx;
drop index if exists public.trades_user_opened_idx;
drop index if exists public.trades_user_symbol_idx;
drop index if exists public.trades_user_status_idx;
drop index if exists public.trades_user_session_idx;
drop index if exists public.trades_user_net_profit_idx;

create index trades_user_closed_idx on public.trades (user_id, closed_at, id);
create index trades_user_opened_idx on public.trades (user_id, opened_at, id);
create index trades_user_symbol_idx on public.trades (user_id, symbol, id);
create index trades_user_status_idx on public.trades (user_id, status, id);
create index trades_user_session_idx on public.trades (user_id, session_tag, id);
create index trades_user_net_profit_idx on public.trades (user_id, net_profit, id);
create index trades_user_direction_idx on public.trades (user_id, direction, id);
create index trades_user_volume_idx on public.trades (user_id, volume, id);
create index trades_user_entry_price_idx on public.trades (user_id, entry_price, id);
create index trades_user_exit_price_idx on public.trades (user_id, exit_price, id);
create index trades_user_pips_idx on public.trades (user_id, pips, id);
create index trades_user_duration_idx on public.trades (user_id, (closed_at - opened_at), id);
-- One account's trades newest first (the account picker in the header).
create index trades_user_account_closed_idx on public.trades (user_id, account_id, closed_at, id);

alter table public.trades add column result text generated always as (
  case
    when status <> 'closed' then null
    when gross_profit + commission + swap + fee > 0 then 'win'
    when gross_profit + commission + swap + fee < 0 then 'loss'
    else 'breakeven'
  end
) stored;
create index trades_user_result_idx on public.trades (user_id, result, id);

-- Each user's number of trades, kept by statement-level triggers in the same
-- transaction as the change (so it is exact), for the unfiltered list's
-- "1–50 of N": counting 100,000 index entries on every page view was the
-- largest cost left. One aggregate per statement, not per row, so a
-- 100,000-row import pays once. A trade never changes owner (its account
-- reference includes user_id, and the update policy keeps user_id), so
-- inserts, deletes and truncation are all that move the count.
create table public.trade_counts (
  user_id uuid primary key references public.profiles (id) on delete cascade,
  trades bigint not null default 0 check (trades >= 0)
);

alter table public.trade_counts enable row level security;
create policy trade_counts_select_own on public.trade_counts
  for select to authenticated using (user_id = (select auth.uid()));
revoke all on public.trade_counts from anon;
revoke insert, update, delete, truncate on public.trade_counts from authenticated;

create or replace function public.count_inserted_trades() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.trade_counts (user_id, trades)
    select user_id, count(*) from new_trades group by user_id
  on conflict (user_id) do update set trades = public.trade_counts.trades + excluded.trades;
  return null;
end
$$;

create or replace function public.count_deleted_trades() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  -- Update only: when a whole profile is deleted its count row may already be gone.
  update public.trade_counts c set trades = greatest(c.trades - d.n, 0)
    from (select user_id, count(*) as n from old_trades group by user_id) d
   where c.user_id = d.user_id;
  return null;
end
$$;

create or replace function public.clear_trade_counts() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  delete from public.trade_counts;
  return null;
end
$$;

create trigger trades_count_insert after insert on public.trades
  referencing new table as new_trades for each statement execute function public.count_inserted_trades();
create trigger trades_count_delete after delete on public.trades
  referencing old table as old_trades for each statement execute function public.count_deleted_trades();
create trigger trades_count_truncate after truncate on public.trades
  for each statement execute function public.clear_trade_counts();

insert into public.trade_counts (user_id, trades)
  select user_id, count(*) from public.trades group by user_id;
