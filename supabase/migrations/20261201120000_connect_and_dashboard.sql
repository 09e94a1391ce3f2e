-- Reconnecting and disconnecting an MT5 account from the app.
--
-- account_sync_state is written by the jobs process only (it holds the pause
-- after repeated login failures), and account_credentials is unreadable and
-- unwritable for clients. These two functions are the app's only ways to
-- change them, each for the caller's own MT5 account:
--
--   resume_mt5_account_after_check(account, check)
--     after the user gave a new investor password and the jobs process verified
--     it (a connection check with status 'ok' for the account's own server and
--     login): uses up the check, clears the pause and the failure count, and
--     turns sync back on. The caller stores the new password in the same
--     transaction with set_account_credentials().
--
--   disconnect_mt5_account(account)
--     stops sync and deletes the stored password; the history stays. The
--     positions table is a live view of the broker, so it is emptied too.

create or replace function public.resume_mt5_account_after_check(p_account_id uuid, p_check_id uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  caller uuid := (select auth.uid());
  account record;
  verified record;
begin
  if caller is null then
    raise exception using errcode = '42501', message = 'sign in first';
  end if;
  select id, kind, mt5_server, mt5_login into account
    from public.accounts where id = p_account_id and user_id = caller
    for update;
  if not found then
    raise exception using errcode = '42501', message = 'not your account';
  end if;
  if account.kind <> 'mt5' then
    raise exception using errcode = '22023', message = 'not an MT5 account';
  end if;
  -- Deleting the check uses it up: one verified password resumes one account once.
  delete from public.mt5_connection_checks
    where id = p_check_id and user_id = caller and status = 'ok'
      and finished_at > now() - interval '15 minutes'
    returning mt5_server, mt5_login into verified;
  if not found or verified.mt5_server is distinct from account.mt5_server or verified.mt5_login is distinct from account.mt5_login then
    raise exception using errcode = 'RJ006', message = 'connection_check_not_verified',
      detail = 'Resuming sync needs a successful connection check for this account''s server and login.';
  end if;
  update public.account_sync_state
     set paused_at = null, paused_reason = null, consecutive_login_failures = 0
   where account_id = p_account_id;
  update public.accounts
     set sync_enabled = true,
         sync_status = case when sync_status in ('paused', 'error', 'idle') then 'pending' else sync_status end,
         sync_error = null
   where id = p_account_id;
end
$$;
revoke execute on function public.resume_mt5_account_after_check(uuid, uuid) from public, anon;
grant execute on function public.resume_mt5_account_after_check(uuid, uuid) to authenticated;

create or replace function public.disconnect_mt5_account(p_account_id uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  caller uuid := (select auth.uid());
  account_kind text;
begin
  if caller is null then
    raise exception using errcode = '42501', message = 'sign in first';
  end if;
  select kind into account_kind from public.accounts where id = p_account_id and user_id = caller for update;
  if not found then
    raise exception using errcode = '42501', message = 'not your account';
  end if;
  if account_kind <> 'mt5' then
    raise exception using errcode = '22023', message = 'not an MT5 account';
  end if;
  delete from public.account_credentials where account_id = p_account_id;
  delete from public.open_positions where account_id = p_account_id;
  update public.accounts
     set sync_enabled = false, sync_status = 'idle', sync_error = null
   where id = p_account_id;
end
$$;
revoke execute on function public.disconnect_mt5_account(uuid) from public, anon;
grant execute on function public.disconnect_mt5_account(uuid) to authenticated;

-- Whether the caller's account has a stored password (the account page offers
-- "Reconnect" either way, and says whether sync can run). Reads nothing else.
create or replace function public.mt5_account_has_credentials(p_account_id uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.account_credentials c
     where c.account_id = p_account_id and c.user_id = (select auth.uid())
  )
$$;
revoke execute on function public.mt5_account_has_credentials(uuid) from public, anon;
grant execute on function public.mt5_account_has_credentials(uuid) to authenticated;
