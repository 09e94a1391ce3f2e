-- Trade list speed (docs/benchmarks.md, "Trade list"): /trades with 100,000
-- trades, any single filter and any sort, p95 < 40 ms — comfortably, not only
-- on a quiet machine. Also the journal sort the list's Journal column offers.
--
--  - Counting the matches was the largest cost left for filters that match
--    half the trades (an account, a side, wins): 50,000 index entries per
--    page view. Those counts now come from per-value totals kept by the same
--    statement-level triggers that keep public.trade_counts (about 50 ms per
--    100,000 rows an import writes, one aggregate per statement).
--  - A date range and "closed only" / "wins" newest first are read from index
--    entries alone: the close-time index carries status, result and the
--    journal flag, the status index the open time.
--  - The journal sort reads journaled trades from a small partial index.
-- No index is added that every imported row must write: two are rebuilt
-- with more columns, and the partial one holds journaled trades only.

-- Per-value totals ---------------------------------------------------------------
-- One row per user, filterable column and value: how many of the user's trades
-- have it. Exact, because the triggers below change them in the same
-- transaction as the trades (one aggregate per statement, not per row, so a
-- 100,000-row import pays once). A value's row goes when its count reaches 0.
create table public.trade_facet_counts (
  user_id uuid not null references public.profiles (id) on delete cascade,
  facet text not null check (facet in ('account', 'symbol', 'direction', 'session', 'status', 'result')),
  value text not null,
  trades bigint not null check (trades >= 0),
  primary key (user_id, facet, value)
);

alter table public.trade_facet_counts enable row level security;
create policy trade_facet_counts_select_own on public.trade_facet_counts
  for select to authenticated using (user_id = (select auth.uid()));
revoke all on public.trade_facet_counts from anon;
revoke insert, update, delete, truncate on public.trade_facet_counts from authenticated;

-- The (facet, value) pairs of one trade row, for the functions below. A trade
-- that is still open has no result yet, so no 'result' pair.
create or replace function public.trade_facets(
  account_id uuid, symbol text, direction text, session_tag text, status text, result text
) returns table (facet text, value text)
language sql immutable parallel safe as $$
  select f.facet, f.value
    from (values ('account', account_id::text), ('symbol', symbol), ('direction', direction),
                 ('session', session_tag), ('status', status), ('result', result)) f(facet, value)
   where f.value is not null
$$;

-- Rows are first grouped by their whole combination of values (a few hundred
-- groups for 100,000 trades), then each group is split into its pairs: one hash
-- aggregate over the statement's rows instead of six.
--
-- Every writer of a user's trades takes that user's public.trade_counts row
-- first (the insert and delete triggers change it; the update trigger locks
-- it), so two transactions never hold each other's facet rows: no deadlock,
-- whatever order statements come in.
create or replace function public.count_inserted_trades() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.trade_counts (user_id, trades)
    select user_id, count(*) from new_trades group by user_id order by user_id
  on conflict (user_id) do update set trades = public.trade_counts.trades + excluded.trades;
  insert into public.trade_facet_counts (user_id, facet, value, trades)
    select c.user_id, f.facet, f.value, sum(c.n)
      from (select user_id, account_id, symbol, direction, session_tag, status, result, count(*) as n
              from new_trades group by 1, 2, 3, 4, 5, 6, 7) c
     cross join lateral public.trade_facets(c.account_id, c.symbol, c.direction, c.session_tag, c.status, c.result) f
     group by c.user_id, f.facet, f.value
     order by c.user_id, f.facet, f.value
  on conflict (user_id, facet, value) do update set trades = public.trade_facet_counts.trades + excluded.trades;
  return null;
end
$$;

create or replace function public.count_deleted_trades() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  -- Update only: when a whole profile is deleted its count rows may already be gone.
  update public.trade_counts c set trades = greatest(c.trades - d.n, 0)
    from (select user_id, count(*) as n from old_trades group by user_id) d
   where c.user_id = d.user_id;
  update public.trade_facet_counts c set trades = greatest(c.trades - d.n, 0)
    from (select c.user_id, f.facet, f.value, sum(c.n) as n
            from (select user_id, account_id, symbol, direction, session_tag, status, result, count(*) as n
                    from old_trades group by 1, 2, 3, 4, 5, 6, 7) c
           cross join lateral public.trade_facets(c.account_id, c.symbol, c.direction, c.session_tag, c.status, c.result) f
           group by c.user_id, f.facet, f.value) d
   where c.user_id = d.user_id and c.facet = d.facet and c.value = d.value;
  delete from public.trade_facet_counts c
   where c.trades = 0 and c.user_id in (select distinct user_id from old_trades);
  return null;
end
$$;

-- An update can move a trade to another account, close it (status, result),
-- change its side, symbol or open time (session): the difference between the
-- rows before and after is applied. Updates that change none of these (most:
-- stops, comments, P&L of a trade that stays a win) find no difference.
create or replace function public.count_updated_trades() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform 1 from public.trade_counts c
    where c.user_id in (select distinct user_id from new_trades) order by c.user_id for update;
  with delta as (
    select c.user_id, f.facet, f.value, sum(c.n) as n
      from (select user_id, account_id, symbol, direction, session_tag, status, result, sum(n) as n
              from (select user_id, account_id, symbol, direction, session_tag, status, result, 1 as n from new_trades
                    union all
                    select user_id, account_id, symbol, direction, session_tag, status, result, -1 from old_trades) b
             group by 1, 2, 3, 4, 5, 6, 7) c
     cross join lateral public.trade_facets(c.account_id, c.symbol, c.direction, c.session_tag, c.status, c.result) f
     group by c.user_id, f.facet, f.value
    having sum(c.n) <> 0
  ),
  changed as (
    update public.trade_facet_counts c set trades = greatest(c.trades + d.n, 0)
      from delta d
     where c.user_id = d.user_id and c.facet = d.facet and c.value = d.value
    returning c.user_id, c.facet, c.value
  )
  insert into public.trade_facet_counts (user_id, facet, value, trades)
    select d.user_id, d.facet, d.value, d.n from delta d
     where d.n > 0
       and not exists (select 1 from changed c where c.user_id = d.user_id and c.facet = d.facet and c.value = d.value);
  delete from public.trade_facet_counts c
   where c.trades = 0 and c.user_id in (select distinct user_id from new_trades);
  return null;
end
$$;

create or replace function public.clear_trade_counts() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  delete from public.trade_counts;
  delete from public.trade_facet_counts;
  return null;
end
$$;

create trigger trades_count_update after update on public.trades
  referencing old table as old_trades new table as new_trades for each statement execute function public.count_updated_trades();

insert into public.trade_facet_counts (user_id, facet, value, trades)
  select t.user_id, f.facet, f.value, count(*)
    from public.trades t
   cross join lateral public.trade_facets(t.account_id, t.symbol, t.direction, t.session_tag, t.status, t.result) f
   group by t.user_id, f.facet, f.value;

-- Dates and status -----------------------------------------------------------------
-- A date range matches closed trades by close time and open trades by open
-- time. The close-time index (the default sort) now carries the status and
-- the result, so "closed in this range" — the count and the closed branch of
-- a page — "closed only" and "wins" newest first are read from index entries
-- without visiting rows; before, the open trades, which sort first (no close
-- time), were each read from the table only to be skipped. Open
-- trades by open time are a range of the status index, which also orders a
-- status sort by open time within each status. Both replace indexes of the
-- same columns: no extra index for imports to write. (The close-time index is
-- rebuilt with the journal flag below.)
drop index if exists public.trades_user_status_idx;
create index trades_user_status_idx on public.trades (user_id, status, opened_at, id);

-- Journal ---------------------------------------------------------------------------
-- The list sorts by whether a trade has its journal entry (written ones first,
-- or not yet written first), newest close first within each. The flag lives on
-- the trade so that sort is an index walk: journaled trades come from a small
-- partial index (an import, whose trades have no journal yet, adds no entry to
-- it), the others from the close-time index, which now carries the flag too.
-- Triggers on journals keep it: a journal written, removed or moved to another
-- trade updates the trades it concerns, in the same transaction.
alter table public.trades add column journaled boolean not null default false;

create or replace function public.mark_journaled_trades() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    update public.trades t set journaled = false
     where t.id = old.trade_id and t.journaled
       and not exists (select 1 from public.journals j where j.trade_id = old.trade_id);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    update public.trades t set journaled = true where t.id = new.trade_id and not t.journaled;
  end if;
  return null;
end
$$;

create trigger journals_mark_trades after insert or delete or update of trade_id on public.journals
  for each row execute function public.mark_journaled_trades();

-- The flag of trades journaled before this migration; their updated_at stays.
alter table public.trades disable trigger trades_set_updated_at;
update public.trades t set journaled = true where exists (select 1 from public.journals j where j.trade_id = t.id);
alter table public.trades enable trigger trades_set_updated_at;

drop index if exists public.trades_user_closed_idx;
create index trades_user_closed_idx on public.trades (user_id, closed_at, id) include (status, result, journaled);
create index trades_user_journaled_idx on public.trades (user_id, closed_at, id) where journaled;
