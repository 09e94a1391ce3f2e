// The dashboard's performance part: the shared filters, the period's figure
// cards against the previous period, the balance and drawdown chart, and the
// calendar. The live part of the dashboard (accounts, open positions) sits
// beside it, unchanged.
import { Link } from "@remix-run/react";
import type { AnalyticsScope, DashboardStats } from "~/models/analytics/types.ts";
import { analyticsFiltersQuery, type AnalyticsFilters } from "~/schemas/analytics-filters.ts";
import { AnalyticsFiltersBar } from "./analytics-filters-bar.tsx";
import { CalendarHeatmap } from "./calendar-heatmap.tsx";
import { EquityChart } from "./equity-chart.tsx";
import { StatsCards } from "./stats-cards.tsx";
import { useRefreshOnTradeChange } from "./use-refresh-on-trade-change.ts";

type ScopeChoices = Pick<AnalyticsScope, "accounts" | "currencies" | "key" | "tags" | "accountIds">;

function rangeText(stats: DashboardStats): string {
  const { period } = stats;
  if (!period.firstDay || !period.lastDay) return "All time";
  return period.firstDay === period.lastDay ? `${period.label}, ${period.firstDay}` : `${period.label}, ${period.firstDay} – ${period.lastDay}`;
}

/** A calendar day opens its daily review (/journal/$date), which lists the day's trades and links on to the trade list. */
export function dayJournalLink(day: string, scope: ScopeChoices): string {
  return scope.accountIds.length === 1 ? `/journal/${day}?account=${scope.accountIds[0]!}` : `/journal/${day}`;
}

export function PerformanceSection({
  stats,
  scope,
  filters,
  timeZone,
}: {
  stats: DashboardStats;
  scope: ScopeChoices;
  filters: AnalyticsFilters;
  timeZone: string;
}) {
  useRefreshOnTradeChange();
  const { summary } = stats;
  const previousLabel = stats.period.previous
    ? stats.period.key === "month" || stats.period.key === "last-month"
      ? "previous month"
      : stats.period.key === "today"
        ? "previous day"
        : "previous period"
    : null;
  return (
    <section aria-labelledby="performance-heading" className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="performance-heading" className="text-base font-semibold text-fg">
          Performance{" "}
          <span className="font-normal text-fg-subtle">
            · {scope.accountIds.length ? stats.scopeLabel : "no accounts"} · {rangeText(stats)}
          </span>
        </h2>
        <Link to={`/analytics${analyticsFiltersQuery(filters)}`} className="link text-sm">
          Breakdowns
        </Link>
      </div>
      <AnalyticsFiltersBar filters={filters} scope={scope} action="/dashboard" />
      {summary.trades === 0 ? (
        <p className="card px-4 py-3 text-sm text-fg-muted" data-empty-period>
          No closed trades in this period{stats.cashMovements ? " (cash movements only)" : ""}. Pick a longer period, or{" "}
          <Link to="/trades/new" className="link">
            add a trade
          </Link>
          .
        </p>
      ) : summary.trades < 30 ? (
        <p className="text-xs text-fg-subtle">
          {summary.trades} closed trade{summary.trades === 1 ? "" : "s"}: figures from fewer than 30 trades say little yet; the 95 % ranges show how
          little.
        </p>
      ) : null}
      <StatsCards summary={summary} previous={stats.previous} currency={stats.currency} previousLabel={previousLabel} />
      <EquityChart points={stats.curve} currency={stats.currency} timeZone={timeZone} totalPoints={stats.curvePoints} />
    </section>
  );
}

export function CalendarSection({ stats, scope }: { stats: DashboardStats; scope: ScopeChoices }) {
  return (
    <section aria-labelledby="calendar-heading" className="space-y-3">
      <h2 id="calendar-heading" className="text-base font-semibold text-fg">
        Calendar <span className="font-normal text-fg-subtle">· net P&amp;L per trading day</span>
      </h2>
      <CalendarHeatmap months={stats.calendar} currency={stats.currency} dayLink={(day) => dayJournalLink(day, scope)} />
    </section>
  );
}
