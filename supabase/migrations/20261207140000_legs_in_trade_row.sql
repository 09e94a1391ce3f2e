-- Legs as rows only where they carry information (issue 16, docs/decisions/017).
--
-- Most positions are one entry deal and one exit deal (or one entry, still
-- open). Everything such a pair says is on its trade row already (times,
-- offsets, volume, prices, direction, the exit's profit and swap), except the
-- deals' own tickets, reasons, comments and how commission and fee split
-- between the two deals: those few facts move onto the trade row, and the
-- pair is no longer stored as two trade_legs rows (a heap row and three index
-- entries each, a foreign-key check and an RLS check: a third of an import's
-- rows). `legs_in_row` says the trade's legs are its row's; trade_legs keeps
-- the legs of every other position (scale-ins, partial closes, reversals,
-- service deals) and of manual trades.
--
-- Every reader gets legs from public.trade_leg_rows, which returns the stored
-- legs and synthesises the pair of a legs_in_row trade, so nothing reads
-- trade_legs directly.
--
-- This file can run again on a migrated database (tests/db/legs-in-row.test.ts
-- does, after writing legs the old way): every statement is idempotent.

alter table public.trades
  add column if not exists legs_in_row boolean not null default false,
  add column if not exists entry_deal_id text check (char_length(entry_deal_id) <= 100),
  add column if not exists entry_order_id text check (char_length(entry_order_id) <= 100),
  add column if not exists entry_reason text,
  add column if not exists entry_comment text check (char_length(entry_comment) <= 500),
  -- Money the entry deal carried (null: none); profit and swap are the exit deal's.
  add column if not exists entry_commission numeric,
  add column if not exists entry_fee numeric,
  add column if not exists exit_deal_id text check (char_length(exit_deal_id) <= 100),
  add column if not exists exit_order_id text check (char_length(exit_order_id) <= 100),
  add column if not exists exit_reason text,
  add column if not exists exit_comment text check (char_length(exit_comment) <= 500),
  add column if not exists exit_commission numeric,
  add column if not exists exit_fee numeric;

-- The one read path for legs. Security invoker: the caller's RLS on trades and
-- trade_legs decides what it sees. Synthetic legs get stable ids made from the
-- trade id, so a page can key on them like stored ones.
create or replace view public.trade_leg_rows with (security_invoker = true) as
select l.id, l.user_id, l.trade_id, l.deal_id, l.order_id, l.kind, l.direction, l.executed_at, l.server_utc_offset_minutes,
       l.volume, l.price, l.profit, l.commission, l.swap, l.fee, l.reason, l.comment
  from public.trade_legs l
union all
select md5(t.id::text || ':entry')::uuid, t.user_id, t.id, t.entry_deal_id, t.entry_order_id, 'entry', t.direction, t.opened_at,
       t.open_server_utc_offset_minutes, t.volume, t.entry_price, 0::numeric, coalesce(t.entry_commission, 0), 0::numeric,
       coalesce(t.entry_fee, 0), t.entry_reason, t.entry_comment
  from public.trades t
 where t.legs_in_row
union all
select md5(t.id::text || ':exit')::uuid, t.user_id, t.id, t.exit_deal_id, t.exit_order_id, 'exit',
       case t.direction when 'buy' then 'sell' else 'buy' end, t.closed_at, t.close_server_utc_offset_minutes,
       t.closed_volume, t.exit_price, t.gross_profit, coalesce(t.exit_commission, 0), t.swap, coalesce(t.exit_fee, 0),
       t.exit_reason, t.exit_comment
  from public.trades t
 where t.legs_in_row and t.status = 'closed';

revoke all on public.trade_leg_rows from anon, authenticated;
grant select on public.trade_leg_rows to authenticated, service_role;

-- Existing data: a trade whose stored legs are exactly the pair the view would
-- synthesise (compared as the text PostgreSQL prints, so nothing a reader sees
-- changes) keeps them in its row. Anything else (a leg that differs in any
-- field, a scale-in, a partial close, a service deal) keeps its rows.
create temporary table single_pairs on commit drop as
select t.id as trade_id, e.id as entry_id, x.id as exit_id,
       e.deal_id as entry_deal_id, e.order_id as entry_order_id, e.reason as entry_reason, e.comment as entry_comment,
       case when e.commission::text = '0' then null else e.commission end as entry_commission,
       case when e.fee::text = '0' then null else e.fee end as entry_fee,
       x.deal_id as exit_deal_id, x.order_id as exit_order_id, x.reason as exit_reason, x.comment as exit_comment,
       case when x.commission::text = '0' then null else x.commission end as exit_commission,
       case when x.fee::text = '0' then null else x.fee end as exit_fee
  from public.trades t
  join public.trade_legs e on e.trade_id = t.id and e.kind = 'entry'
  left join public.trade_legs x on x.trade_id = t.id and x.kind = 'exit'
 where not t.legs_in_row
   and (select count(*) from public.trade_legs c where c.trade_id = t.id) = case t.status when 'closed' then 2 else 1 end
   and e.direction = t.direction
   and e.executed_at = t.opened_at
   and e.server_utc_offset_minutes is not distinct from t.open_server_utc_offset_minutes
   and e.volume::text = t.volume::text
   and e.price::text = t.entry_price::text
   and e.profit::text = '0'
   and e.swap::text = '0'
   and case
         when t.status = 'open' then x.id is null
         else x.id is not null
          and x.direction <> t.direction
          and x.executed_at = t.closed_at
          and x.server_utc_offset_minutes is not distinct from t.close_server_utc_offset_minutes
          and x.volume::text = t.closed_volume::text
          and x.price::text = t.exit_price::text
          and x.profit::text = t.gross_profit::text
          and x.swap::text = t.swap::text
       end;

-- Not a user's edit: the trade's updated_at stays as it was.
alter table public.trades disable trigger trades_set_updated_at;

update public.trades t
   set legs_in_row = true,
       entry_deal_id = p.entry_deal_id, entry_order_id = p.entry_order_id, entry_reason = p.entry_reason,
       entry_comment = p.entry_comment, entry_commission = p.entry_commission, entry_fee = p.entry_fee,
       exit_deal_id = p.exit_deal_id, exit_order_id = p.exit_order_id, exit_reason = p.exit_reason,
       exit_comment = p.exit_comment, exit_commission = p.exit_commission, exit_fee = p.exit_fee
  from single_pairs p
 where t.id = p.trade_id;

alter table public.trades enable trigger trades_set_updated_at;

delete from public.trade_legs l
 using single_pairs p
 where l.trade_id = p.trade_id;
