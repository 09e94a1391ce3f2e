// Rows for database tests, written as the superuser (the way a migration or the
// service owner would), so tests can arrange any state before acting as a user.
import { randomUUID } from "node:crypto";
import type pg from "pg";

export type Queryable = Pick<pg.Pool, "query">;

export async function createUser(
  db: Queryable,
  {
    email = `${randomUUID()}@example.test`,
    tier = "free",
    admin = false,
    fullName = "Test Trader",
    timeZone,
    starterTags = false,
  }: { email?: string; tier?: "free" | "pro" | "elite"; admin?: boolean; fullName?: string; timeZone?: string; starterTags?: boolean } = {},
): Promise<string> {
  const id = randomUUID();
  await db.query(
    `insert into auth.users (id, aud, role, email, encrypted_password, email_confirmed_at,
       raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
     values ($1, 'authenticated', 'authenticated', $2, '', now(),
       '{"provider":"email","providers":["email"]}', $3, now(), now())`,
    [id, email, JSON.stringify({ full_name: fullName, ...(timeZone ? { time_zone: timeZone } : {}) })],
  );
  if (tier !== "free" || admin) {
    await db.query("update public.profiles set subscription_tier = $2, is_admin = $3 where id = $1", [id, tier, admin]);
  }
  // A new auth user gets starter tags (20261206120300_starter_tags.sql); tests
  // start from an empty tag list unless they ask for them, so a fixture's own
  // "breakout" does not collide with the starter "Breakout".
  if (!starterTags) await db.query("delete from public.tags where user_id = $1", [id]);
  return id;
}

export async function createAccount(
  db: Queryable,
  userId: string,
  fields: Partial<{ name: string; kind: "manual" | "mt5"; mt5_server: string; mt5_login: number; currency: string }> = {},
): Promise<string> {
  const row = { name: "Main", kind: "manual", currency: "USD", ...fields };
  const { rows } = await db.query(
    `insert into public.accounts (user_id, name, kind, currency, mt5_server, mt5_login)
     values ($1, $2, $3, $4, $5, $6) returning id`,
    [userId, row.name, row.kind, row.currency, row.mt5_server ?? null, row.mt5_login ?? null],
  );
  return rows[0].id;
}

export interface TradeFields {
  position_id: string;
  symbol: string;
  direction: "buy" | "sell";
  opened_at: string;
  closed_at: string | null;
  status: "open" | "closed";
  volume: string;
  entry_price: string;
  exit_price: string | null;
  gross_profit: string;
  initial_stop_loss: string | null;
}

export async function createTrade(db: Queryable, userId: string, accountId: string, fields: Partial<TradeFields> = {}): Promise<string> {
  const t: TradeFields = {
    position_id: String(Math.floor(Math.random() * 1e12)),
    symbol: "EURUSD",
    direction: "buy",
    opened_at: "2026-03-02T09:15:00Z",
    closed_at: "2026-03-02T11:40:00Z",
    status: "closed",
    volume: "0.50",
    entry_price: "1.08250",
    exit_price: "1.08420",
    gross_profit: "85.00",
    initial_stop_loss: "1.08100",
    ...fields,
  };
  const { rows } = await db.query(
    `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at,
       volume, entry_price, exit_price, gross_profit, initial_stop_loss, source)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'manual') returning id`,
    [
      userId,
      accountId,
      t.position_id,
      t.symbol,
      t.direction,
      t.status,
      t.opened_at,
      t.closed_at,
      t.volume,
      t.entry_price,
      t.exit_price,
      t.gross_profit,
      t.initial_stop_loss,
    ],
  );
  return rows[0].id;
}

export async function createTag(db: Queryable, userId: string, name = `tag-${randomUUID().slice(0, 8)}`): Promise<string> {
  const { rows } = await db.query("insert into public.tags (user_id, name) values ($1, $2) returning id", [userId, name]);
  return rows[0].id;
}

/** Claims as GoTrue puts them in an access token. */
export function userClaims(userId: string) {
  return { role: "authenticated", sub: userId, aud: "authenticated", session_id: randomUUID() } as const;
}
