-- Deleting a trade cascades to each table that refers to it with one
-- `DELETE FROM ONLY child WHERE $1 = trade_id AND $2 = user_id` per deleted
-- trade, from a cached plan. Right after a large import (or a seed) those
-- tables have no statistics yet, and the planner, seeing an index on user_id
-- and one on trade_id with the same default selectivity, chose the narrower
-- owner index (or a bitmap AND of both): each lookup read all of the user's
-- rows, and undoing a 100,000-trade import took longer than ten minutes.
--
-- The owner indexes now go on to trade_id, so whichever index the planner
-- picks, the lookup is exact; they still lead with the owner column, as every
-- column a policy filters on does (tests/db/rls.test.ts).
-- tests/db/trade-cascades.test.ts plans each cascade's lookup without
-- statistics and requires trade_id in its index condition.

drop index public.trade_legs_user_idx;
create index trade_legs_user_trade_idx on public.trade_legs (user_id, trade_id);

drop index public.trade_tags_user_idx;
create index trade_tags_user_trade_idx on public.trade_tags (user_id, trade_id);

drop index public.trade_rule_checks_user_idx;
create index trade_rule_checks_user_trade_idx on public.trade_rule_checks (user_id, trade_id);

-- Excursions' progress counts a user's rows (this index, index only) and the
-- measured ones (the partial index, which a cascade's lookup cannot use).
drop index public.trade_excursions_user_idx;
create index trade_excursions_user_trade_idx on public.trade_excursions (user_id, trade_id);
create index trade_excursions_measured_idx on public.trade_excursions (user_id) where status = 'measured';
