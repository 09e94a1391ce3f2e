// The daily review (/journal/$date): one entry per user and trading day — the
// pre-market plan, the end-of-day review and the mood — with that day's
// trades, as the signed-in user (RLS decides what exists).
//
// Stale writes: a save names the version it edited. The update matches that
// version only, so a save from an older version (another tab, a device that
// was offline) changes nothing and returns what is stored, for the page to
// show both texts. The version trigger bumps only on a content change.
//
// A day's trades are the ones the trade list shows for that day: closed trades
// by close time and open trades by open time within the trading day's bounds
// (the user's day start hour and zone, app/domain/periods/trading-day.ts).
import { dec } from "~/domain/decimal.ts";
import type { Mood } from "~/domain/journal/scales.ts";
import { addDays, dayRuleOf, tradingDayOf, tradingDayStart } from "~/domain/periods/trading-day.ts";
import { realisedR } from "~/domain/trades/r-multiple.ts";
import type { RequestDb } from "~/lib/db.server.ts";
import type { DailyReviewContent } from "~/schemas/daily-review.ts";
import { TRADE_ROW_COLUMNS, toTradeRow, type TradeDbRow } from "../trade-row.ts";
import type { DailyReviewEntry, DailyReviewPage, DailyReviewSaveResult, DayTotal, DayTrade } from "./daily-review.types.ts";

interface DailyJournalRow {
  id: string;
  premarket_plan: string | null;
  review: string | null;
  mood: number | null;
  version: number;
  updated_at: Date;
}

const DAILY_COLUMNS = "id, premarket_plan, review, mood, version, updated_at";

export const EMPTY_DAILY_REVIEW: DailyReviewEntry = { id: null, premarketPlan: "", review: "", mood: null, version: 0, updatedAt: null };

function toEntry(row: DailyJournalRow | undefined): DailyReviewEntry {
  if (!row) return EMPTY_DAILY_REVIEW;
  return {
    id: row.id,
    premarketPlan: row.premarket_plan ?? "",
    review: row.review ?? "",
    mood: row.mood as Mood | null,
    version: row.version,
    updatedAt: row.updated_at.toISOString(),
  };
}

async function readEntry(db: RequestDb, userId: string, day: string): Promise<DailyReviewEntry> {
  const { rows } = await db.query<DailyJournalRow>(
    `select ${DAILY_COLUMNS} from public.daily_journals where user_id = $1 and trading_day = $2::date`,
    [userId, day],
  );
  return toEntry(rows[0]);
}

interface SettingsRow {
  time_zone: string | null;
  start_hour: number | null;
  day_zone: string | null;
  account_name: string | null;
}

type DayTradeRow = TradeDbRow & { account_name: string; currency: string };

function toDayTrade(row: DayTradeRow): DayTrade {
  const trade = toTradeRow(row);
  const r = realisedR({ ...trade, closed: trade.status === "closed" });
  return {
    id: trade.id,
    symbol: trade.symbol,
    direction: trade.direction,
    status: trade.status,
    accountName: row.account_name,
    currency: row.currency,
    openedAt: trade.openedAt,
    closedAt: trade.closedAt,
    netProfit: trade.netProfit,
    r: r.value,
  };
}

function totalsOf(trades: DayTrade[]): DayTotal[] {
  const byCurrency = new Map<string, { net: ReturnType<typeof dec>; trades: number }>();
  // Closed trades only, as the calendar heatmap counts the day.
  for (const trade of trades.filter((t) => t.status === "closed")) {
    const total = byCurrency.get(trade.currency) ?? { net: dec(0), trades: 0 };
    byCurrency.set(trade.currency, { net: total.net.plus(trade.netProfit), trades: total.trades + 1 });
  }
  return [...byCurrency].map(([currency, total]) => ({ currency, net: total.net.toFixed(2), trades: total.trades }));
}

/**
 * The review of trading day `day` ("YYYY-MM-DD", already checked) with its
 * trades from every account, or from `accountId` alone.
 */
export async function loadDailyReview(db: RequestDb, userId: string, day: string, accountId: string | null, now: Date): Promise<DailyReviewPage> {
  const settings = (
    await db.query<SettingsRow>(
      `select s.time_zone, s.trading_day_start_hour as start_hour, s.trading_day_time_zone as day_zone,
              (select a.name from public.accounts a where a.id = $2::uuid and a.user_id = $1) as account_name
         from (select 1) one left join public.user_settings s on s.user_id = $1`,
      [userId, accountId],
    )
  ).rows[0]!;
  const rule = dayRuleOf({ timeZone: settings.time_zone, startHour: settings.start_hour, dayZone: settings.day_zone });
  const start = tradingDayStart(day, rule);
  const end = tradingDayStart(addDays(day, 1), rule);
  const account = settings.account_name !== null ? accountId : null;
  const entry = await readEntry(db, userId, day);
  const tradeRows = await db.query<DayTradeRow>(
    `select ${TRADE_ROW_COLUMNS}, a.name as account_name, a.currency
         from public.trades t join public.accounts a on a.id = t.account_id
        where t.user_id = $1 and ($4::uuid is null or t.account_id = $4::uuid)
          and ((t.status = 'closed' and t.closed_at >= $2 and t.closed_at < $3)
            or (t.status = 'open' and t.opened_at >= $2 and t.opened_at < $3))
        order by coalesce(t.closed_at, t.opened_at), t.id`,
    [userId, start, end, account],
  );
  const trades = tradeRows.rows.map(toDayTrade);
  return {
    day,
    previousDay: addDays(day, -1),
    nextDay: addDays(day, 1),
    today: tradingDayOf(now, rule),
    timeZone: settings.time_zone ?? "UTC",
    dayStart: `${String(Math.floor(rule.dayStartMinutes / 60)).padStart(2, "0")}:${String(rule.dayStartMinutes % 60).padStart(2, "0")} ${rule.timeZone}`,
    entry,
    trades,
    totals: totalsOf(trades),
    accountName: account ? settings.account_name : null,
  };
}

const stored = (text: string) => (text === "" ? null : text);

/**
 * Saves the day's review if `version` is still the stored one (0: no entry
 * yet). Otherwise nothing changes and the result carries the stored entry.
 */
export async function saveDailyReview(
  db: RequestDb,
  userId: string,
  day: string,
  content: DailyReviewContent,
  version: number,
): Promise<DailyReviewSaveResult> {
  const values = [userId, day, stored(content.premarketPlan), stored(content.review), content.mood];
  const { rows } =
    version === 0
      ? await db.query<DailyJournalRow>(
          `insert into public.daily_journals (user_id, trading_day, premarket_plan, review, mood)
           values ($1, $2::date, $3, $4, $5)
           -- A day whose entry holds no words yet (made empty by a screenshot upload) has nothing to lose.
           on conflict (user_id, trading_day) do update
             set premarket_plan = excluded.premarket_plan, review = excluded.review, mood = excluded.mood
             where daily_journals.premarket_plan is null and daily_journals.review is null and daily_journals.mood is null
           returning ${DAILY_COLUMNS}`,
          values,
        )
      : await db.query<DailyJournalRow>(
          `update public.daily_journals set premarket_plan = $3, review = $4, mood = $5
            where user_id = $1 and trading_day = $2::date and version = $6
           returning ${DAILY_COLUMNS}`,
          [...values, version],
        );
  if (rows[0]) return { status: "saved", entry: toEntry(rows[0]) };
  const current = await readEntry(db, userId, day);
  // Another tab saved the very same words: nothing is lost, so nothing to resolve.
  const same = current.premarketPlan === content.premarketPlan && current.review === content.review && current.mood === content.mood;
  return same && current.version > 0 ? { status: "saved", entry: current } : { status: "conflict", current };
}
