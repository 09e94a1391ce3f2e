-- Import pipeline: files staged between upload and confirm, the progress the
-- browser polls while an import runs, and the extra counts an import batch
-- reports.

-- An uploaded file waits here (for a day at most) until the user confirms the
-- preview. The import itself runs in one transaction; progress is written to
-- this row from a separate connection so the browser can read it meanwhile.
create table public.import_uploads (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.profiles (id) on delete cascade,
  account_id uuid,
  file_name text not null check (char_length(file_name) between 1 and 255),
  size_bytes integer not null check (size_bytes >= 0),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  bytes bytea,
  -- What detection found at upload; null when it could not tell (the preview says why).
  detected_format text check (detected_format in (
    'mt5-html', 'mt5-xlsx', 'mt4-html', 'mt5-positions-csv', 'ctrader-csv', 'generic-csv', 'json')),
  -- Generic CSV: the mapping confirmed for this file.
  column_mapping jsonb,
  phase text not null default 'staged' check (phase in ('staged', 'parsing', 'storing', 'done', 'failed')),
  progress_done integer not null default 0 check (progress_done >= 0),
  progress_total integer not null default 0 check (progress_total >= 0),
  progress_error text,
  progress_updated_at timestamptz not null default now(),
  batch_id uuid,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null default now() + interval '1 day',
  foreign key (account_id, user_id) references public.accounts (id, user_id) on delete cascade
);

create index import_uploads_user_idx on public.import_uploads (user_id, created_at desc);
create index import_uploads_expires_idx on public.import_uploads (expires_at);

alter table public.import_uploads enable row level security;
create policy import_uploads_select_own on public.import_uploads
  for select to authenticated using (user_id = (select auth.uid()));
create policy import_uploads_insert_own on public.import_uploads
  for insert to authenticated with check (user_id = (select auth.uid()));
create policy import_uploads_update_own on public.import_uploads
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy import_uploads_delete_own on public.import_uploads
  for delete to authenticated using (user_id = (select auth.uid()));
revoke all on public.import_uploads from anon;

-- Batches: open trades the file showed closed, cash rows, the language the
-- report was in, and which upload produced it. upload_id is unique so a
-- confirm sent twice (double click, retry) imports once: the second insert
-- waits for the first transaction and then conflicts.
alter table public.import_batches
  add column updated_count integer not null default 0,
  add column cash_count integer not null default 0,
  add column cash_duplicate_count integer not null default 0,
  add column language text check (char_length(language) <= 16),
  add column upload_id uuid unique;

-- Undo: the batch's trades (legs and journals go with them by cascade) and
-- cash rows are deleted and the batch is marked undone. Runs as the caller
-- (RLS applies); a second undo finds nothing to do.
create or replace function public.undo_import_batch(p_batch_id uuid)
returns table (trades_deleted integer, cash_deleted integer)
language plpgsql security invoker set search_path = '' as $$
declare
  batch public.import_batches;
begin
  select * into batch from public.import_batches where id = p_batch_id for update;
  if not found then
    raise exception using errcode = 'P0002', message = 'import_batch_not_found';
  end if;
  if batch.status = 'undone' then
    return query select 0, 0;
    return;
  end if;
  with gone as (
    delete from public.trades where import_batch_id = p_batch_id and user_id = batch.user_id returning 1
  ) select count(*) into trades_deleted from gone;
  with gone as (
    delete from public.cash_movements where import_batch_id = p_batch_id and user_id = batch.user_id returning 1
  ) select count(*) into cash_deleted from gone;
  update public.import_batches set status = 'undone', undone_at = now() where id = p_batch_id;
  return next;
end
$$;
revoke execute on function public.undo_import_batch(uuid) from public, anon;
grant execute on function public.undo_import_batch(uuid) to authenticated, service_role;
