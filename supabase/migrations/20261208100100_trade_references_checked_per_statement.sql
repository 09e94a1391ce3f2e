-- Issue 16 (the import's database floor): a trade's account and import batch, checked once per
-- statement instead of once per row.
--
-- An import's 100,000 trades all name one account and one import batch. The two foreign keys
-- looked that account and that batch up (and locked them) 100,000 times each: one SPI query per
-- row and key, ~1.4 s of the floor's INSERT in EXPLAIN ANALYZE (docs/benchmarks.md, issue 16,
-- "The floor"). The triggers below give the same guarantees with one look-up per distinct key:
--
-- * insert: every new trade's (account_id, user_id) is an account of that user, and its
--   import_batch_id (when set) an existing batch; both rows are locked FOR KEY SHARE, as the
--   foreign key locked them, so an account or batch deleted by a concurrent transaction either
--   waits for this one (and then cascades to its trades) or is seen gone (and the insert fails);
-- * update: a trade whose account, user or batch changes is checked the same way, row by row
--   (edits change none of them; an import batch's deletion sets it null, which needs no check);
-- * delete of an account: its trades go with it (was ON DELETE CASCADE), as the table's owner,
--   like the foreign key's action; delete of a batch: its trades keep no batch (ON DELETE SET NULL);
-- * an account's or batch's key cannot change while trades name it (was NO ACTION).
--
-- Errors keep the foreign key's SQLSTATE (23503), constraint name and message, so callers and
-- tests that recognised the violation still do. trade_legs → trades keeps its foreign key: a
-- leg's trade differs row by row, so a per-statement check saves nothing there.
-- tests/db/trade-references.test.ts proves each guarantee.

alter table public.trades drop constraint trades_account_id_user_id_fkey;
alter table public.trades drop constraint trades_import_batch_id_fkey;

create function public.trade_reference_violation(constraint_name text, key_detail text) returns void
language plpgsql as $$
begin
  raise exception using
    errcode = 'foreign_key_violation',
    constraint = constraint_name,
    message = format('insert or update on table "trades" violates foreign key constraint "%s"', constraint_name),
    detail = key_detail;
end
$$;

-- Referencing side, inserts: one pass over the statement's rows, one look-up per distinct key.
create function public.check_inserted_trade_references() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  k record;
begin
  for k in select distinct n.account_id, n.user_id, n.import_batch_id from new_rows n loop
    perform 1 from public.accounts a where a.id = k.account_id and a.user_id = k.user_id for key share of a;
    if not found then
      perform public.trade_reference_violation('trades_account_id_user_id_fkey',
        format('Key (account_id, user_id)=(%s, %s) is not present in table "accounts".', k.account_id, k.user_id));
    end if;
    if k.import_batch_id is not null then
      perform 1 from public.import_batches b where b.id = k.import_batch_id for key share of b;
      if not found then
        perform public.trade_reference_violation('trades_import_batch_id_fkey',
          format('Key (import_batch_id)=(%s) is not present in table "import_batches".', k.import_batch_id));
      end if;
    end if;
  end loop;
  return null;
end
$$;

-- Statement triggers fire by name: this one runs first, as the foreign keys' row triggers did, so a
-- bad reference is reported as such (not as a plan limit, nor as the analytics months' own key).
create trigger trades_account_and_batch_checked_insert after insert on public.trades
  referencing new table as new_rows for each statement execute function public.check_inserted_trade_references();

-- Referencing side, updates that change a reference (rare: none of the app's edits do).
create function public.check_updated_trade_references() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if (new.account_id, new.user_id) is distinct from (old.account_id, old.user_id) then
    perform 1 from public.accounts a where a.id = new.account_id and a.user_id = new.user_id for key share of a;
    if not found then
      perform public.trade_reference_violation('trades_account_id_user_id_fkey',
        format('Key (account_id, user_id)=(%s, %s) is not present in table "accounts".', new.account_id, new.user_id));
    end if;
  end if;
  if new.import_batch_id is not null and new.import_batch_id is distinct from old.import_batch_id then
    perform 1 from public.import_batches b where b.id = new.import_batch_id for key share of b;
    if not found then
      perform public.trade_reference_violation('trades_import_batch_id_fkey',
        format('Key (import_batch_id)=(%s) is not present in table "import_batches".', new.import_batch_id));
    end if;
  end if;
  return null;
end
$$;

create trigger trades_account_and_batch_checked_update after update of account_id, user_id, import_batch_id on public.trades
  for each row
  when ((new.account_id, new.user_id) is distinct from (old.account_id, old.user_id)
        or (new.import_batch_id is not null and new.import_batch_id is distinct from old.import_batch_id))
  execute function public.check_updated_trade_references();

-- Referenced side: an account's trades go with it; a batch's trades keep no batch.
create function public.delete_trades_of_deleted_accounts() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  delete from public.trades t using old_rows o where t.account_id = o.id and t.user_id = o.user_id;
  return null;
end
$$;

create trigger accounts_delete_trades after delete on public.accounts
  referencing old table as old_rows for each statement execute function public.delete_trades_of_deleted_accounts();

create function public.unlink_trades_of_deleted_import_batches() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update public.trades t set import_batch_id = null from old_rows o where t.import_batch_id = o.id;
  return null;
end
$$;

create trigger import_batches_unlink_trades after delete on public.import_batches
  referencing old table as old_rows for each statement execute function public.unlink_trades_of_deleted_import_batches();

-- Referenced side: a key that trades name does not change (no code changes one).
create function public.refuse_key_change_of_referenced_account() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if exists (select 1 from public.trades t where t.account_id = old.id and t.user_id = old.user_id) then
    raise exception using
      errcode = 'foreign_key_violation',
      constraint = 'trades_account_id_user_id_fkey',
      message = 'update or delete on table "accounts" violates foreign key constraint "trades_account_id_user_id_fkey" on table "trades"',
      detail = format('Key (id, user_id)=(%s, %s) is still referenced from table "trades".', old.id, old.user_id);
  end if;
  return null;
end
$$;

create trigger accounts_keep_referenced_key after update of id, user_id on public.accounts
  for each row when (new.id is distinct from old.id or new.user_id is distinct from old.user_id)
  execute function public.refuse_key_change_of_referenced_account();

create function public.refuse_key_change_of_referenced_import_batch() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if exists (select 1 from public.trades t where t.import_batch_id = old.id) then
    raise exception using
      errcode = 'foreign_key_violation',
      constraint = 'trades_import_batch_id_fkey',
      message = 'update or delete on table "import_batches" violates foreign key constraint "trades_import_batch_id_fkey" on table "trades"',
      detail = format('Key (id)=(%s) is still referenced from table "trades".', old.id);
  end if;
  return null;
end
$$;

create trigger import_batches_keep_referenced_key after update of id on public.import_batches
  for each row when (new.id is distinct from old.id)
  execute function public.refuse_key_change_of_referenced_import_batch();

revoke execute on function public.trade_reference_violation(text, text) from public, anon, authenticated, service_role;
revoke execute on function public.check_inserted_trade_references() from public, anon, authenticated, service_role;
revoke execute on function public.check_updated_trade_references() from public, anon, authenticated, service_role;
revoke execute on function public.delete_trades_of_deleted_accounts() from public, anon, authenticated, service_role;
revoke execute on function public.unlink_trades_of_deleted_import_batches() from public, anon, authenticated, service_role;
revoke execute on function public.refuse_key_change_of_referenced_account() from public, anon, authenticated, service_role;
revoke execute on function public.refuse_key_change_of_referenced_import_batch() from public, anon, authenticated, service_role;
