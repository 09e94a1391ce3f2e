-- Starter tags (issue 13): a new user finds a few tags in each group —
-- setups, mistakes, emotions — ready in the journal's picker, to rename,
-- recolour, merge or delete on /settings/tags. Only users created from now on
-- get them: existing users' tag lists are theirs and are left as they are.
--
-- handle_new_auth_user is re-created with its body from
-- 20261122100000_profiles_and_plans.sql unchanged, plus the tag inserts.
create or replace function public.handle_new_auth_user() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.profiles (id, email, full_name)
  values (
    new.id,
    coalesce(new.email, ''),
    nullif(left(coalesce(new.raw_user_meta_data ->> 'full_name', new.raw_user_meta_data ->> 'name', ''), 120), '')
  );
  insert into public.user_settings (user_id, time_zone)
  values (
    new.id,
    case
      when public.is_valid_time_zone(new.raw_user_meta_data ->> 'time_zone') then new.raw_user_meta_data ->> 'time_zone'
      else 'UTC'
    end
  );
  -- Colours by group (setups blue, mistakes red, emotions amber), so the
  -- groups tell apart at a glance in the journal.
  insert into public.tags (user_id, name, category, color)
  select new.id, starter.name, starter.category, starter.color
    from (values
      ('Breakout', 'setup', '#3b82f6'),
      ('Pullback', 'setup', '#3b82f6'),
      ('Reversal', 'setup', '#3b82f6'),
      ('Range', 'setup', '#3b82f6'),
      ('Moved stop', 'mistake', '#ef4444'),
      ('Early exit', 'mistake', '#ef4444'),
      ('Oversized', 'mistake', '#ef4444'),
      ('FOMO entry', 'mistake', '#ef4444'),
      ('No stop', 'mistake', '#ef4444'),
      ('Calm', 'emotion', '#f59e0b'),
      ('Anxious', 'emotion', '#f59e0b'),
      ('Impatient', 'emotion', '#f59e0b'),
      ('Overconfident', 'emotion', '#f59e0b')
    ) as starter (name, category, color);
  return new;
end
$$;

revoke execute on function public.handle_new_auth_user() from public, anon, authenticated;
