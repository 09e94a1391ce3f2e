-- public.user_tier(uuid) answered any signed-in caller with any user's plan
-- (security definer, no check on whose). Now a client role may ask only about
-- itself; triggers and security-definer functions (running as the owner) and
-- the service role still ask about anyone. Invoker rights, so the caller's
-- own row-level security applies as well.
create or replace function public.user_tier(p_user_id uuid) returns text
language plpgsql stable security invoker set search_path = '' as $$
begin
  if current_user in ('anon', 'authenticated') and p_user_id is distinct from (select auth.uid()) then
    raise exception using errcode = '42501', message = 'user_tier: a user may only read their own plan';
  end if;
  return coalesce((select subscription_tier from public.profiles where id = p_user_id), 'free');
end
$$;
