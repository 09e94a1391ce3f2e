// /analytics: the period's breakdowns (symbol, session, weekday, hour,
// duration, side, tag), the day × hour heatmap and the advanced figures,
// under the same URL filters as the dashboard. Server-rendered; the charts are
// SVG, so the page reads without JavaScript.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AdvancedMetrics } from "~/components/analytics/advanced-metrics.tsx";
import { AnalyticsFiltersBar } from "~/components/analytics/analytics-filters-bar.tsx";
import { BreakdownTable } from "~/components/analytics/breakdown-table.tsx";
import { DayHourHeatmap } from "~/components/analytics/day-hour-heatmap.tsx";
import { useRefreshOnTradeChange } from "~/components/analytics/use-refresh-on-trade-change.ts";
import { PageHeader } from "~/components/page-header.tsx";
import { sessionLabel } from "~/components/trades/trade-badges.tsx";
import type { BreakdownDimension } from "~/domain/analytics/index.ts";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleLoader } from "~/lib/route-handler.server.ts";
import { wallClockNow } from "~/lib/wall-clock.server.ts";
import { loadAnalyticsBreakdowns } from "~/models/analytics/views.server.ts";
import { loadSignalsComparisonCached } from "~/models/psychology.server.ts";
import { SignalsComparisonSection } from "~/components/psychology/signals-comparison.tsx";
import { analyticsFiltersQuery, parseAnalyticsFilters } from "~/schemas/analytics-filters.ts";
import { ExcursionProgressNote } from "~/components/analytics/excursion-progress.tsx";
import { loadExcursionBreakdowns, loadExcursionProgress } from "~/models/excursions/excursions.server.ts";

export const meta: MetaFunction = () => [{ title: "Analytics — RawJournal" }];

const TITLES: Record<BreakdownDimension, string> = {
  symbol: "By symbol",
  session: "By session",
  weekday: "By weekday opened",
  hour: "By hour opened",
  duration: "By time held",
  direction: "By side",
  tag: "By tag",
};

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => {
    const user = await requireUserDb(request);
    const filters = parseAnalyticsFilters(new URL(request.url).searchParams);
    const now = wallClockNow();
    const { scope, view } = await loadAnalyticsBreakdowns(user.db, user.claims.sub, filters, now);
    const { accounts, currencies, key, tags, accountIds } = scope;
    const psychology = await loadSignalsComparisonCached(user.db, user.claims.sub, scope, filters, now);
    // MAE/MFE columns: grouped only once some trade is measured.
    const excursionProgress = await loadExcursionProgress(user.db, user.claims.sub);
    const excursions = excursionProgress.measured > 0 ? await loadExcursionBreakdowns(user.db, scope, filters, now) : null;
    return { filters, view, scope: { accounts, currencies, key, tags, accountIds }, psychology, excursions, excursionProgress };
  });

export default function Analytics() {
  const { filters, view, scope, psychology } = useLoaderData<typeof loader>();
  const { excursions, excursionProgress } = useLoaderData<typeof loader>();
  useRefreshOnTradeChange();
  const range = view.period.firstDay
    ? view.period.firstDay === view.period.lastDay
      ? view.period.firstDay
      : `${view.period.firstDay} – ${view.period.lastDay}`
    : "All time";
  return (
    <>
      <PageHeader
        title="Analytics"
        description={`${view.scopeLabel} · ${view.period.label}${view.period.firstDay ? ` (${range})` : ""} · ${view.summary.trades} closed trades`}
      />
      <div className="space-y-4">
        <AnalyticsFiltersBar filters={filters} scope={scope} action="/analytics" />
        {scope.accounts.length === 0 ? (
          <p className="card px-4 py-6 text-sm text-fg-muted">
            No accounts yet.{" "}
            <Link to="/trades/import" className="link">
              Import your history
            </Link>
            ,{" "}
            <Link to="/accounts/connect" className="link">
              connect MT5
            </Link>{" "}
            or{" "}
            <Link to="/trades/new" className="link">
              add a trade
            </Link>
            .
          </p>
        ) : null}
        <p className="text-xs text-fg-subtle">
          Rows with fewer than 30 trades are marked “small sample”: their win rate range shows how little they say yet. Figures are in {view.currency}
          ; accounts in other currencies are never added in.{" "}
          <Link to={`/dashboard${analyticsFiltersQuery(filters)}`} className="link">
            Back to the dashboard
          </Link>
        </p>
        <ExcursionProgressNote progress={excursionProgress} />
        <AdvancedMetrics summary={view.summary} currency={view.currency} />
        <DayHourHeatmap cells={view.heatmap} currency={view.currency} />
        {(Object.keys(TITLES) as BreakdownDimension[]).map((by) => (
          <BreakdownTable
            key={by}
            id={by}
            title={TITLES[by]}
            rows={view.breakdowns[by]}
            currency={view.currency}
            excursions={excursions ? (excursions[by] ?? {}) : undefined}
            labelOf={
              by === "session"
                ? (row) => (row.key ? sessionLabel(row.key) : "No session")
                : by === "direction"
                  ? (row) => (row.key === "buy" ? "Buy" : row.key === "sell" ? "Sell" : row.label)
                  : undefined
            }
          />
        ))}
        <SignalsComparisonSection comparison={psychology} />
      </div>
    </>
  );
}
