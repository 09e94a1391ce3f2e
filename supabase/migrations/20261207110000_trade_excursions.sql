-- MAE / MFE and exit efficiency of closed trades (issue 14 item 5; the
-- definitions are in docs/metrics.md#mae-mfe and app/domain/excursions). A table
-- of its own, one row per measured trade, rather than columns on trades: the
-- trade row stays as narrow as imports write it, and a trade without a row is
-- simply not measured yet (the backfill's "pending").
--
-- Written by the trade-excursions job (service role) only; the owner reads.

create table public.trade_excursions (
  trade_id uuid primary key,
  user_id uuid not null,
  -- measured: the figures below are set; no_bars: the broker has no M1 or M5
  -- bars for the trade's span; unknown_symbol: the market data broker has no
  -- such symbol. Neither of the last two is retried by the backfill.
  status text not null check (status in ('measured', 'no_bars', 'unknown_symbol')),
  -- The bars used: M1, or M5 where the terminal had no M1 history that far back.
  timeframe text check (timeframe in ('M1', 'M5')),
  -- Distances >= 0 in price, pips (null: unknown instrument), account money
  -- (null: no rate to price them) and R (null: no initial stop).
  mae_price numeric check (mae_price >= 0),
  mfe_price numeric check (mfe_price >= 0),
  mae_pips numeric,
  mfe_pips numeric,
  mae_money numeric,
  mfe_money numeric,
  mae_r numeric,
  mfe_r numeric,
  -- Captured move / MFE (<= 1; negative for a trade closed beyond its entry against it); null when MFE is 0.
  efficiency numeric check (efficiency <= 1),
  mae_at timestamptz,
  mfe_at timestamptz,
  bars integer check (bars >= 0),
  -- The close it was measured for: a trade whose close changed since is measured again.
  trade_closed_at timestamptz not null,
  computed_at timestamptz not null default now(),
  foreign key (trade_id, user_id) references public.trades (id, user_id) on delete cascade,
  constraint measured_has_figures check (status <> 'measured' or (timeframe is not null and mae_price is not null and mfe_price is not null))
);

-- Progress and the analytics averages read a user's rows.
create index trade_excursions_user_idx on public.trade_excursions (user_id, status);

alter table public.trade_excursions enable row level security;
create policy trade_excursions_select_own on public.trade_excursions
  for select to authenticated using (user_id = (select auth.uid()));
revoke insert, update, delete, truncate on public.trade_excursions from anon, authenticated;
revoke select on public.trade_excursions from anon;
