// Settings → Profile: the name on the profile and the time settings in
// public.user_settings, read and written as the user (RLS decides).
import { AppError } from "~/lib/app-error.ts";
import type { AccessClaims } from "~/lib/access-token.server.ts";
import type { RequestDb } from "~/lib/db.server.ts";

export interface ProfileSettings {
  fullName: string;
  email: string;
  timeZone: string;
  tradingDayStartHour: number;
  /** Null: the trading day follows the user's own time zone. */
  tradingDayTimeZone: string | null;
}

export async function loadProfileSettings(db: RequestDb, claims: AccessClaims): Promise<ProfileSettings> {
  const { rows } = await db.query<{
    full_name: string | null;
    email: string;
    time_zone: string;
    trading_day_start_hour: number;
    trading_day_time_zone: string | null;
  }>(
    `select p.full_name, p.email, s.time_zone, s.trading_day_start_hour, s.trading_day_time_zone
       from public.profiles p join public.user_settings s on s.user_id = p.id
      where p.id = $1`,
    [claims.sub],
  );
  const row = rows[0];
  if (!row) throw new AppError("not_found", "We couldn't find your profile. Sign out and in again.");
  return {
    fullName: row.full_name ?? "",
    email: row.email,
    timeZone: row.time_zone,
    tradingDayStartHour: row.trading_day_start_hour,
    tradingDayTimeZone: row.trading_day_time_zone,
  };
}

export async function saveProfileSettings(
  db: RequestDb,
  claims: AccessClaims,
  settings: { fullName: string; timeZone: string; tradingDayStartHour: number; tradingDayTimeZone: string },
): Promise<void> {
  try {
    await db.query("update public.profiles set full_name = $2 where id = $1", [claims.sub, settings.fullName]);
    await db.query("update public.user_settings set time_zone = $2, trading_day_start_hour = $3, trading_day_time_zone = $4 where user_id = $1", [
      claims.sub,
      settings.timeZone,
      settings.tradingDayStartHour,
      settings.tradingDayTimeZone || null,
    ]);
  } catch (error) {
    // The database checks zones against its own tz data, which can lag the browser's.
    if ((error as { code?: string }).code === "23514") {
      throw new AppError("bad_request", "That time zone isn't supported yet. Choose a nearby city.", { cause: error });
    }
    throw error;
  }
}
