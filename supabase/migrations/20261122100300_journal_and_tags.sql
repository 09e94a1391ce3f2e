-- The journal on each trade, and the user's tags.

create table public.journals (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null,
  trade_id uuid not null unique,
  notes text check (char_length(notes) <= 20000),
  mood text check (mood in ('confident', 'uncertain', 'fearful', 'neutral', 'greedy', 'disciplined')),
  setup_quality smallint check (setup_quality between 1 and 5),
  followed_plan boolean,
  -- Object names in the trade-screenshots bucket ("<user id>/<trade id>/<file>").
  screenshot_paths text[] not null default '{}' check (cardinality(screenshot_paths) <= 10),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (trade_id, user_id) references public.trades (id, user_id) on delete cascade
);

create index journals_user_idx on public.journals (user_id, updated_at desc);

create trigger journals_set_updated_at before update on public.journals
  for each row execute function public.set_updated_at();

alter table public.journals enable row level security;
create policy journals_select_own on public.journals
  for select to authenticated using (user_id = (select auth.uid()));
create policy journals_insert_own on public.journals
  for insert to authenticated with check (user_id = (select auth.uid()));
create policy journals_update_own on public.journals
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy journals_delete_own on public.journals
  for delete to authenticated using (user_id = (select auth.uid()));
revoke all on public.journals from anon;

create table public.tags (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.profiles (id) on delete cascade,
  name text not null check (char_length(btrim(name)) between 1 and 40),
  color text not null default '#6366f1' check (color ~ '^#[0-9a-fA-F]{6}$'),
  created_at timestamptz not null default now(),
  unique (id, user_id)
);

create unique index tags_user_name_idx on public.tags (user_id, lower(btrim(name)));

alter table public.tags enable row level security;
create policy tags_select_own on public.tags
  for select to authenticated using (user_id = (select auth.uid()));
create policy tags_insert_own on public.tags
  for insert to authenticated with check (user_id = (select auth.uid()));
create policy tags_update_own on public.tags
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy tags_delete_own on public.tags
  for delete to authenticated using (user_id = (select auth.uid()));
revoke all on public.tags from anon;

-- Tags on trades: a join table rather than a text[] on the journal, so a tag can
-- be renamed once and filtered on with an index.
create table public.trade_tags (
  user_id uuid not null,
  trade_id uuid not null,
  tag_id uuid not null,
  created_at timestamptz not null default now(),
  primary key (trade_id, tag_id),
  foreign key (trade_id, user_id) references public.trades (id, user_id) on delete cascade,
  foreign key (tag_id, user_id) references public.tags (id, user_id) on delete cascade
);

create index trade_tags_tag_idx on public.trade_tags (tag_id);
create index trade_tags_user_idx on public.trade_tags (user_id);

alter table public.trade_tags enable row level security;
create policy trade_tags_select_own on public.trade_tags
  for select to authenticated using (user_id = (select auth.uid()));
create policy trade_tags_insert_own on public.trade_tags
  for insert to authenticated with check (user_id = (select auth.uid()));
create policy trade_tags_delete_own on public.trade_tags
  for delete to authenticated using (user_id = (select auth.uid()));
revoke all on public.trade_tags from anon;
revoke update on public.trade_tags from authenticated;
