-- Sign-out everywhere takes effect on the next request on every device (issue
-- 19 item 9). The app verifies access tokens locally (ADR 008), so a revoked
-- session stayed usable until its token expired. Auth deletes a session's row
-- when it is signed out (one device or all of them), so the app asks, once
-- per request, whether the token's session still exists: a primary-key probe.
-- Called by the web process's own login only; client roles cannot probe
-- sessions (the ids would tell them nothing, but nothing needs it either).
create function public.auth_session_active(p_session_id uuid, p_user_id uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from auth.sessions s
     where s.id = p_session_id and s.user_id = p_user_id and (s.not_after is null or s.not_after > now())
  )
$$;

revoke execute on function public.auth_session_active(uuid, uuid) from public, anon, authenticated, service_role;
grant execute on function public.auth_session_active(uuid, uuid) to authenticator;
