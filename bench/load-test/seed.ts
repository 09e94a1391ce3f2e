// The load test's traders, written straight into the database (fast: 5,000
// trades take a statement, not a sync): an Elite user confirmed through the
// admin API, an MT5 account on the simulator's server with its encrypted
// investor password (the jobs process syncs it), an account that imports go
// into, and a year of closed trades on the MT5 account with the broker's
// digits (5 for the FX pairs, 2 for gold), profits that follow from the prices,
// stops, targets, sessions and the legs on the trade row, as a sync stores them.
// Their tickets (2x xxx xxx) stay clear of the simulator's (from 40 000 000).
import type pg from "pg";
import { encryptWith, type EncryptionKeyring } from "../../app/lib/credential-crypto.server.ts";
import type { BenchStack } from "../support/app-stack.ts";

export const SIM_SERVER = "RawBroker-Demo";
export const simLogin = (index: number) => 51_000_000 + index;
export const simPassword = (index: number) => `load-investor-${index}`;
export const userEmail = (index: number) => `load-${index}@example.test`;
export const USER_PASSWORD = "load-password-2026";

export interface SeededUser {
  index: number;
  email: string;
  userId: string;
  mt5AccountId: string;
  importAccountId: string;
  /** A sample of the user's trades, for the trade pages. */
  tradeIds: string[];
}

export async function seedUser(stack: BenchStack, owner: pg.Client, keyring: EncryptionKeyring, index: number, trades: number): Promise<SeededUser> {
  const email = userEmail(index);
  const userId = await stack.createUser(email, USER_PASSWORD, "elite");
  await owner.query("update public.user_settings set time_zone = 'Europe/London' where user_id = $1", [userId]);
  const { rows } = await owner.query<{ id: string; kind: string }>(
    `insert into public.accounts (user_id, name, kind, broker, mt5_server, mt5_login, currency, margin_mode, leverage,
                                  server_time_zone, server_time_zone_confirmed)
     values ($1, 'Live MT5', 'mt5', 'RawBroker Ltd', $2, $3, 'USD', 'hedging', 100, 'NY+7', true)
     returning id, kind`,
    [userId, SIM_SERVER, simLogin(index)],
  );
  const mt5AccountId = rows[0]!.id;
  const secret = encryptWith(keyring, simPassword(index), { context: mt5AccountId });
  await owner.query("insert into public.account_credentials (account_id, user_id, password_ciphertext, key_id) values ($1, $2, $3, $4)", [
    mt5AccountId,
    userId,
    Buffer.from(secret.ciphertext),
    secret.keyId,
  ]);
  const imported = await owner.query<{ id: string }>(
    "insert into public.accounts (user_id, name, currency, server_time_zone) values ($1, 'Vantage (imports)', 'USD', 'NY+7') returning id",
    [userId],
  );
  // Symbol, price around which it trades, digits, pip, contract size (all quoted in USD: profit = move × lots × contract).
  await owner.query(
    `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at,
                                open_server_utc_offset_minutes, close_server_utc_offset_minutes,
                                volume, closed_volume, entry_price, exit_price, initial_stop_loss, take_profit, initial_risk_amount,
                                gross_profit, commission, swap, pips, session_tag, close_reason, source,
                                legs_in_row, entry_deal_id, exit_deal_id, entry_order_id, exit_order_id, entry_reason, exit_reason)
     select $1::uuid, $2::uuid, (20000000 + g)::text, s.symbol, d.direction, 'closed', o.opened, o.opened + o.held,
            120, 120, v.lots, v.lots, p.entry, p.exit,
            round(p.entry - d.sign * 30 * s.pip, s.digits), round(p.entry + d.sign * 60 * s.pip, s.digits),
            round(30 * s.pip * v.lots * s.contract, 2),
            round((p.exit - p.entry) * d.sign * v.lots * s.contract, 2), -round(v.lots * 7, 2),
            case when o.held > interval '1 day' then -round(v.lots * 2.1, 2) else 0 end,
            round((p.exit - p.entry) * d.sign / s.pip, 1),
            case when extract(hour from o.opened) < 7 then 'asian' when extract(hour from o.opened) < 12 then 'london'
                 when extract(hour from o.opened) < 16 then 'overlap' when extract(hour from o.opened) < 21 then 'newyork' else 'late-ny' end,
            r.reason, 'mt5', true,
            (21000000 + 2 * g)::text, (21000001 + 2 * g)::text, (23000000 + 2 * g)::text, (23000001 + 2 * g)::text, 'client', r.reason
       from generate_series(1::bigint, $3::bigint) g
       cross join lateral (
         select * from (values ('EURUSD', 1.0850, 5, 0.0001, 100000), ('GBPUSD', 1.2700, 5, 0.0001, 100000),
                               ('AUDUSD', 0.6600, 5, 0.0001, 100000), ('NZDUSD', 0.6100, 5, 0.0001, 100000),
                               ('XAUUSD', 2350.00, 2, 0.1, 100)) as t(symbol, base, digits, pip, contract)
          offset (g * 7919) % 5 limit 1) s
       cross join lateral (select case when g % 2 = 0 then 'buy' else 'sell' end as direction, case when g % 2 = 0 then 1 else -1 end as sign) d
       -- Opened over the year before the last three days, held 5 minutes to 2 days.
       cross join lateral (select now() - interval '368 days' + ((g * 6700417) % (365 * 24 * 60) || ' minutes')::interval as opened,
                                  ((5 + (g * 104729) % 2880) || ' minutes')::interval as held) o
       cross join lateral (select round(0.01 + ((g * 13) % 100) / 100.0, 2) as lots) v
       cross join lateral (select round(s.base * (1 + 0.04 * sin(g / 97.0))::numeric + ((g * 31) % 1000) * s.pip / 100, s.digits) as entry) e
       cross join lateral (select e.entry as entry, round(e.entry + (((g * 7919) % 181) - 80) * s.pip * 1.13, s.digits) as exit) p
       cross join lateral (select case when g % 5 = 0 then 'sl' when g % 7 = 0 then 'tp' else 'client' end as reason) r`,
    [userId, mt5AccountId, trades],
  );
  // An established trader's history was measured long ago: without these rows the jobs would spend the
  // stage backfilling MAE/MFE for 5,000 trades a user on the simulator's bars, a one-off of a first import.
  await owner.query(
    `insert into public.trade_excursions (trade_id, user_id, status, timeframe, mae_price, mfe_price, mae_pips, mfe_pips,
                                          mae_money, mfe_money, efficiency, mae_at, mfe_at, bars, trade_closed_at)
     select t.id, t.user_id, 'measured', 'M1', m.mae, m.mfe, round(m.mae / pip.size, 1), round(m.mfe / pip.size, 1),
            round(m.mae * t.volume * c.contract, 2), round(m.mfe * t.volume * c.contract, 2),
            case when m.mfe > 0 then least(1, round((t.exit_price - t.entry_price) * d.sign / m.mfe, 4)) end,
            t.opened_at + (t.closed_at - t.opened_at) / 3, t.opened_at + (t.closed_at - t.opened_at) * 2 / 3,
            greatest(1, extract(epoch from t.closed_at - t.opened_at)::int / 60), t.closed_at
       from public.trades t
       cross join lateral (select case when t.direction = 'buy' then 1 else -1 end as sign) d
       cross join lateral (select case when t.symbol = 'XAUUSD' then 0.1 else 0.0001 end as size) pip
       cross join lateral (select case when t.symbol = 'XAUUSD' then 100 else 100000 end as contract) c
       cross join lateral (select greatest(0, (t.entry_price - t.exit_price) * d.sign) + 5 * pip.size as mae,
                                  greatest(0, (t.exit_price - t.entry_price) * d.sign) + 5 * pip.size as mfe) m
      where t.account_id = $1`,
    [mt5AccountId],
  );
  const sample = await owner.query<{ id: string }>("select id from public.trades where account_id = $1 order by random() limit 200", [mt5AccountId]);
  return { index, email, userId, mt5AccountId, importAccountId: imported.rows[0]!.id, tradeIds: sample.rows.map((r) => r.id) };
}

export const SIM_SYMBOLS = ["EURUSD", "GBPUSD", "USDJPY", "XAUUSD"];

/**
 * The load test's simulator scenario: accounts 0…users (account 0 is the market data terminal's, as the demo's
 * is in `npm start`), on one broker server, with mt5/scenarios/demo.json's login costs.
 */
export function loadTestScenario(users: number) {
  return {
    name: "load-test",
    start: "now",
    speed: 1,
    latency_ms: { initialize: 400, same_server: 150, switch_server: 1500 },
    servers: { [SIM_SERVER]: { zone: "NY+7", company: "RawBroker Ltd" } },
    symbols: SIM_SYMBOLS,
    accounts: Array.from({ length: users + 1 }, (_, i) => simAccount(i)),
  };
}

/** The simulator's account for a user: a little history of its own and a deal every 20-40 s, like the demo account. */
export function simAccount(index: number) {
  return {
    login: simLogin(index),
    server: SIM_SERVER,
    name: `Load Trader ${index}`,
    investor_password: simPassword(index),
    currency: "USD",
    leverage: 100,
    margin_mode: "hedging",
    trade_mode: "demo",
    commission_per_lot: -3.5,
    ticket_base: 40_000_000 + index * 100_000,
    generator: {
      seed: 1000 + index,
      initial_deposit: 10000,
      max_open: 3,
      symbols: SIM_SYMBOLS,
      history: { from: "-3d", interval: ["3h", "6h"] },
      live: { interval: [20, 40] },
    },
  };
}
