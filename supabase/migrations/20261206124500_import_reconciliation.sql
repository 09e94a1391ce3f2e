-- Issue 18 item 6: after an import, the figures the file prints about itself
-- (balance, total net profit, MT4 deposits) and what the stored trades and cash
-- rows of that file added up to at the end of the store, both as exact decimal
-- text ({summary, stored}; app/domain/imports/reconcile-import.ts reads it).
-- Null for formats that print no summary (CSV, JSON) and for older batches.
alter table public.import_batches add column reconciliation jsonb;
