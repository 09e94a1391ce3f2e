-- Per-account corrections to the instrument catalogue: a broker whose gold
-- contract is 10 oz instead of 100, an index CFD with a different tick value.
-- Every column but the keys is nullable: null means "use the catalogue".
-- Symbols are stored under their canonical name (app/domain/instruments/
-- normalize-symbol.ts), the same name trades are stored under.

create table public.account_instrument_overrides (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null,
  account_id uuid not null,
  symbol text not null check (char_length(symbol) between 1 and 40),
  contract_size numeric check (contract_size > 0),
  point numeric check (point > 0),
  pip_size numeric check (pip_size > 0),
  tick_size numeric check (tick_size > 0),
  tick_value numeric check (tick_value > 0),
  digits smallint check (digits between 0 and 10),
  profit_currency text check (profit_currency ~ '^[A-Z]{3,4}$'),
  -- app/domain/instruments/types.ts CalculationMode.
  calculation_mode text check (calculation_mode in (
    'forex', 'forex-no-leverage', 'cfd', 'cfd-index', 'cfd-leverage', 'futures')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (account_id, user_id) references public.accounts (id, user_id) on delete cascade,
  unique (account_id, symbol)
);

create index account_instrument_overrides_user_idx on public.account_instrument_overrides (user_id);

create trigger account_instrument_overrides_set_updated_at before update on public.account_instrument_overrides
  for each row execute function public.set_updated_at();

alter table public.account_instrument_overrides enable row level security;
create policy account_instrument_overrides_select_own on public.account_instrument_overrides
  for select to authenticated using (user_id = (select auth.uid()));
create policy account_instrument_overrides_insert_own on public.account_instrument_overrides
  for insert to authenticated with check (user_id = (select auth.uid()));
create policy account_instrument_overrides_update_own on public.account_instrument_overrides
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy account_instrument_overrides_delete_own on public.account_instrument_overrides
  for delete to authenticated using (user_id = (select auth.uid()));
revoke all on public.account_instrument_overrides from anon;
