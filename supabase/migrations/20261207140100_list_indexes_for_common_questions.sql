-- Indexes serve the common questions, not every column (issue 16, docs/decisions/017).
--
-- Every index on trades is written by every imported trade: a b-tree descent,
-- an insert and its WAL record per row, so a 100,000-position import paid for
-- each of them 100,000 times (docs/benchmarks.md, "Import": the list's 14
-- indexes were ~4 s of the store). These kept the list's rare sorts an index
-- walk; they go:
--   direction, session, result   — filters answered by the facet counts and a
--                                  walk of the close-time index (which carries
--                                  status, result and the journal flag);
--   volume, entry price, exit    — sorts nobody filters by: the page reads the
--   price, pips, duration          user's rows and keeps the top 50 (heap top-N).
-- Kept: close time (default sort, carries status/result/journaled), open time,
-- status (+ open time), symbol, net P&L, account + close time, account + open
-- time, import batch, created_at (the free plan's monthly count), the journal
-- partial index, the analytics close-time index, and the keys.
-- Targets (docs/benchmarks.md, "Trade list"): every filter and the common
-- sorts p95 < 40 ms at 100,000 trades, the rare sorts p95 < 150 ms.
drop index if exists public.trades_user_direction_idx;
drop index if exists public.trades_user_session_idx;
drop index if exists public.trades_user_result_idx;
drop index if exists public.trades_user_volume_idx;
drop index if exists public.trades_user_entry_price_idx;
drop index if exists public.trades_user_exit_price_idx;
drop index if exists public.trades_user_pips_idx;
drop index if exists public.trades_user_duration_idx;
