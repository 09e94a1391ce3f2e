-- Journal search (issue 13, the /journal timeline) reads through its indexes.
--
-- `@@` is not leakproof, so under RLS Postgres may not use it in an index
-- condition: every search read all of the user's journal rows and daily
-- reviews, whatever the word (18,000 + 2,000 rows for "boredom" as for
-- "trade"). public.journal_search matches the caller's own entries as the
-- definer, with `user_id = auth.uid()` written into each read, so GIN
-- indexes on (user_id, search) serve it: a search reads the user's matches
-- only. The timeline calls it for a search without filters; a filtered search
-- stays under RLS and starts from its filter.

create extension if not exists btree_gin with schema extensions;

-- (user_id, search): a word common among other users' entries is not read for this one.
create index journals_user_search_idx on public.journals using gin (user_id, search);
create index daily_journals_user_search_idx on public.daily_journals using gin (user_id, search);
create index journal_screenshots_user_search_idx on public.journal_screenshots using gin (user_id, search);

-- Every entry of the caller's that matches `query` in its text or a screenshot
-- caption, ranked by ts_rank summed over its matching parts, at the latest of
-- those parts' times. Dynamic SQL so each call is planned with its query's
-- lexemes (a common word and a rare one want different plans).
create function public.journal_search(query tsquery)
returns table (kind text, entry_id uuid, sort_at timestamptz, rank real)
language plpgsql stable security definer set search_path = '' as $$
begin
  return query execute $sql$
    with captions as materialized (
      select s.trade_id, s.daily_journal_id, ts_rank(s.search, $2) as rank, s.created_at
        from public.journal_screenshots s where s.user_id = $1 and s.search @@ $2),
    trade_captions as (select c.trade_id as owner_id, sum(c.rank) as rank, max(c.created_at) as written_at
                         from captions c where c.trade_id is not null group by c.trade_id),
    day_captions as (select c.daily_journal_id as owner_id, sum(c.rank) as rank, max(c.created_at) as written_at
                       from captions c where c.daily_journal_id is not null group by c.daily_journal_id),
    trades as (select j.trade_id, j.updated_at, ts_rank(j.search, $2) as rank
                 from public.journals j where j.user_id = $1 and j.search @@ $2),
    days as (select d.id, d.updated_at, ts_rank(d.search, $2) as rank
               from public.daily_journals d where d.user_id = $1 and d.search @@ $2)
    select 'trade'::text, coalesce(j.trade_id, c.owner_id), greatest(j.updated_at, c.written_at),
           (coalesce(j.rank, 0) + coalesce(c.rank, 0))::real
      from trades j full join trade_captions c on c.owner_id = j.trade_id
    union all
    select 'day'::text, coalesce(d.id, c.owner_id), greatest(d.updated_at, c.written_at),
           (coalesce(d.rank, 0) + coalesce(c.rank, 0))::real
      from days d full join day_captions c on c.owner_id = d.id
  $sql$ using (select auth.uid()), query;
end $$;

revoke all on function public.journal_search(tsquery) from public, anon;
grant execute on function public.journal_search(tsquery) to authenticated;
