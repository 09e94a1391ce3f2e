-- Trades (one row per broker position), their legs, live open positions,
-- imports, and the rules that guard them.

-- Market sessions -------------------------------------------------------------------
-- Each market is defined in its own local time and converted per date, so the
-- tags stay right across every DST switch (London and New York switch on
-- different dates; Sydney switches the other way; Tokyo never does).
--   Sydney   07:00–16:00 Australia/Sydney
--   Tokyo    09:00–18:00 Asia/Tokyo
--   London   08:00–17:00 Europe/London
--   New York 08:00–17:00 America/New_York
-- Tags (kept from the product plan), by priority:
--   overlap  London and New York both open
--   london   London open
--   newyork  New York open
--   asian    Tokyo open
--   late-ny  after the New York close until Tokyo opens (only Sydney trades)
-- app/domain/sessions.ts implements the same rules; a test keeps them equal.
create or replace function public.market_is_open(market text, at_time timestamptz) returns boolean
language sql immutable parallel safe as $$
  select case market
    when 'sydney'  then (at_time at time zone 'Australia/Sydney')::time   >= '07:00' and (at_time at time zone 'Australia/Sydney')::time   < '16:00'
    when 'tokyo'   then (at_time at time zone 'Asia/Tokyo')::time         >= '09:00' and (at_time at time zone 'Asia/Tokyo')::time         < '18:00'
    when 'london'  then (at_time at time zone 'Europe/London')::time      >= '08:00' and (at_time at time zone 'Europe/London')::time      < '17:00'
    when 'newyork' then (at_time at time zone 'America/New_York')::time   >= '08:00' and (at_time at time zone 'America/New_York')::time   < '17:00'
  end
$$;

create or replace function public.session_tag(at_time timestamptz) returns text
language sql immutable parallel safe as $$
  select case
    when at_time is null then null
    when public.market_is_open('london', at_time) and public.market_is_open('newyork', at_time) then 'overlap'
    when public.market_is_open('london', at_time) then 'london'
    when public.market_is_open('newyork', at_time) then 'newyork'
    when public.market_is_open('tokyo', at_time) then 'asian'
    else 'late-ny'
  end
$$;

-- Imports ---------------------------------------------------------------------------

create table public.import_batches (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null,
  account_id uuid not null,
  format text not null check (format in (
    'mt5-html', 'mt5-xlsx', 'mt4-html', 'mt5-positions-csv', 'ctrader-csv', 'generic-csv', 'json')),
  file_name text check (char_length(file_name) <= 255),
  file_sha256 text check (file_sha256 ~ '^[0-9a-f]{64}$'),
  file_size_bytes integer check (file_size_bytes >= 0),
  status text not null default 'running' check (status in ('running', 'completed', 'failed', 'undone')),
  imported_count integer not null default 0,
  duplicate_count integer not null default 0,
  rejected_count integer not null default 0,
  -- [{row, reason, values}] for the "download the rejected rows" link.
  rejected_rows jsonb not null default '[]',
  error text,
  created_at timestamptz not null default now(),
  completed_at timestamptz,
  undone_at timestamptz,
  foreign key (account_id, user_id) references public.accounts (id, user_id) on delete cascade,
  unique (id, user_id)
);

create index import_batches_user_idx on public.import_batches (user_id, created_at desc);

alter table public.import_batches enable row level security;
create policy import_batches_select_own on public.import_batches
  for select to authenticated using (user_id = (select auth.uid()));
create policy import_batches_insert_own on public.import_batches
  for insert to authenticated with check (user_id = (select auth.uid()));
create policy import_batches_update_own on public.import_batches
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy import_batches_delete_own on public.import_batches
  for delete to authenticated using (user_id = (select auth.uid()));
revoke all on public.import_batches from anon;

alter table public.cash_movements
  add constraint cash_movements_import_batch_fk foreign key (import_batch_id) references public.import_batches (id) on delete set null;
create index cash_movements_import_batch_idx on public.cash_movements (import_batch_id) where import_batch_id is not null;

-- Generic CSV column mappings, remembered per user and header signature.
create table public.import_column_mappings (
  user_id uuid not null references public.profiles (id) on delete cascade,
  header_signature text not null check (char_length(header_signature) <= 128),
  mapping jsonb not null,
  updated_at timestamptz not null default now(),
  primary key (user_id, header_signature)
);

create trigger import_column_mappings_set_updated_at before update on public.import_column_mappings
  for each row execute function public.set_updated_at();

alter table public.import_column_mappings enable row level security;
create policy import_column_mappings_select_own on public.import_column_mappings
  for select to authenticated using (user_id = (select auth.uid()));
create policy import_column_mappings_insert_own on public.import_column_mappings
  for insert to authenticated with check (user_id = (select auth.uid()));
create policy import_column_mappings_update_own on public.import_column_mappings
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy import_column_mappings_delete_own on public.import_column_mappings
  for delete to authenticated using (user_id = (select auth.uid()));
revoke all on public.import_column_mappings from anon;

-- Trades ----------------------------------------------------------------------------

create table public.trades (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null,
  account_id uuid not null,
  -- Identity: the broker's position id (MT5 POSITION_IDENTIFIER / MT4 ticket),
  -- so one position is one row whether it arrived by sync or by file. Manual
  -- trades use 'manual:<uuid>'; files without position ids use 'fp:<sha256 of
  -- symbol, side, open time, volume, open price>' (docs/decisions/006).
  position_id text not null check (char_length(position_id) between 1 and 100),
  symbol text not null check (char_length(symbol) between 1 and 40),
  -- The symbol exactly as the broker names it ("EURUSD.Z").
  broker_symbol text check (char_length(broker_symbol) <= 60),
  direction text not null check (direction in ('buy', 'sell')),
  status text not null default 'closed' check (status in ('open', 'closed')),
  opened_at timestamptz not null,
  closed_at timestamptz,
  -- Minutes east of UTC the broker clock showed at open and at close; the
  -- stored times are UTC, these say how the broker's times were converted.
  open_server_utc_offset_minutes smallint check (open_server_utc_offset_minutes between -840 and 840),
  close_server_utc_offset_minutes smallint check (close_server_utc_offset_minutes between -840 and 840),
  -- Lots: total entered (scale-ins included) and total closed so far.
  volume numeric not null check (volume > 0),
  closed_volume numeric not null default 0 check (closed_volume >= 0),
  -- Volume-weighted entry and exit prices over the legs.
  entry_price numeric not null check (entry_price > 0),
  exit_price numeric check (exit_price > 0),
  -- The stop loss at entry; set once, never changed (true R depends on it).
  initial_stop_loss numeric check (initial_stop_loss > 0),
  stop_loss numeric check (stop_loss > 0),
  take_profit numeric check (take_profit > 0),
  -- Money in the account currency, as reported by the broker (or computed for
  -- manual trades; see pnl_source). Never floating point.
  gross_profit numeric not null default 0,
  commission numeric not null default 0,
  swap numeric not null default 0,
  fee numeric not null default 0,
  net_profit numeric generated always as (gross_profit + commission + swap + fee) stored,
  pnl_source text not null default 'broker' check (pnl_source in ('broker', 'computed', 'user')),
  -- For computed P&L: profit currency and the rate used to reach the account
  -- currency, so the figure can be traced to its inputs.
  profit_currency text check (profit_currency ~ '^[A-Z]{3,4}$'),
  conversion_rate numeric check (conversion_rate > 0),
  pips numeric,
  -- Money at risk at entry from the initial stop (planned R denominator).
  initial_risk_amount numeric check (initial_risk_amount > 0),
  session_tag text check (session_tag in ('asian', 'london', 'overlap', 'newyork', 'late-ny')),
  close_reason text check (close_reason in ('client', 'mobile', 'web', 'expert', 'sl', 'tp', 'so', 'rollover', 'vmargin', 'split', 'other')),
  magic bigint,
  comment text check (char_length(comment) <= 500),
  source text not null default 'manual' check (source in ('manual', 'file', 'mt5')),
  import_batch_id uuid references public.import_batches (id) on delete set null,
  -- The broker's own fields for this position, kept for traceability.
  raw jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (account_id, user_id) references public.accounts (id, user_id) on delete cascade,
  unique (account_id, position_id),
  unique (id, user_id),
  constraint closed_trades_have_exit check (status = 'open' or (closed_at is not null and exit_price is not null)),
  constraint exit_not_before_entry check (closed_at is null or closed_at >= opened_at),
  constraint closed_volume_within_volume check (closed_volume <= volume)
);

create index trades_user_closed_idx on public.trades (user_id, closed_at desc);
create index trades_user_opened_idx on public.trades (user_id, opened_at desc);
create index trades_account_opened_idx on public.trades (account_id, opened_at desc);
create index trades_user_symbol_idx on public.trades (user_id, symbol);
create index trades_user_status_idx on public.trades (user_id, status);
create index trades_user_session_idx on public.trades (user_id, session_tag);
create index trades_user_net_profit_idx on public.trades (user_id, net_profit);
create index trades_user_created_idx on public.trades (user_id, created_at);
create index trades_import_batch_idx on public.trades (import_batch_id) where import_batch_id is not null;

create trigger trades_set_updated_at before update on public.trades
  for each row execute function public.set_updated_at();

create or replace function public.trades_before_write() returns trigger
language plpgsql as $$
begin
  if tg_op = 'UPDATE' and old.initial_stop_loss is not null
     and new.initial_stop_loss is distinct from old.initial_stop_loss then
    raise exception using
      errcode = 'RJ002',
      message = 'initial_stop_loss_immutable',
      detail = 'The stop loss at entry is kept as it was; change stop_loss instead.';
  end if;
  if tg_op = 'INSERT' or new.opened_at is distinct from old.opened_at then
    new.session_tag := public.session_tag(new.opened_at);
  end if;
  return new;
end
$$;

create trigger trades_before_write before insert or update on public.trades
  for each row execute function public.trades_before_write();

-- Free plan: 15 trades added per calendar month (in the user's time zone).
-- Statement-level, so a 1,000-row import costs one count, not 1,000.
create or replace function public.enforce_monthly_trade_limit() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  owner record;
  month_start timestamptz;
  added integer;
begin
  for owner in select distinct user_id from new_trades loop
    if (select monthly_trade_limit from public.plan_limits where tier = public.user_tier(owner.user_id)) is null then
      continue;
    end if;
    -- Serialises concurrent inserts for one user so both see each other's rows.
    perform pg_advisory_xact_lock(hashtextextended('trades:' || owner.user_id::text, 0));
    select date_trunc('month', now() at time zone s.time_zone) at time zone s.time_zone
      into month_start
      from public.user_settings s where s.user_id = owner.user_id;
    month_start := coalesce(month_start, date_trunc('month', now() at time zone 'UTC') at time zone 'UTC');
    select count(*) into added from public.trades
      where user_id = owner.user_id and created_at >= month_start;
    if added > (select monthly_trade_limit from public.plan_limits where tier = public.user_tier(owner.user_id)) then
      raise exception using
        errcode = 'RJ001',
        message = 'monthly_trade_limit_reached',
        detail = format('The free plan allows %s trades a month; this change would make %s.',
                        (select monthly_trade_limit from public.plan_limits where tier = 'free'), added),
        hint = 'upgrade';
    end if;
  end loop;
  return null;
end
$$;

create trigger trades_enforce_monthly_limit after insert on public.trades
  referencing new table as new_trades
  for each statement execute function public.enforce_monthly_trade_limit();

alter table public.trades enable row level security;
create policy trades_select_own on public.trades
  for select to authenticated using (user_id = (select auth.uid()));
create policy trades_insert_own on public.trades
  for insert to authenticated with check (user_id = (select auth.uid()));
create policy trades_update_own on public.trades
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy trades_delete_own on public.trades
  for delete to authenticated using (user_id = (select auth.uid()));
revoke all on public.trades from anon;

-- Legs: every deal of a position (entries, scale-ins, partial and final exits),
-- kept rather than overwritten.
create table public.trade_legs (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null,
  trade_id uuid not null,
  -- Broker deal ticket; null for manual legs.
  deal_id text check (char_length(deal_id) <= 100),
  order_id text check (char_length(order_id) <= 100),
  kind text not null check (kind in ('entry', 'exit')),
  direction text not null check (direction in ('buy', 'sell')),
  executed_at timestamptz not null,
  server_utc_offset_minutes smallint check (server_utc_offset_minutes between -840 and 840),
  volume numeric not null check (volume > 0),
  price numeric not null check (price > 0),
  profit numeric not null default 0,
  commission numeric not null default 0,
  swap numeric not null default 0,
  fee numeric not null default 0,
  reason text,
  comment text check (char_length(comment) <= 500),
  created_at timestamptz not null default now(),
  foreign key (trade_id, user_id) references public.trades (id, user_id) on delete cascade,
  unique (trade_id, deal_id)
);

create index trade_legs_trade_idx on public.trade_legs (trade_id, executed_at);
create index trade_legs_user_idx on public.trade_legs (user_id);

alter table public.trade_legs enable row level security;
create policy trade_legs_select_own on public.trade_legs
  for select to authenticated using (user_id = (select auth.uid()));
create policy trade_legs_insert_own on public.trade_legs
  for insert to authenticated with check (user_id = (select auth.uid()));
create policy trade_legs_update_own on public.trade_legs
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy trade_legs_delete_own on public.trade_legs
  for delete to authenticated using (user_id = (select auth.uid()));
revoke all on public.trade_legs from anon;

-- Open positions, replaced per account on every light sync.
create table public.open_positions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null,
  account_id uuid not null,
  position_id text not null check (char_length(position_id) between 1 and 100),
  symbol text not null,
  broker_symbol text,
  direction text not null check (direction in ('buy', 'sell')),
  opened_at timestamptz not null,
  volume numeric not null check (volume > 0),
  entry_price numeric not null check (entry_price > 0),
  current_price numeric,
  stop_loss numeric,
  take_profit numeric,
  swap numeric not null default 0,
  floating_profit numeric,
  synced_at timestamptz not null default now(),
  foreign key (account_id, user_id) references public.accounts (id, user_id) on delete cascade,
  unique (account_id, position_id)
);

create index open_positions_user_idx on public.open_positions (user_id);
create index open_positions_symbol_idx on public.open_positions (symbol);

alter table public.open_positions enable row level security;
create policy open_positions_select_own on public.open_positions
  for select to authenticated using (user_id = (select auth.uid()));
-- Written by the sync jobs (service role) only.
revoke insert, update, delete, truncate on public.open_positions from anon, authenticated;
revoke select on public.open_positions from anon;
