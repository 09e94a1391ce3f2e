// One balance (issue 18): the dashboard's card and the Accounts page show the
// same figure for every account, from public.account_balance. An MT5 account
// shows what the broker reported; the ledger behind a manual account counts
// every trade's realised money, open positions' entry commissions and partial
// closes included, so it agrees with the broker's own balance.
import { describe, expect, it } from "vitest";
import { listAccounts as listAccountsInRequest } from "../../app/models/accounts.server.ts";
import { loadDashboard as loadDashboardInRequest } from "../../app/models/dashboard.server.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createTrade, createUser, userClaims } from "../support/fixtures.ts";
import { asRequest } from "./as-request.ts";

const db = await createTestDatabase();
const loadDashboard = asRequest(loadDashboardInRequest);
const listAccounts = asRequest(listAccountsInRequest);

describe("account balance", () => {
  it("is the same on the dashboard and the Accounts page, and the ledger counts open trades' realised money", async () => {
    const user = await createUser(db.pool, { tier: "pro" });
    const manual = await createAccount(db.pool, user, { name: "Manual" });
    const mt5 = await createAccount(db.pool, user, { kind: "mt5", mt5_server: "RawBroker-Demo", mt5_login: 50100100, name: "Demo" });
    for (const account of [manual, mt5]) {
      await db.pool.query("update public.accounts set initial_balance = 0 where id = $1", [account]);
      await db.pool.query(
        "insert into public.cash_movements (user_id, account_id, kind, amount, occurred_at, deal_id) values ($1, $2, 'deposit', 10000, '2026-11-01T08:00:00Z', 'd1')",
        [user, account],
      );
      // A closed trade: +120.00 gross, −7.00 commission.
      const closed = await createTrade(db.pool, user, account, { gross_profit: "120.00", closed_at: "2026-11-02T10:00:00Z" });
      await db.pool.query("update public.trades set commission = -7.00 where id = $1", [closed]);
      // An open position, partly closed: +40.00 booked on the closed part, −0.35 entry commission charged at open.
      await db.pool.query(
        `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, volume, closed_volume,
           entry_price, gross_profit, commission)
         values ($1, $2, 'open-1', 'EURUSD', 'buy', 'open', '2026-11-03T10:00:00Z', 1, 0.5, 1.08, 40.00, -0.35)`,
        [user, account],
      );
    }
    // The broker's own balance for the MT5 account: 10,000 + 113 + 39.65.
    await db.pool.query(
      "update public.accounts set balance = 10152.65, equity = 10160.00, last_synced_at = now(), sync_status = 'ok' where id = $1",
      [mt5],
    );

    const dashboard = await loadDashboard(db.pool, userClaims(user));
    const page = await listAccounts(db.pool, userClaims(user));
    const shownOnDashboard = (id: string) => {
      const account = dashboard.accounts.find((a) => a.id === id)!;
      return account.kind === "mt5" ? (account.balance ?? account.ledgerBalance) : account.ledgerBalance;
    };
    const shownOnAccounts = (id: string) => page.accounts.find((a) => a.id === id)!.balance;
    for (const id of [manual, mt5]) expect(Number(shownOnDashboard(id))).toBe(Number(shownOnAccounts(id)));
    expect(Number(shownOnAccounts(manual))).toBe(10152.65);
    expect(Number(shownOnAccounts(mt5))).toBe(10152.65);
    // The ledger the manual account shows agrees with what a broker would report for the same deals.
    const { rows } = await db.pool.query("select public.account_ledger_balance(a)::text as ledger from public.accounts a where a.id = $1", [mt5]);
    expect(Number(rows[0].ledger)).toBe(10152.65);
  });
});
