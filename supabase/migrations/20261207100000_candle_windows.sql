-- Candle windows on request (issue 14, docs/decisions/019): the shared
-- candle_cache takes M1, M5 and M15 too; a window the cache lacks is asked for
-- once, as fixed chunks per symbol and timeframe, and fetched by the
-- market-data terminal through the candle-window queue.

alter table public.candle_cache drop constraint candle_cache_timeframe_check;
alter table public.candle_cache add constraint candle_cache_timeframe_check
  check (timeframe in ('M1', 'M5', 'M15', 'M30', 'H1', 'H4', 'D1', 'W1'));

-- One row per chunk of bars ever asked for: the unique key is what makes a
-- window fetched once however many pages ask at the same time. Shared like the
-- candles (no user column): every signed-in user reads the fetch state.
create table public.candle_window_requests (
  id uuid primary key default gen_random_uuid(),
  symbol text not null check (char_length(symbol) between 1 and 40),
  timeframe text not null check (timeframe in ('M1', 'M5', 'M15', 'M30', 'H1', 'H4', 'D1', 'W1')),
  -- The chunk, UTC, [from_at, to_at): aligned to the timeframe's chunk size.
  from_at timestamptz not null,
  to_at timestamptz not null check (to_at > from_at),
  -- pending: asked, not yet handed to the queue; queued: a job holds it;
  -- fetched: its bars are in candle_cache (up to fetched_until);
  -- unavailable: the broker has no such symbol, or the fetch failed (reason says).
  status text not null default 'pending' check (status in ('pending', 'queued', 'fetched', 'unavailable')),
  reason text check (char_length(reason) <= 300),
  requested_at timestamptz not null default now(),
  -- Eviction reads this: a window nobody asked for in 30 days goes (ADR 019).
  last_requested_at timestamptz not null default now(),
  fetched_at timestamptz,
  -- The bars are complete up to here (a chunk reaching into the future is not).
  fetched_until timestamptz,
  bars integer check (bars >= 0),
  unique (symbol, timeframe, from_at)
);
create index candle_window_requests_pending on public.candle_window_requests (requested_at) where status = 'pending';
create index candle_window_requests_last_requested on public.candle_window_requests (last_requested_at);

alter table public.candle_window_requests enable row level security;
create policy candle_window_requests_readable_when_signed_in on public.candle_window_requests
  for select to authenticated using (true);
revoke all on public.candle_window_requests from anon;
revoke insert, update, delete, truncate on public.candle_window_requests from authenticated;

-- Pages watch their chunks turn fetched (fill in without reload).
alter publication supabase_realtime add table public.candle_window_requests;

-- Chunk length per timeframe: about 1,440 bars each, so one fetch is one bridge call of bounded size.
create or replace function public.candle_chunk_seconds(p_timeframe text) returns bigint
language sql immutable set search_path = '' as $$
  select case p_timeframe
    when 'M1' then 86400            -- 1 day
    when 'M5' then 5 * 86400        -- 5 days
    when 'M15' then 15 * 86400      -- 15 days
    when 'M30' then 30 * 86400      -- 30 days
    when 'H1' then 60 * 86400       -- 60 days
    when 'H4' then 240 * 86400      -- 240 days
    when 'D1' then 1440 * 86400     -- ~4 years
    when 'W1' then 7 * 1440 * 86400 -- ~28 years
  end::bigint
$$;

-- Is a market-data terminal alive (its health row beat in the last minute)?
create or replace function public.market_data_terminal_alive() returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.worker_health
     where kind = 'market_data' and status not in ('stopped', 'error') and last_heartbeat_at > now() - interval '1 minute'
  )
$$;
revoke execute on function public.market_data_terminal_alive() from public, anon;
grant execute on function public.market_data_terminal_alive() to authenticated, service_role;

-- The state of a window, asking for the chunks it lacks. One answer:
--   ready        every chunk fetched (or the hot-symbol loop keeps it);
--   loading      chunks are asked for and not yet answered;
--   unavailable  with reason: unknown_symbol (the broker has none), no_terminal
--                (no market-data terminal runs), not_traded (the caller never
--                traded this symbol: windows are fetched only for the caller's
--                own symbols), failed (the fetch failed; reason text follows),
--                too_wide (more than 24 chunks in one window).
-- A chunk that reached into the future when fetched is asked for again once
-- it is 5 minutes stale; a pending chunk nobody served for 2 minutes is
-- reported as no_terminal (and asked for again when next requested).
create or replace function public.request_candle_window(p_symbol text, p_timeframe text, p_from timestamptz, p_to timestamptz)
returns table (status text, reason text)
language plpgsql security definer set search_path = '' as $$
declare
  caller uuid := (select auth.uid());
  size bigint := public.candle_chunk_seconds(p_timeframe);
  first_chunk bigint;
  last_chunk bigint;
  hot_since timestamptz;
  alive boolean;
  asked integer := 0;
  missing integer := 0;
  waiting integer := 0;
  stale integer := 0;
  bad_reason text;
begin
  if size is null then
    raise exception using errcode = '22023', message = 'unknown timeframe';
  end if;
  if p_to <= p_from then
    return query select 'ready'::text, null::text;
    return;
  end if;
  -- The hot-symbol loop keeps 6 months of M30 and above (jobs/market-data.ts).
  select h.candles_since into hot_since from public.hot_symbols h where h.symbol = p_symbol;
  if hot_since is not null and p_timeframe in ('M30', 'H1', 'H4', 'D1', 'W1') and p_from >= hot_since then
    return query select 'ready'::text, null::text;
    return;
  end if;
  first_chunk := floor(extract(epoch from p_from) / size)::bigint;
  last_chunk := floor((extract(epoch from p_to) - 1) / size)::bigint;
  if last_chunk - first_chunk + 1 > 24 then
    return query select 'unavailable'::text, 'too_wide'::text;
    return;
  end if;

  select r.reason into bad_reason from public.candle_window_requests r
   where r.symbol = p_symbol and r.timeframe = p_timeframe and r.status = 'unavailable'
     and r.from_at >= to_timestamp(first_chunk * size) and r.from_at <= to_timestamp(last_chunk * size)
   limit 1;
  if bad_reason is not null then
    return query select 'unavailable'::text, bad_reason;
    return;
  end if;

  select count(*) filter (where r.id is null),
         count(*) filter (where r.status in ('pending', 'queued') and r.requested_at > now() - interval '2 minutes'),
         count(*) filter (where (r.status in ('pending', 'queued') and r.requested_at <= now() - interval '2 minutes')
                            or (r.status = 'fetched' and r.fetched_until < least(r.to_at, p_to, now())
                                and r.fetched_at < now() - interval '5 minutes'))
    into missing, waiting, stale
    from generate_series(first_chunk, last_chunk) as c(n)
    left join public.candle_window_requests r
      on r.symbol = p_symbol and r.timeframe = p_timeframe and r.from_at = to_timestamp(c.n * size);

  if missing + stale > 0 then
    alive := public.market_data_terminal_alive();
    if not alive then
      return query select 'unavailable'::text, 'no_terminal'::text;
      return;
    end if;
    if caller is not null and not exists (select 1 from public.trades t where t.user_id = caller and t.symbol = p_symbol) then
      return query select 'unavailable'::text, 'not_traded'::text;
      return;
    end if;
    -- Ten pages asking at once: one insert wins per chunk; the others wait for it
    -- and, under a loader's REPEATABLE READ, fail to serialise — which here means
    -- "already asked", so they report loading like the winner.
    begin
    insert into public.candle_window_requests (symbol, timeframe, from_at, to_at)
    select p_symbol, p_timeframe, to_timestamp(c.n * size), to_timestamp((c.n + 1) * size)
      from generate_series(first_chunk, last_chunk) as c(n)
    on conflict (symbol, timeframe, from_at) do update
      set status = 'pending', reason = null, requested_at = now(), last_requested_at = now()
      where (public.candle_window_requests.status in ('pending', 'queued')
             and public.candle_window_requests.requested_at <= now() - interval '2 minutes')
         or (public.candle_window_requests.status = 'fetched'
             and public.candle_window_requests.fetched_until < least(public.candle_window_requests.to_at, p_to, now())
             and public.candle_window_requests.fetched_at < now() - interval '5 minutes');
    get diagnostics asked = row_count;
    exception when serialization_failure then
      asked := 0;
    end;
    if asked > 0 then
      perform pg_notify('candle_window_requested', p_symbol);
    end if;
    return query select 'loading'::text, null::text;
    return;
  end if;

  -- Eviction keeps what is looked at: a read counts as a request (at most once an hour per chunk).
  update public.candle_window_requests r set last_requested_at = now()
   where r.symbol = p_symbol and r.timeframe = p_timeframe
     and r.from_at >= to_timestamp(first_chunk * size) and r.from_at <= to_timestamp(last_chunk * size)
     and r.last_requested_at < now() - interval '1 hour';
  if waiting > 0 then
    return query select 'loading'::text, null::text;
  else
    return query select 'ready'::text, null::text;
  end if;
end
$$;
revoke execute on function public.request_candle_window(text, text, timestamptz, timestamptz) from public, anon;
grant execute on function public.request_candle_window(text, text, timestamptz, timestamptz) to authenticated, service_role;

-- Eviction (ADR 019), run by the market-data terminal's loop:
--  1. chunks nobody asked for in 30 days go with their bars;
--  2. a symbol cold for 7 days loses its loop-kept bars (M30 and above),
--     except those inside a chunk still asked for;
--  3. if the cache still holds more than p_max_rows bars, the least recently
--     asked chunks go, oldest first, until it fits.
-- Bars of a hot symbol's loop window are never evicted by 1 or 3.
create or replace function public.evict_candles(p_now timestamptz, p_max_rows bigint) returns table (chunks integer, bars bigint)
language plpgsql security definer set search_path = '' as $$
declare
  gone_chunks integer := 0;
  gone_bars bigint := 0;
  n bigint;
  total bigint;
  victim record;
begin
  for victim in
    select r.id, r.symbol, r.timeframe, r.from_at, r.to_at from public.candle_window_requests r
     where r.last_requested_at < p_now - interval '30 days'
  loop
    delete from public.candle_cache c
     where c.symbol = victim.symbol and c.timeframe = victim.timeframe and c.opened_at >= victim.from_at and c.opened_at < victim.to_at
       and not exists (select 1 from public.hot_symbols h where h.symbol = c.symbol and h.candles_since is not null
                         and c.timeframe in ('M30', 'H1', 'H4', 'D1', 'W1') and c.opened_at >= h.candles_since);
    get diagnostics n = row_count;
    gone_bars := gone_bars + n;
    delete from public.candle_window_requests where id = victim.id;
    gone_chunks := gone_chunks + 1;
  end loop;

  delete from public.candle_cache c
   where not exists (select 1 from public.hot_symbols h where h.symbol = c.symbol)
     and c.timeframe in ('M30', 'H1', 'H4', 'D1', 'W1')
     and not exists (select 1 from public.candle_window_requests r
                      where r.symbol = c.symbol and r.timeframe = c.timeframe and c.opened_at >= r.from_at and c.opened_at < r.to_at);
  get diagnostics n = row_count;
  gone_bars := gone_bars + n;

  select count(*) into total from public.candle_cache;
  for victim in
    select r.id, r.symbol, r.timeframe, r.from_at, r.to_at from public.candle_window_requests r
     where total > p_max_rows and r.status = 'fetched'
     order by r.last_requested_at, r.from_at
  loop
    exit when total <= p_max_rows;
    delete from public.candle_cache c
     where c.symbol = victim.symbol and c.timeframe = victim.timeframe and c.opened_at >= victim.from_at and c.opened_at < victim.to_at
       and not exists (select 1 from public.hot_symbols h where h.symbol = c.symbol and h.candles_since is not null
                         and c.timeframe in ('M30', 'H1', 'H4', 'D1', 'W1') and c.opened_at >= h.candles_since);
    get diagnostics n = row_count;
    total := total - n;
    gone_bars := gone_bars + n;
    delete from public.candle_window_requests where id = victim.id;
    gone_chunks := gone_chunks + 1;
  end loop;
  return query select gone_chunks, gone_bars;
end
$$;
revoke execute on function public.evict_candles(timestamptz, bigint) from public, anon, authenticated;
grant execute on function public.evict_candles(timestamptz, bigint) to service_role;
