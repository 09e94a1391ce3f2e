-- The journal (issue 13): the per-trade entry grows the fields a trader
-- fills in after every trade, daily reviews get their own table, screenshots
-- become rows (a caption, dimensions, and a place in the deletion queue),
-- tags gain a category (setup, mistake, emotion, general) so "mistakes" are
-- one user-editable list with the tags, and playbooks with checklists.
--
-- Stale writes: every journal row carries a version that each update bumps.
-- A save names the version it edited; a save against an older version
-- changes nothing and the app shows both texts (see app/models/journal).

-- ── Per-trade journal ──────────────────────────────────────────────────────
-- Mood is a fixed five-step scale (1 = frustrated … 5 = focused); the words
-- of the old column become their place on it.
alter table public.journals drop constraint if exists journals_mood_check;
alter table public.journals
  alter column mood type smallint using (
    case mood
      when 'fearful' then 1
      when 'greedy' then 2
      when 'uncertain' then 2
      when 'neutral' then 3
      when 'confident' then 4
      when 'disciplined' then 5
    end
  );
alter table public.journals add constraint journals_mood_check check (mood between 1 and 5);

-- Followed my plan: yes, no or partly (a boolean cannot say "partly").
alter table public.journals
  alter column followed_plan type text using (case followed_plan when true then 'yes' when false then 'no' end);
alter table public.journals add constraint journals_followed_plan_check check (followed_plan in ('yes', 'no', 'partly'));

alter table public.journals
  add column lessons text check (char_length(lessons) <= 20000),
  add column version integer not null default 1,
  -- English stemming: "scaling" finds "scaled". Captions are searched from
  -- journal_screenshots, which has its own vector.
  add column search tsvector generated always as (
    to_tsvector('english', coalesce(notes, '') || ' ' || coalesce(lessons, ''))
  ) stored;

create index journals_search_idx on public.journals using gin (search);

-- Screenshots are rows now (public.journal_screenshots).
alter table public.journals drop column screenshot_paths;

-- Only what the writer typed or picked bumps the version: linking a playbook
-- from another panel must not make an open editor's next autosave "stale".
create or replace function public.bump_journal_version() returns trigger
language plpgsql set search_path = '' as $$
begin
  if (new.notes, new.lessons, new.mood, new.setup_quality, new.followed_plan)
     is distinct from (old.notes, old.lessons, old.mood, old.setup_quality, old.followed_plan) then
    new.version := old.version + 1;
  end if;
  return new;
end
$$;

create trigger journals_bump_version before update on public.journals
  for each row execute function public.bump_journal_version();

create or replace function public.bump_daily_journal_version() returns trigger
language plpgsql set search_path = '' as $$
begin
  if (new.premarket_plan, new.review, new.mood) is distinct from (old.premarket_plan, old.review, old.mood) then
    new.version := old.version + 1;
  end if;
  return new;
end
$$;

-- ── Daily review: one entry per user and trading day ───────────────────────
create table public.daily_journals (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.profiles (id) on delete cascade,
  -- The trading day (user_settings' day start hour and zone), not a UTC date.
  trading_day date not null,
  premarket_plan text check (char_length(premarket_plan) <= 20000),
  review text check (char_length(review) <= 20000),
  mood smallint check (mood between 1 and 5),
  version integer not null default 1,
  search tsvector generated always as (
    to_tsvector('english', coalesce(premarket_plan, '') || ' ' || coalesce(review, ''))
  ) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (user_id, trading_day),
  unique (id, user_id)
);

create index daily_journals_user_updated_idx on public.daily_journals (user_id, trading_day desc);
create index daily_journals_search_idx on public.daily_journals using gin (search);

create trigger daily_journals_set_updated_at before update on public.daily_journals
  for each row execute function public.set_updated_at();
create trigger daily_journals_bump_version before update on public.daily_journals
  for each row execute function public.bump_daily_journal_version();

alter table public.daily_journals enable row level security;
create policy daily_journals_select_own on public.daily_journals
  for select to authenticated using (user_id = (select auth.uid()));
create policy daily_journals_insert_own on public.daily_journals
  for insert to authenticated with check (user_id = (select auth.uid()));
create policy daily_journals_update_own on public.daily_journals
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy daily_journals_delete_own on public.daily_journals
  for delete to authenticated using (user_id = (select auth.uid()));
revoke all on public.daily_journals from anon;

-- ── Screenshots ────────────────────────────────────────────────────────────
-- One row per object in the private trade-screenshots bucket, on a trade or
-- on a daily review (exactly one of the two). The object is uploaded first
-- and the row inserted after; an object without a row is an orphan the
-- cleanup job removes after an hour.
create table public.journal_screenshots (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.profiles (id) on delete cascade,
  trade_id uuid,
  daily_journal_id uuid,
  -- "<user id>/<trade id or day-<date>>/<uuid>.<ext>" in trade-screenshots.
  object_path text not null unique check (split_part(object_path, '/', 1) = user_id::text),
  content_type text not null check (content_type in ('image/png', 'image/jpeg', 'image/webp')),
  bytes integer not null check (bytes between 1 and 5242880),
  width integer not null check (width between 1 and 16384),
  height integer not null check (height between 1 and 16384),
  caption text check (char_length(caption) <= 500),
  search tsvector generated always as (to_tsvector('english', coalesce(caption, ''))) stored,
  created_at timestamptz not null default now(),
  check (num_nonnulls(trade_id, daily_journal_id) = 1),
  foreign key (trade_id, user_id) references public.trades (id, user_id) on delete cascade,
  foreign key (daily_journal_id, user_id) references public.daily_journals (id, user_id) on delete cascade
);

create index journal_screenshots_trade_idx on public.journal_screenshots (trade_id) where trade_id is not null;
create index journal_screenshots_day_idx on public.journal_screenshots (daily_journal_id) where daily_journal_id is not null;
create index journal_screenshots_user_idx on public.journal_screenshots (user_id, created_at desc);
create index journal_screenshots_search_idx on public.journal_screenshots using gin (search);

alter table public.journal_screenshots enable row level security;
create policy journal_screenshots_select_own on public.journal_screenshots
  for select to authenticated using (user_id = (select auth.uid()));
create policy journal_screenshots_insert_own on public.journal_screenshots
  for insert to authenticated with check (user_id = (select auth.uid()));
create policy journal_screenshots_update_own on public.journal_screenshots
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy journal_screenshots_delete_own on public.journal_screenshots
  for delete to authenticated using (user_id = (select auth.uid()));
revoke all on public.journal_screenshots from anon;
-- Only the caption changes after upload.
revoke update on public.journal_screenshots from authenticated;
grant update (caption) on public.journal_screenshots to authenticated;

-- Objects whose row is gone (a trade, review, account or user deleted, or the
-- screenshot itself) wait here until the storage-cleanup job deletes them
-- through the Storage API: a trigger cannot call it, and Supabase refuses
-- direct deletes from storage.objects.
create table public.storage_deletions (
  object_path text primary key,
  bucket_id text not null default 'trade-screenshots',
  queued_at timestamptz not null default now(),
  attempts integer not null default 0,
  last_error text
);

alter table public.storage_deletions enable row level security;
revoke all on public.storage_deletions from anon, authenticated;

create or replace function public.queue_screenshot_deletion() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.storage_deletions (object_path) values (old.object_path) on conflict do nothing;
  return old;
end
$$;
revoke execute on function public.queue_screenshot_deletion() from public, anon, authenticated;

create trigger journal_screenshots_queue_deletion after delete on public.journal_screenshots
  for each row execute function public.queue_screenshot_deletion();

-- At most ten screenshots per trade or day (the old array's limit).
create or replace function public.limit_journal_screenshots() returns trigger
language plpgsql set search_path = '' as $$
begin
  if (
    select count(*) from public.journal_screenshots s
    where (new.trade_id is not null and s.trade_id = new.trade_id)
       or (new.daily_journal_id is not null and s.daily_journal_id = new.daily_journal_id)
  ) >= 10 then
    raise exception 'at most 10 screenshots per entry' using errcode = 'check_violation';
  end if;
  return new;
end
$$;

create trigger journal_screenshots_limit before insert on public.journal_screenshots
  for each row execute function public.limit_journal_screenshots();

-- ── Tags: categories, so mistakes and emotions are tags too ────────────────
alter table public.tags
  add column category text not null default 'general' check (category in ('setup', 'mistake', 'emotion', 'general'));

-- ── Playbooks: named setups with a checklist of entry rules ────────────────
create table public.playbooks (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.profiles (id) on delete cascade,
  name text not null check (char_length(btrim(name)) between 1 and 80),
  description text check (char_length(description) <= 5000),
  archived boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, user_id)
);

create unique index playbooks_user_name_idx on public.playbooks (user_id, lower(btrim(name)));

create trigger playbooks_set_updated_at before update on public.playbooks
  for each row execute function public.set_updated_at();

create table public.playbook_rules (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null,
  playbook_id uuid not null,
  position smallint not null check (position between 0 and 49),
  text text not null check (char_length(btrim(text)) between 1 and 300),
  created_at timestamptz not null default now(),
  unique (id, user_id),
  foreign key (playbook_id, user_id) references public.playbooks (id, user_id) on delete cascade
);

create index playbook_rules_playbook_idx on public.playbook_rules (playbook_id, position);
create index playbook_rules_user_idx on public.playbook_rules (user_id);

-- The trade's playbook lives on its journal entry; the ticked rules here.
alter table public.journals add column playbook_id uuid;
alter table public.journals
  add constraint journals_playbook_fk foreign key (playbook_id, user_id) references public.playbooks (id, user_id) on delete set null (playbook_id);
create index journals_playbook_idx on public.journals (playbook_id) where playbook_id is not null;

create table public.trade_rule_checks (
  user_id uuid not null,
  trade_id uuid not null,
  rule_id uuid not null,
  created_at timestamptz not null default now(),
  primary key (trade_id, rule_id),
  foreign key (trade_id, user_id) references public.trades (id, user_id) on delete cascade,
  foreign key (rule_id, user_id) references public.playbook_rules (id, user_id) on delete cascade
);

create index trade_rule_checks_rule_idx on public.trade_rule_checks (rule_id);
create index trade_rule_checks_user_idx on public.trade_rule_checks (user_id);

do $$
declare
  t text;
begin
  foreach t in array array['playbooks', 'playbook_rules', 'trade_rule_checks'] loop
    execute format('alter table public.%I enable row level security', t);
    execute format('create policy %I on public.%I for select to authenticated using (user_id = (select auth.uid()))', t || '_select_own', t);
    execute format('create policy %I on public.%I for insert to authenticated with check (user_id = (select auth.uid()))', t || '_insert_own', t);
    execute format(
      'create policy %I on public.%I for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()))',
      t || '_update_own', t);
    execute format('create policy %I on public.%I for delete to authenticated using (user_id = (select auth.uid()))', t || '_delete_own', t);
    execute format('revoke all on public.%I from anon', t);
  end loop;
end
$$;
revoke update on public.trade_rule_checks from authenticated;
