-- The per-request guards as PL/pgSQL, for their cached plans: PostgreSQL 15
-- plans a SQL-language function's body on every call (and cannot inline a
-- security-definer one), which made the rate limit's upsert cost about 25
-- round trips of `select 1` (bench/request-guards.ts). PL/pgSQL plans each
-- statement once per connection, and the app's pool keeps its connections.
-- Same signatures, same answers, same grants.

create or replace function rate_limit.take(p_rules text[], p_keys text[], p_bump boolean[])
returns table (
  rule text,
  key text,
  hits integer,
  max_hits integer,
  window_ends_at timestamptz,
  last_hit_at timestamptz,
  backoff_max_seconds integer
)
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return query
  with asked as (
    select a.rule, a.key, a.bump, r.max_hits, r.window_seconds, r.backoff_max_seconds,
           to_timestamp(floor(extract(epoch from now()) / r.window_seconds) * r.window_seconds) as window_start
      from unnest(p_rules, p_keys, p_bump) as a (rule, key, bump)
      join public.rate_limit_rules r on r.name = a.rule
  ),
  bumped as (
    insert into rate_limit.counters as c (rule, key, window_start, hits, last_hit_at)
    select asked.rule, asked.key, asked.window_start, 1, now() from asked where asked.bump
    on conflict on constraint counters_pkey do update set hits = c.hits + 1, last_hit_at = now()
    returning c.rule, c.key, c.hits, c.last_hit_at
  )
  select a.rule, a.key, coalesce(b.hits, c.hits, 0), a.max_hits,
         a.window_start + make_interval(secs => a.window_seconds),
         coalesce(b.last_hit_at, c.last_hit_at), a.backoff_max_seconds
    from asked a
    left join bumped b on a.bump and b.rule = a.rule and b.key = a.key
    left join rate_limit.counters c on not a.bump and c.rule = a.rule and c.key = a.key and c.window_start = a.window_start;
end
$$;

create or replace function public.auth_session_active(p_session_id uuid, p_user_id uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return exists (
    select 1 from auth.sessions s
     where s.id = p_session_id and s.user_id = p_user_id and (s.not_after is null or s.not_after > now())
  );
end
$$;
