// /analytics: results of trades with a psychology signal against those
// without, under the page's filters: trades, net, win rate, expectancy.
import { Link } from "@remix-run/react";
import { formatMoney } from "~/lib/format.ts";
import type { SignalGroup, SignalsComparison } from "~/models/psychology.types.ts";
import { REVENGE_SIZE_RATIO, REVENGE_WINDOW_MINUTES } from "~/domain/psychology/rules.ts";
import { OVERTRADING_MULTIPLE_TEXT, perDay, SIGNALS_HELP_PATH } from "./signal-text.ts";

const LABELS: Record<SignalGroup, string> = {
  revenge: "Revenge trades",
  overtrading: "Overtrading days",
  flagged: "Any signal",
  unflagged: "No signal",
};

function tone(amount: string | null): string {
  const value = Number(amount ?? 0);
  return value > 0 ? "text-green-400" : value < 0 ? "text-red-400" : "text-fg-muted";
}

function overtradingNote(comparison: SignalsComparison): string {
  if (comparison.threshold === null) {
    return `Overtrading days are judged from ${comparison.minActiveDays} trading days with trades (${comparison.activeDays} so far).`;
  }
  return `Overtrading day: more than ${perDay(comparison.threshold)} closed trades (${OVERTRADING_MULTIPLE_TEXT} your median of ${perDay(comparison.medianPerDay!)}).`;
}

export function SignalsComparisonSection({ comparison }: { comparison: SignalsComparison }) {
  const { currency, rows } = comparison;
  return (
    <section aria-labelledby="psychology-comparison-heading" className="card space-y-3 px-2 py-3 sm:p-4" data-psychology-comparison>
      <div>
        <h2 id="psychology-comparison-heading" className="text-base font-semibold text-fg">
          Psychology signals: flagged vs unflagged
        </h2>
        <p className="mt-0.5 text-xs text-fg-muted">
          Revenge: opened within {REVENGE_WINDOW_MINUTES} min of a loss on the same account at {REVENGE_SIZE_RATIO}× its size or more.{" "}
          {overtradingNote(comparison)}{" "}
          <Link to={SIGNALS_HELP_PATH} className="link">
            How signals are found
          </Link>
        </p>
      </div>
      <div className="min-w-0 overflow-x-auto">
        <table className="w-full text-xs sm:text-sm">
          <thead>
            <tr className="border-b border-border text-left text-xs text-fg-muted">
              <th scope="col" className="py-2 pr-1 sm:pr-2 font-medium">
                Signal
              </th>
              <th scope="col" className="px-1 py-2 sm:px-2 text-right font-medium">
                Trades
              </th>
              <th scope="col" className="px-1 py-2 sm:px-2 text-right font-medium">
                Net P&amp;L
              </th>
              <th scope="col" className="px-1 py-2 sm:px-2 text-right font-medium">
                Win rate
              </th>
              <th scope="col" className="py-2 pl-1 sm:pl-2 text-right font-medium">
                Expectancy
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-border">
            {rows.map((row) => (
              <tr key={row.group} data-signal-group={row.group}>
                <th scope="row" className="py-2 pr-1 sm:pr-2 text-left font-normal text-fg">
                  {LABELS[row.group]}
                </th>
                <td className="px-1 py-2 sm:px-2 text-right tabular-nums text-fg">{row.trades}</td>
                <td className={`px-1 py-2 sm:px-2 text-right tabular-nums ${tone(row.net)}`}>
                  {row.trades ? formatMoney(row.net, currency, { signed: true }) : "—"}
                </td>
                <td className="px-1 py-2 sm:px-2 text-right tabular-nums text-fg">
                  {row.winRate === null ? "—" : `${(row.winRate * 100).toFixed(1)}%`}
                </td>
                <td className={`py-2 pl-1 sm:pl-2 text-right tabular-nums ${tone(row.expectancy)}`}>
                  {row.expectancy === null ? "—" : formatMoney(row.expectancy, currency, { signed: true })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="text-xs text-fg-subtle">
        A trade with both signals counts in each of their rows and once in “Any signal”. Signals read your whole history (a loss before this period
        still counts); the rows hold this view’s closed trades in {currency}.
      </p>
    </section>
  );
}
