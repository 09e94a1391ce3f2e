-- What /readyz and the admin page report (issue 19 item 4), in one call: the
-- migrations applied, whether a jobs process holds the leader lock
-- (jobs/leader-lock.ts, key 7240117001: a session advisory lock, released the
-- moment the leader's connection drops, so holding it is the heartbeat), the
-- newest terminal-worker heartbeat, and whether a market-data terminal beat in
-- the last minute. Called by the web process's own login only.
create function public.readiness() returns jsonb
language plpgsql stable security definer set search_path = '' as $$
begin
  return jsonb_build_object(
    'applied_migrations', coalesce((select jsonb_agg(version order by version) from supabase_migrations.schema_migrations), '[]'::jsonb),
    -- 7240117001 = 1 * 2^32 + 2945149705: an int8 advisory key shows as (classid, objid) with objsubid 1.
    'jobs_leader', exists (
      select 1 from pg_catalog.pg_locks
       where locktype = 'advisory' and classid = 1 and objid = 2945149705 and objsubid = 1 and granted
    ),
    'worker_heartbeat_at', (select max(last_heartbeat_at) from public.worker_health where status not in ('stopped', 'error')),
    'market_data_alive', public.market_data_terminal_alive(),
    'now', now()
  );
end
$$;

revoke execute on function public.readiness() from public, anon, authenticated, service_role;
grant execute on function public.readiness() to authenticator;
