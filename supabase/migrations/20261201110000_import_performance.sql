-- Import performance (issue 5; docs/benchmarks.md, "Import"): a 100,000-position
-- report writes 100,000 trades and ~220,000 legs in one transaction, so every
-- per-row cost on trades and trade_legs is paid hundreds of thousands of times.

-- Session tag: bulk writers (app/models/trade-store.server.ts) compute it in the
-- app with the same rules (app/domain/sessions.ts; tests/db/sessions.test.ts
-- keeps the SQL function and the TypeScript equal) and send it with the row.
-- The trigger fills it only when a writer leaves it out, so an import no longer
-- runs a PL/pgSQL call per row; the WHEN clause is checked without calling it.
-- Updates keep the old rules: a changed open time re-tags the trade, and the
-- stop loss at entry stays write-once.
create or replace function public.trades_fill_session_tag() returns trigger
language plpgsql as $$
begin
  new.session_tag := public.session_tag(new.opened_at);
  return new;
end
$$;

drop trigger trades_before_write on public.trades;
create trigger trades_fill_session_tag before insert on public.trades
  for each row when (new.session_tag is null) execute function public.trades_fill_session_tag();
create trigger trades_before_write before update on public.trades
  for each row execute function public.trades_before_write();

-- Legs are read through their trade (trade detail, open-trade leg counts, the
-- cascade from trades), and the unique (trade_id, deal_id) index serves all
-- of those: (trade_id, executed_at) only duplicated its leading column (a
-- trade's few legs sort in memory) at one more index entry and WAL record per
-- leg. trade_legs_user_idx stays: every owner column a policy uses keeps an
-- index (tests/db/rls.test.ts).
drop index if exists public.trade_legs_trade_idx;

-- Staged uploads are read back in slices (app/models/imports/uploads.server.ts),
-- so the app never holds a 50 MB file as 100 MB of hex text. Stored
-- uncompressed, a slice is read without decompressing everything before it,
-- and a file is not compressed on the way in (it waits here a day at most).
alter table public.import_uploads alter column bytes set storage external;
