-- Rate limits shared by every app process (issue 19 item 5), in PostgreSQL.
--
-- public.rate_limit_rules is the one configuration table: how many hits a key
-- may make per fixed window. rate_limit.counters holds one row per (rule, key,
-- window); windows are aligned to the epoch, so every process agrees on them.
-- The web process counts through rate_limit.take(), one statement per request,
-- as its own login (`authenticator`). No client role (anon, authenticated,
-- service_role) may call it or touch the counters: otherwise anyone holding the
-- anon key could read who is being limited, or fill another address's bucket.

create table public.rate_limit_rules (
  name text primary key check (name ~ '^[a-z0-9-]+$'),
  max_hits integer not null check (max_hits > 0),
  window_seconds integer not null check (window_seconds between 1 and 86400),
  -- Past max_hits the key is not refused outright: each companion key (the
  -- sign-in of one account from one address) waits 2^(hits - max_hits) seconds
  -- after its own last hit, at most this long. Null: a plain limit.
  backoff_max_seconds integer check (backoff_max_seconds > 0),
  description text not null
);

alter table public.rate_limit_rules enable row level security;
revoke all on public.rate_limit_rules from anon, authenticated, service_role;
-- The service role may read the configuration (operators, jobs); nobody writes
-- it but migrations and the database owner.
grant select on public.rate_limit_rules to service_role;

insert into public.rate_limit_rules (name, max_hits, window_seconds, backoff_max_seconds, description) values
  ('sign-in-address', 20, 60, null, 'Sign-in attempts from one address, any account'),
  ('sign-in-pair-failures', 5, 900, null, 'Wrong passwords for one account from one address'),
  ('sign-in-account-failures', 5, 3600, 900, 'Wrong passwords for one account from anywhere; past the limit each address backs off'),
  ('sign-up-address', 20, 600, null, 'Sign-ups from one address'),
  ('email-address', 20, 600, null, 'Reset and confirmation mails asked for from one address'),
  ('email-account', 5, 3600, null, 'Reset and confirmation mails asked for one account'),
  ('password-change-address', 20, 600, null, 'Password changes and resets from one address'),
  ('action-address', 300, 60, null, 'Form submissions (every action) from one address'),
  ('action-user', 300, 60, null, 'Form submissions (every action) by one signed-in user'),
  ('upload-address', 120, 3600, null, 'Statement uploads from one address'),
  ('upload-user', 60, 3600, null, 'Statement uploads by one user'),
  ('export-address', 120, 3600, null, 'CSV exports from one address'),
  ('export-user', 60, 3600, null, 'CSV exports by one user'),
  ('webhook-address', 600, 60, null, 'Webhook deliveries from one address');

create schema rate_limit;
revoke all on schema rate_limit from public;

-- Unlogged: counters are worth nothing after a crash, and skipping the WAL
-- keeps the per-request upsert cheap. A low fill factor leaves room for HOT
-- updates (hits and last_hit_at are not indexed).
create unlogged table rate_limit.counters (
  rule text not null,
  key text not null,
  window_start timestamptz not null,
  hits integer not null,
  last_hit_at timestamptz not null,
  primary key (rule, key, window_start)
) with (fillfactor = 70);

alter table rate_limit.counters enable row level security;
revoke all on rate_limit.counters from public, anon, authenticated, service_role;

-- Counts one hit for every (rule, key) whose `bump` is true and reads the
-- others as they stand, in one statement. Each (rule, key) at most once per
-- call. Unknown rules are left out of the answer (the caller treats that as a
-- configuration error).
create function rate_limit.take(p_rules text[], p_keys text[], p_bump boolean[])
returns table (
  rule text,
  key text,
  hits integer,
  max_hits integer,
  window_ends_at timestamptz,
  last_hit_at timestamptz,
  backoff_max_seconds integer
)
language sql volatile security definer set search_path = '' as $$
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
    left join rate_limit.counters c on not a.bump and c.rule = a.rule and c.key = a.key and c.window_start = a.window_start
$$;

-- Drops windows that have ended (and counters of rules that no longer exist).
create function rate_limit.prune() returns integer
language sql volatile security definer set search_path = '' as $$
  with gone as (
    delete from rate_limit.counters c
     where not exists (
       select 1 from public.rate_limit_rules r
        where r.name = c.rule and c.window_start + make_interval(secs => r.window_seconds) > now()
     )
    returning 1
  )
  select count(*)::integer from gone
$$;

revoke execute on function rate_limit.take(text[], text[], boolean[]) from public, anon, authenticated, service_role;
revoke execute on function rate_limit.prune() from public, anon, authenticated, service_role;
-- The web process's own login; the roles it becomes for a request hold nothing here.
grant usage on schema rate_limit to authenticator;
grant execute on function rate_limit.take(text[], text[], boolean[]) to authenticator;
grant execute on function rate_limit.prune() to authenticator;
