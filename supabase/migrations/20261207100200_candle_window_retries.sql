-- Candle windows, second step (docs/decisions/019):
--  - a market-data terminal counts as alive by its heartbeat alone: the jobs
--    process starts a terminal on its first job, so an idle one reports
--    'stopped' while its process beats every 10 s;
--  - a chunk whose fetch failed (not an unknown symbol) is asked for again
--    when a page asks 10 minutes later, instead of failing for good.
create or replace function public.market_data_terminal_alive() returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.worker_health where kind = 'market_data' and last_heartbeat_at > now() - interval '1 minute'
  )
$$;

create or replace function public.request_candle_window(p_symbol text, p_timeframe text, p_from timestamptz, p_to timestamptz)
returns table (status text, reason text)
language plpgsql security definer set search_path = '' as $$
declare
  caller uuid := (select auth.uid());
  size bigint := public.candle_chunk_seconds(p_timeframe);
  first_chunk bigint;
  last_chunk bigint;
  hot_since timestamptz;
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

  -- A refusal stands (unknown symbol); a failure stands for 10 minutes.
  select r.reason into bad_reason from public.candle_window_requests r
   where r.symbol = p_symbol and r.timeframe = p_timeframe and r.status = 'unavailable'
     and r.from_at >= to_timestamp(first_chunk * size) and r.from_at <= to_timestamp(last_chunk * size)
     and (r.reason = 'unknown_symbol' or r.fetched_at > now() - interval '10 minutes')
   limit 1;
  if bad_reason is not null then
    return query select 'unavailable'::text, bad_reason;
    return;
  end if;

  select count(*) filter (where r.id is null),
         count(*) filter (where r.status in ('pending', 'queued') and r.requested_at > now() - interval '2 minutes'),
         count(*) filter (where (r.status in ('pending', 'queued') and r.requested_at <= now() - interval '2 minutes')
                            or r.status = 'unavailable'
                            or (r.status = 'fetched' and r.fetched_until < least(r.to_at, p_to, now())
                                and r.fetched_at < now() - interval '5 minutes'))
    into missing, waiting, stale
    from generate_series(first_chunk, last_chunk) as c(n)
    left join public.candle_window_requests r
      on r.symbol = p_symbol and r.timeframe = p_timeframe and r.from_at = to_timestamp(c.n * size);

  if missing + stale > 0 then
    if not public.market_data_terminal_alive() then
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
           or (public.candle_window_requests.status = 'unavailable' and public.candle_window_requests.reason <> 'unknown_symbol')
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
