-- "Journaled" means the trader wrote something: a journal row that exists
-- only because a playbook was linked, or because a screenshot's daily entry
-- made it, is not a written journal. The trade list's flag (and its journal
-- sort) and the trade page's "Journal: Written" follow what was written —
-- notes, lessons, mood, setup quality or followed-my-plan.

create or replace function public.journal_is_written(j public.journals) returns boolean
language sql immutable set search_path = '' as $$
  select coalesce(btrim(j.notes), '') <> '' or coalesce(btrim(j.lessons), '') <> ''
      or j.mood is not null or j.setup_quality is not null or j.followed_plan is not null
$$;

create or replace function public.mark_journaled_trades() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    update public.trades t set journaled = false
     where t.id = old.trade_id and t.journaled
       and not exists (select 1 from public.journals j where j.trade_id = old.trade_id and public.journal_is_written(j));
  end if;
  if tg_op in ('INSERT', 'UPDATE') and public.journal_is_written(new) then
    update public.trades t set journaled = true where t.id = new.trade_id and not t.journaled;
  end if;
  return null;
end
$$;

drop trigger journals_mark_trades on public.journals;
create trigger journals_mark_trades after insert or delete or update of trade_id, notes, lessons, mood, setup_quality, followed_plan on public.journals
  for each row execute function public.mark_journaled_trades();

-- Rows flagged for an unwritten entry lose the flag; their updated_at stays.
alter table public.trades disable trigger trades_set_updated_at;
update public.trades t set journaled = false
 where t.journaled and not exists (select 1 from public.journals j where j.trade_id = t.id and public.journal_is_written(j));
alter table public.trades enable trigger trades_set_updated_at;
