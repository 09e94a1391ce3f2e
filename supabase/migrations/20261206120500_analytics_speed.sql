-- Analytics speed (issue 12, ADR 015): a compact store of each account's
-- closed trades, one row per account and UTC month of the close.
--
-- The app packs a month's trades as columns (app/domain/analytics/chunk.ts:
-- close and open instants, net and costs in exact integer units, risk,
-- symbol, session, side and tag ids) and stores them here as base64 text,
-- the trades' ids apart (`ids`, 16 bytes each: a view reads only the few it
-- names); a view then reads a few dozen rows instead of 100,000. Triggers on trades
-- and trade tags bump a month's version on any change; the app uses `data`
-- only while built_version = version and rebuilds the month from its trade
-- rows otherwise (in the reading request, best effort). The rows hold
-- instants, never trading days, so a new trading-day rule or zone needs no
-- rebuild; tags are held by id, so a renamed tag needs none either.
create table public.analytics_trade_months (
  account_id uuid not null references public.accounts (id) on delete cascade,
  month date not null check (extract(day from month) = 1),
  user_id uuid not null references public.profiles (id) on delete cascade,
  version bigint not null default 1,
  built_version bigint,
  data text,
  ids bytea,
  -- Σ net of the month's closed trades, stored with the pack (a bounded
  -- period's starting balance adds these instead of every earlier trade).
  net_total numeric,
  primary key (account_id, month)
);
-- Packed numbers do not compress; skip the attempt, keep them out of line.
alter table public.analytics_trade_months alter column data set storage external;
alter table public.analytics_trade_months alter column ids set storage external;
create index analytics_trade_months_user_idx on public.analytics_trade_months (user_id);

alter table public.analytics_trade_months enable row level security;
create policy analytics_trade_months_select_own on public.analytics_trade_months
  for select to authenticated using (user_id = (select auth.uid()));
create policy analytics_trade_months_update_own on public.analytics_trade_months
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
revoke all on public.analytics_trade_months from anon, authenticated;
grant select on public.analytics_trade_months to authenticated;
-- Clients store what they packed; rows and versions belong to the triggers.
grant update (built_version, data, ids, net_total) on public.analytics_trade_months to authenticated;

create or replace function public.bump_analytics_trade_months() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    update public.analytics_trade_months m set version = m.version + 1
      from (select distinct o.account_id, date_trunc('month', o.closed_at at time zone 'UTC')::date as month
              from old_rows o where o.closed_at is not null) c
     where m.account_id = c.account_id and m.month = c.month;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    -- An account being deleted (its trades go by cascade) keeps no months.
    insert into public.analytics_trade_months as m (account_id, month, user_id)
      select distinct on (n.account_id, date_trunc('month', n.closed_at at time zone 'UTC'))
             n.account_id, date_trunc('month', n.closed_at at time zone 'UTC')::date, n.user_id
        from new_rows n
       where n.closed_at is not null and exists (select 1 from public.accounts a where a.id = n.account_id)
      on conflict (account_id, month) do update set version = m.version + 1;
  end if;
  return null;
end
$$;

create trigger trades_analytics_months_insert after insert on public.trades
  referencing new table as new_rows for each statement execute function public.bump_analytics_trade_months();
create trigger trades_analytics_months_update after update on public.trades
  referencing old table as old_rows new table as new_rows for each statement execute function public.bump_analytics_trade_months();
create trigger trades_analytics_months_delete after delete on public.trades
  referencing old table as old_rows for each statement execute function public.bump_analytics_trade_months();

-- Tag changes: the tagged trades' months (a trade deleted with its tags has bumped its own).
create or replace function public.bump_analytics_trade_months_for_new_tags() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update public.analytics_trade_months m set version = m.version + 1
    from (select distinct t.account_id, date_trunc('month', t.closed_at at time zone 'UTC')::date as month
            from public.trades t where t.closed_at is not null and t.id in (select n.trade_id from new_rows n)) c
   where m.account_id = c.account_id and m.month = c.month;
  return null;
end
$$;

create or replace function public.bump_analytics_trade_months_for_old_tags() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update public.analytics_trade_months m set version = m.version + 1
    from (select distinct t.account_id, date_trunc('month', t.closed_at at time zone 'UTC')::date as month
            from public.trades t where t.closed_at is not null and t.id in (select o.trade_id from old_rows o)) c
   where m.account_id = c.account_id and m.month = c.month;
  return null;
end
$$;

create trigger trade_tags_analytics_months_insert after insert on public.trade_tags
  referencing new table as new_rows for each statement execute function public.bump_analytics_trade_months_for_new_tags();
create trigger trade_tags_analytics_months_update after update on public.trade_tags
  referencing old table as old_rows new table as new_rows for each statement execute function public.bump_analytics_trade_months_for_old_tags();
create trigger trade_tags_analytics_months_update_new after update on public.trade_tags
  referencing old table as old_rows new table as new_rows for each statement execute function public.bump_analytics_trade_months_for_new_tags();
create trigger trade_tags_analytics_months_delete after delete on public.trade_tags
  referencing old table as old_rows for each statement execute function public.bump_analytics_trade_months_for_old_tags();

-- The months of the trades already stored (built on first read).
insert into public.analytics_trade_months (account_id, month, user_id)
select distinct on (account_id, date_trunc('month', closed_at at time zone 'UTC'))
       account_id, date_trunc('month', closed_at at time zone 'UTC')::date, user_id
  from public.trades where closed_at is not null;
