-- The admin sync page names online users by email. Admins do not get a read
-- policy on profiles: app queries as an admin would then see every profile
-- wherever they rely on RLS to pick the user's own row. This function answers
-- only admins, only for the ids asked, and only the email.
create or replace function public.admin_user_emails(user_ids uuid[])
returns table (user_id uuid, email text)
language sql stable security definer set search_path = '' as $$
  select p.id, p.email
    from public.profiles p
   where public.is_admin() and p.id = any(user_ids)
$$;

revoke execute on function public.admin_user_emails(uuid[]) from public, anon;
grant execute on function public.admin_user_emails(uuid[]) to authenticated;
