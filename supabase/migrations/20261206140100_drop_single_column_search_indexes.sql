-- The journal's single-column GIN indexes on `search` serve no query: under
-- RLS `@@` is not leakproof, so filtered searches never probe an index, and
-- the unfiltered search (public.journal_search) uses the (user_id, search)
-- indexes of 20261206130000_journal_search.sql. Each still costs on every
-- autosave; they go.
drop index if exists public.journals_search_idx;
drop index if exists public.daily_journals_search_idx;
drop index if exists public.journal_screenshots_search_idx;
