// /charts: the symbols the user has traded in the analytics view (period and
// account from the URL, parsed as /analytics parses them), each with its trade
// count, wins and losses, net and when it was last traded, linking to its
// chart with the same filters.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AnalyticsFiltersBar } from "~/components/analytics/analytics-filters-bar.tsx";
import { PageHeader } from "~/components/page-header.tsx";
import { pnlTone } from "~/components/trades/pnl-text.tsx";
import { formatDateTime, formatMoney, plural } from "~/lib/format.ts";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleLoader } from "~/lib/route-handler.server.ts";
import { wallClockNow } from "~/lib/wall-clock.server.ts";
import { loadTradedSymbols } from "~/models/charts/symbol-chart.server.ts";
import { analyticsFiltersQuery, parseAnalyticsFilters } from "~/schemas/analytics-filters.ts";

export const meta: MetaFunction = () => [{ title: "Charts — RawJournal" }];

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => {
    const user = await requireUserDb(request);
    const filters = parseAnalyticsFilters(new URL(request.url).searchParams);
    const view = await loadTradedSymbols(user.db, user.claims.sub, filters, wallClockNow());
    return { filters, ...view };
  });

export default function ChartsIndex() {
  const { filters, scope, period, symbols } = useLoaderData<typeof loader>();
  const query = analyticsFiltersQuery({ ...filters, symbol: null, session: null, direction: null, tag: null });
  const range = period.firstDay ? (period.firstDay === period.lastDay ? period.firstDay : `${period.firstDay} – ${period.lastDay}`) : null;
  return (
    <>
      <PageHeader
        title="Charts"
        description={`Pick a symbol to see every one of your trades on its candles. ${scope.label} · ${period.label}${range ? ` (${range})` : ""}`}
      />
      <div className="space-y-4">
        <AnalyticsFiltersBar filters={filters} scope={scope} action="/charts" narrowing={false} />
        {symbols.length === 0 ? (
          <p className="card px-4 py-6 text-sm text-fg-muted" data-empty-symbols>
            No trades in this period.{" "}
            {filters.period !== "all" ? (
              <Link to={`/charts${analyticsFiltersQuery({ ...filters, period: "all" })}`} className="link">
                Show all time
              </Link>
            ) : (
              <Link to="/trades/import" className="link">
                Import your history
              </Link>
            )}
          </p>
        ) : (
          <section aria-labelledby="symbols-heading" className="card p-2 sm:p-3">
            <h2 id="symbols-heading" className="sr-only">
              Traded symbols
            </h2>
            <ul className="divide-y divide-border" data-symbol-list>
              {symbols.map((row) => (
                <li key={row.symbol}>
                  <Link
                    to={`/charts/${encodeURIComponent(row.symbol)}${query}`}
                    className="grid grid-cols-[minmax(0,1fr)_auto] items-center gap-x-4 gap-y-1 rounded px-2 py-3 hover:bg-raised focus-visible:outline focus-visible:outline-2 focus-visible:outline-accent sm:grid-cols-[10rem_minmax(0,1fr)_8rem_11rem]"
                    data-symbol={row.symbol}
                  >
                    <span className="font-mono text-sm font-semibold text-fg">{row.symbol}</span>
                    <span className={`text-right text-sm tabular-nums sm:order-3 ${pnlTone(row.net)}`}>
                      {formatMoney(row.net, scope.currency, { signed: true })}
                    </span>
                    <span className="text-xs text-fg-muted sm:order-2 sm:text-sm" data-trade-count={row.trades}>
                      {plural(row.trades, "trade")} · {row.wins} won · {row.losses} lost{row.open ? ` · ${row.open} open` : ""}
                    </span>
                    <span className="text-right text-xs text-fg-muted sm:order-4 sm:text-sm">
                      <span className="sr-only">Last traded </span>
                      <time dateTime={new Date(row.lastTradedAt).toISOString()}>{formatDateTime(new Date(row.lastTradedAt), scope.timeZone)}</time>
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
    </>
  );
}
