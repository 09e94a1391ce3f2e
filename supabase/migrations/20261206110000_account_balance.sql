-- One balance (issue 18): the dashboard showed an MT5 account's broker-reported
-- balance and the Accounts page a ledger summed from closed trades only, so the
-- demo read $15,934.03 on one and $15,934.56 on the other. The difference was
-- the open positions' realised money: MT5 charges the entry commission (and a
-- partial close books its profit) while the position is still open, and the
-- ledger skipped every open trade. Trade rows carry their realised money so far
-- whatever their status, so the ledger now sums every trade.
--
-- Both pages read this one function: the broker's figure for a synced MT5
-- account (stored as reported), the ledger otherwise. Security invoker, so RLS
-- scopes it to the caller's own rows.
create or replace function public.account_ledger_balance(account public.accounts) returns numeric
language sql stable as $$
  select account.initial_balance
       + coalesce((select sum(t.net_profit) from public.trades t where t.account_id = account.id), 0)
       + coalesce((select sum(c.amount) from public.cash_movements c where c.account_id = account.id), 0)
$$;

create or replace function public.account_balance(account public.accounts) returns numeric
language sql stable as $$
  select case when account.kind = 'mt5' and account.balance is not null then account.balance
              else public.account_ledger_balance(account) end
$$;
