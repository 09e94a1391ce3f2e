// One breakdown (by symbol, session, weekday…): a table of trades, win rate
// with its 95 % interval, net, expectancy, profit factor and average R, rows
// under 30 trades marked "small sample", and a bar chart of net per row
// (./breakdown-chart.tsx) rendered on the server as SVG.
import type { BreakdownRow } from "~/domain/analytics/index.ts";
import type { ExcursionAverages } from "~/models/excursions/types.ts";
import { BreakdownChart } from "./breakdown-chart.tsx";
import { DASH, interval, money, percent, ratio, rMultiple, tone } from "./figures.ts";

export function BreakdownTable({
  id,
  title,
  rows: given,
  currency,
  labelOf,
  excursions,
}: {
  id: string;
  title: string;
  rows: BreakdownRow[];
  currency: string;
  labelOf?: (row: BreakdownRow) => string;
  /** Average MAE/MFE (R) and exit efficiency by row key; the columns show when the view has measured trades. */
  excursions?: Record<string, ExcursionAverages>;
}) {
  // Buckets without a trade (an hour never traded) say nothing: left out of the table and the chart.
  const rows = (labelOf ? given.map((row) => ({ ...row, label: labelOf(row) })) : given).filter((row) => row.trades > 0);
  return (
    <section aria-labelledby={`breakdown-${id}`} className="card space-y-3 p-3 sm:p-4" data-breakdown={id}>
      <h2 id={`breakdown-${id}`} className="text-base font-semibold text-fg">
        {title}
      </h2>
      {rows.length === 0 ? (
        <p className="text-sm text-fg-muted">No closed trades in this period.</p>
      ) : (
        <div className="grid grid-cols-[minmax(0,1fr)] gap-4 2xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
          <div className="min-w-0 overflow-x-auto">
            <table className="w-full min-w-[560px] text-sm">
              <thead>
                <tr className="border-b border-border text-left text-xs text-fg-muted">
                  <th scope="col" className="py-2 pr-2 font-medium">
                    {title.replace(/^By /, "")}
                  </th>
                  <th scope="col" className="px-2 py-2 text-right font-medium">
                    Trades
                  </th>
                  <th scope="col" className="px-2 py-2 text-right font-medium">
                    Win rate (95 %)
                  </th>
                  <th scope="col" className="px-2 py-2 text-right font-medium">
                    Net
                  </th>
                  <th scope="col" className="px-2 py-2 text-right font-medium">
                    Expectancy
                  </th>
                  <th scope="col" className="px-2 py-2 text-right font-medium">
                    Profit factor
                  </th>
                  <th scope="col" className="py-2 pl-2 text-right font-medium">
                    Avg R
                  </th>
                  {excursions ? (
                    <>
                      <th scope="col" className="py-2 pl-2 text-right font-medium" title="Average maximum adverse excursion, in R">
                        Avg MAE
                      </th>
                      <th scope="col" className="py-2 pl-2 text-right font-medium" title="Average maximum favourable excursion, in R">
                        Avg MFE
                      </th>
                      <th scope="col" className="py-2 pl-2 text-right font-medium" title="Average exit efficiency: captured ÷ MFE">
                        Exit eff.
                      </th>
                    </>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.key} className="border-b border-border/60 last:border-0" data-row={row.key}>
                    <th scope="row" className="py-1.5 pr-2 text-left font-medium text-fg">
                      {row.label || DASH}
                      {row.smallSample ? (
                        <span
                          className="ml-2 whitespace-nowrap rounded border border-amber-500/40 px-1 text-[10px] font-normal text-amber-300"
                          title="Fewer than 30 trades: these figures say little yet."
                        >
                          small sample
                        </span>
                      ) : null}
                    </th>
                    <td className="px-2 py-1.5 text-right tabular-nums">{row.trades}</td>
                    <td className="px-2 py-1.5 text-right tabular-nums">
                      {percent(row.winRate, 0)}
                      <span className="block text-[11px] text-fg-subtle">{interval(row.winRateInterval, (n) => percent(n, 0)) ?? ""}</span>
                    </td>
                    <td className={`px-2 py-1.5 text-right tabular-nums ${tone(row.net)}`}>{money(row.net, currency, true)}</td>
                    <td className={`px-2 py-1.5 text-right tabular-nums ${tone(row.expectancy)}`}>{money(row.expectancy, currency, true)}</td>
                    <td className="px-2 py-1.5 text-right tabular-nums">{ratio(row.profitFactor)}</td>
                    <td className="py-1.5 pl-2 text-right tabular-nums">{rMultiple(row.averageR)}</td>
                    {excursions ? (
                      <>
                        <td className="py-1.5 pl-2 text-right tabular-nums" data-excursion="mae">
                          {rMultiple(
                            excursions[row.key]?.maeR === undefined || excursions[row.key]?.maeR === null ? null : -excursions[row.key]!.maeR!,
                          )}
                        </td>
                        <td className="py-1.5 pl-2 text-right tabular-nums" data-excursion="mfe">
                          {rMultiple(excursions[row.key]?.mfeR)}
                        </td>
                        <td className="py-1.5 pl-2 text-right tabular-nums" data-excursion="efficiency">
                          {percent(excursions[row.key]?.efficiency, 0)}
                        </td>
                      </>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <BreakdownChart rows={rows} currency={currency} title={title.toLowerCase()} />
        </div>
      )}
    </section>
  );
}
