// The free plan's monthly trade allowance, as the database trigger
// (public.enforce_monthly_trade_limit) counts it: trades created since the
// start of the calendar month in the user's own time zone. Manual entry and
// imports both read it here.
import type { RequestDb } from "~/lib/db.server.ts";

export interface MonthlyAllowance {
  limit: number | null;
  used: number;
  left: number | null;
}

export async function monthlyAllowance(db: RequestDb, userId: string): Promise<MonthlyAllowance> {
  const { rows } = await db.query<{ monthly_trade_limit: number | null; used: number }>(
    `select l.monthly_trade_limit,
            (select count(*)::int from public.trades t
              where t.user_id = $1
                and t.created_at >= date_trunc('month', now() at time zone coalesce(s.time_zone, 'UTC')) at time zone coalesce(s.time_zone, 'UTC')) as used
       from public.plan_limits l
       left join public.user_settings s on s.user_id = $1
      where l.tier = public.user_tier($1)`,
    [userId],
  );
  const row = rows[0];
  const limit = row?.monthly_trade_limit ?? null;
  const used = row?.used ?? 0;
  return { limit, used, left: limit === null ? null : Math.max(0, limit - used) };
}
