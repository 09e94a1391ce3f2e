-- Financing: the overnight financing some brokers book as a balance row of
-- its own (OANDA's MT4 statements print "Financing" balance rows) rather
-- than as swap on the trade. It is a cost of holding positions, not money
-- the trader moved, so it gets a kind of its own instead of "withdrawal".
alter table public.cash_movements drop constraint cash_movements_kind_check;
alter table public.cash_movements add constraint cash_movements_kind_check check (kind in (
  'deposit', 'withdrawal', 'credit', 'bonus', 'commission', 'charge', 'correction',
  'interest', 'dividend', 'tax', 'financing', 'other'));
