// The two analytics views, computed from one period's input by the pure
// figures and cached per user, view and filters:
// - the dashboard's: summary cards with the previous period's, the balance
//   curve (thinned for display only) and the calendar;
// - /analytics: breakdowns, the day × hour heatmap and the summary's advanced
//   figures.
import {
  balanceCurve,
  breakdown,
  calendarMonths,
  dailyNet,
  dayHourHeatmap,
  summarize,
  type AnalyticsSource,
  type Summary,
  type BreakdownDimension,
  type BreakdownRow,
  type CalendarMonth,
} from "~/domain/analytics/index.ts";
import { PERIOD_LABELS, resolvePeriod, type ResolvedPeriod } from "~/domain/periods/period.ts";
import { addDays } from "~/domain/periods/trading-day.ts";
import type { RequestDb } from "~/lib/db.server.ts";
import type { AnalyticsFilters } from "~/schemas/analytics-filters.ts";
import { cached, type CacheCodec } from "./cache.server.ts";
import { dashboardCacheCodec } from "./cached-dashboard.ts";
import { loadAnalyticsInput, type InputRange } from "./input.server.ts";
import { loadAnalyticsScopeAndCache } from "./scope.server.ts";
import { loadAnalyticsColumns, resolvePendingIds, StoreChangedError } from "./store.server.ts";
import type { AnalyticsBreakdowns, AnalyticsScope, DashboardStats, PeriodView } from "./types.ts";

/** Points the balance chart draws at most; the figures use every point. */
export const CURVE_DISPLAY_POINTS = 2_000;
/** Months the calendar shows at most (the latest ones of the period). */
export const CALENDAR_MONTHS = 12;

export const BREAKDOWN_DIMENSIONS: readonly BreakdownDimension[] = ["symbol", "session", "weekday", "hour", "duration", "direction", "tag"];

function periodView(period: ResolvedPeriod): PeriodView {
  return {
    key: period.key,
    label: PERIOD_LABELS[period.key],
    firstDay: period.days?.firstDay ?? null,
    lastDay: period.days?.lastDay ?? null,
    previous: period.previous?.days ?? null,
  };
}

function cacheKey(view: string, scope: AnalyticsScope, filters: AnalyticsFilters, period: ResolvedPeriod): string {
  return JSON.stringify([
    view,
    scope.key,
    filters.symbol,
    filters.session,
    filters.direction,
    filters.tag,
    period.from?.getTime() ?? null,
    period.to?.getTime() ?? null,
    scope.dayRule.timeZone,
    scope.dayRule.dayStartMinutes,
  ]);
}

/** Every month of the period that the calendar shows, trades or not (the latest CALENDAR_MONTHS). */
function calendarFor(months: CalendarMonth[], period: ResolvedPeriod): CalendarMonth[] {
  const withTrades = new Map(months.map((m) => [m.month, m]));
  const first = period.days?.firstDay.slice(0, 7) ?? months[0]?.month;
  const last = period.days?.lastDay.slice(0, 7) ?? months.at(-1)?.month;
  if (!first || !last) return [];
  const all: string[] = [];
  for (let month = first; month <= last; month = addDays(`${month}-28`, 7).slice(0, 7)) all.push(month);
  return all.slice(-CALENDAR_MONTHS).map((month) => withTrades.get(month) ?? emptyMonth(month));
}

function emptyMonth(month: string): CalendarMonth {
  const [filled] = calendarMonths([{ day: `${month}-01`, net: "0", trades: 0 }]);
  return { ...filled!, days: [] };
}

/**
 * A running period ends now, not at its calendar end: Sharpe and Sortino count
 * every weekday up to the period's end as a day of return (0 without trades),
 * and the days still to come have none yet.
 */
function untilNow(period: ResolvedPeriod, now: Date): { from: Date | null; to: Date | null } {
  return { from: period.from, to: period.to && period.to > now ? now : period.to };
}

export interface LoadedView<T> {
  scope: AnalyticsScope;
  view: T;
  cacheHit: boolean;
}

/** What every view does first: the scope and period of the filters, then the cached figures for them. */
async function loadView<T, Stored = T>(
  db: RequestDb,
  userId: string,
  filters: AnalyticsFilters,
  now: Date,
  { name, codec }: { name: string; codec?: CacheCodec<T, Stored> },
  compute: (scope: AnalyticsScope, period: ResolvedPeriod) => Promise<T>,
): Promise<LoadedView<T>> {
  const { scope, cacheState } = await loadAnalyticsScopeAndCache(db, userId, filters);
  const period = resolvePeriod(filters.period, now, scope.dayRule, filters);
  const { value, hit } = await cached(db, userId, cacheKey(name, scope, filters, period), () => compute(scope, period), {
    codec,
    state: cacheState,
  });
  return { scope, view: value, cacheHit: hit };
}

/** The trade ids a view names: they may stand for ids the store has not read yet (store.server.ts). */
interface NamesTrades {
  tradeIds(): (string | null)[];
  withTradeIds(ids: Map<string, string>): void;
}

/**
 * The figures of one view from the analytics store, its pending trade ids
 * then read; from the trade rows instead when the store's exactness bound
 * refuses the data set (its bound covers whole months, so it may refuse a
 * set the rows would still add exactly; the rows path then decides, as
 * before the store), or when a month changed under the view twice running.
 */
async function computeFromStore<T>(
  db: RequestDb,
  scope: AnalyticsScope,
  filters: AnalyticsFilters,
  source: TradeSource,
  compute: (load: (range: InputRange) => Promise<AnalyticsSource>) => Promise<T>,
  names: (view: T) => NamesTrades,
): Promise<T> {
  const fromRows = () => compute((range) => loadAnalyticsInput(db, scope, filters, range, { withTags: true }));
  if (source === "rows") return fromRows();
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const view = await compute((range) => loadAnalyticsColumns(db, scope, filters, range, { allIdsUpTo: CURVE_DISPLAY_POINTS }));
      const named = names(view);
      named.withTradeIds(await resolvePendingIds(db, named.tradeIds()));
      return view;
    } catch (error) {
      if (error instanceof RangeError) return fromRows();
      if (!(error instanceof StoreChangedError)) throw error;
    }
  }
  return fromRows();
}

const summaryNames = (summary: Summary): NamesTrades => ({
  tradeIds: () => [summary.bestTrade, summary.worstTrade],
  withTradeIds: (ids) => {
    summary.bestTrade = summary.bestTrade && (ids.get(summary.bestTrade) ?? summary.bestTrade);
    summary.worstTrade = summary.worstTrade && (ids.get(summary.worstTrade) ?? summary.worstTrade);
  },
});

function dashboardNames(view: DashboardStats): NamesTrades {
  const summaries = [view.summary, view.previous].filter((s) => s !== null).map(summaryNames);
  return {
    tradeIds: () => [...summaries.flatMap((s) => s.tradeIds()), ...view.curve.map((p) => p.refId)],
    withTradeIds: (ids) => {
      for (const s of summaries) s.withTradeIds(ids);
      for (const point of view.curve) point.refId = point.refId && (ids.get(point.refId) ?? point.refId);
    },
  };
}

/** The dashboard's cache entries: packed (cached-dashboard.ts), under a name rows of the earlier shape never match. */
const DASHBOARD_CACHE = { name: "dashboard.2", codec: dashboardCacheCodec };

/** Where a view reads its trades: the analytics store, or (to compare, bench/analytics.ts) the trade rows. */
export type TradeSource = "store" | "rows";

const tradeCount = (input: AnalyticsSource) => ("columns" in input ? input.columns.count : input.trades.length);

export function loadDashboardStats(
  db: RequestDb,
  userId: string,
  filters: AnalyticsFilters,
  now: Date,
  source: TradeSource = "store",
): Promise<LoadedView<DashboardStats>> {
  return loadView(db, userId, filters, now, DASHBOARD_CACHE, (scope, period) =>
    computeFromStore(
      db,
      scope,
      filters,
      source,
      async (load): Promise<DashboardStats> => {
        const input = await load(untilNow(period, now));
        const previousInput = period.previous ? await load(period.previous) : null;
        // Thinned while it is built: only the drawn points are formatted (figures use every point).
        const curve = balanceCurve(input, { maxPoints: CURVE_DISPLAY_POINTS });
        return {
          currency: scope.currency,
          scopeLabel: scope.label,
          period: periodView(period),
          summary: summarize(input),
          previous: previousInput ? summarize(previousInput) : null,
          curve: curve.map((point) => ({
            time: Math.floor(point.at.getTime() / 1000),
            balance: point.balance,
            drawdown: point.drawdown,
            drawdownPercent: point.drawdownPercent,
            kind: point.kind,
            refId: point.refId,
          })),
          curvePoints: 1 + tradeCount(input) + input.cash.length,
          cashMovements: input.cash.length,
          calendar: calendarFor(calendarMonths(dailyNet(input)), period),
        };
      },
      dashboardNames,
    ),
  );
}

export function loadAnalyticsBreakdowns(
  db: RequestDb,
  userId: string,
  filters: AnalyticsFilters,
  now: Date,
  source: TradeSource = "store",
): Promise<LoadedView<AnalyticsBreakdowns>> {
  return loadView(db, userId, filters, now, { name: "breakdowns" }, (scope, period) =>
    computeFromStore(
      db,
      scope,
      filters,
      source,
      async (load): Promise<AnalyticsBreakdowns> => {
        const input = await load(untilNow(period, now));
        const breakdowns = Object.fromEntries(BREAKDOWN_DIMENSIONS.map((by) => [by, breakdown(input, by)])) as Record<
          BreakdownDimension,
          BreakdownRow[]
        >;
        return {
          currency: scope.currency,
          scopeLabel: scope.label,
          period: periodView(period),
          summary: summarize(input),
          breakdowns,
          heatmap: dayHourHeatmap(input),
        };
      },
      (view) => summaryNames(view.summary),
    ),
  );
}
