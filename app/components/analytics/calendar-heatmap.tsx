// Months of daily net P&L: each trading day coloured by sign and size (the
// size relative to the period's largest day), with the week's total beside
// each row. A day links to its daily review (/journal/$date, the same day
// rule), which lists that day's trades and links on to the trade list.
// Server-rendered; no JavaScript needed.
import { Link } from "@remix-run/react";
import type { CalendarMonth } from "~/domain/analytics/index.ts";
import { addDays } from "~/domain/periods/trading-day.ts";
import { formatMoney } from "~/lib/format.ts";

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

function monthTitle(month: string): string {
  return `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}

/** Background for a day's net: green or red, stronger for larger days (five steps). */
function shade(net: number, largest: number): string {
  if (net === 0 || largest === 0) return "bg-raised";
  const step = Math.min(4, Math.floor((Math.abs(net) / largest) * 5));
  const greens = ["bg-green-950", "bg-green-900", "bg-green-800", "bg-green-700", "bg-green-600"];
  const reds = ["bg-red-950", "bg-red-900", "bg-red-800", "bg-red-700", "bg-red-600"];
  return (net > 0 ? greens : reds)[step]!;
}

/** Short enough for a day cell: "+$4.65", "-$135", "+1.2k" (the exact figure is in the title). */
function compactMoney(amount: number, currency: string): string {
  const abs = Math.abs(amount);
  const sign = amount < 0 ? "-" : "+";
  if (abs >= 1000) return `${sign}${(abs / 1000).toFixed(abs >= 100_000 ? 0 : 1)}k`;
  if (abs >= 10) return `${formatMoney(amount.toFixed(0), currency, { signed: true }).replace(/\.00$/, "")}`;
  return formatMoney(amount.toFixed(2), currency, { signed: true });
}

export function CalendarHeatmap({ months, currency, dayLink }: { months: CalendarMonth[]; currency: string; dayLink: (day: string) => string }) {
  if (months.length === 0) return <p className="card px-4 py-6 text-sm text-fg-muted">No trading days in this period.</p>;
  const largest = Math.max(0, ...months.flatMap((m) => m.days.map((d) => Math.abs(Number(d.net)))));
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      {[...months].reverse().map((month) => {
        const byDay = new Map(month.days.map((d) => [d.day, d]));
        return (
          <section key={month.month} className="card p-3" aria-label={monthTitle(month.month)} data-month={month.month}>
            <div className="mb-2 flex items-baseline justify-between gap-2">
              <h3 className="text-sm font-semibold text-fg">{monthTitle(month.month)}</h3>
              <p
                className={`text-sm tabular-nums ${Number(month.net) > 0 ? "text-green-400" : Number(month.net) < 0 ? "text-red-400" : "text-fg-muted"}`}
              >
                {month.trades ? `${formatMoney(month.net, currency, { signed: true })} · ${month.trades} trades` : "No trades"}
              </p>
            </div>
            <table className="w-full table-fixed border-separate border-spacing-1 text-center text-xs">
              <thead>
                <tr className="text-fg-subtle">
                  {WEEKDAYS.map((day) => (
                    <th key={day} scope="col" className="font-normal">
                      <span className="sm:hidden">{day[0]}</span>
                      <span className="hidden sm:inline">{day}</span>
                    </th>
                  ))}
                  <th scope="col" className="w-[22%] font-normal">
                    Week
                  </th>
                </tr>
              </thead>
              <tbody>
                {month.weeks.map((week) => (
                  <tr key={week.start}>
                    {WEEKDAYS.map((_, index) => {
                      const day = addDays(week.start, index);
                      if (day.slice(0, 7) !== month.month) return <td key={day} aria-hidden="true" />;
                      const entry = byDay.get(day);
                      const net = entry ? Number(entry.net) : 0;
                      return (
                        <td key={day} className="p-0">
                          {entry ? (
                            <Link
                              to={dayLink(day)}
                              className={`block rounded px-0.5 py-1 leading-tight text-white hover:ring-2 hover:ring-accent-hover ${shade(net, largest)}`}
                              title={`${day}: ${formatMoney(entry.net, currency, { signed: true })}, ${entry.trades} trade${entry.trades === 1 ? "" : "s"}`}
                              data-day={day}
                              data-net={entry.net}
                            >
                              <span className="block text-[10px] opacity-75">{Number(day.slice(8))}</span>
                              <span className="hidden truncate tabular-nums sm:block">{compactMoney(net, currency)}</span>
                            </Link>
                          ) : (
                            <span className="block rounded bg-bg px-0.5 py-1 leading-tight text-fg-subtle">
                              <span className="block text-[10px]">{Number(day.slice(8))}</span>
                              <span className="hidden sm:block">&nbsp;</span>
                            </span>
                          )}
                        </td>
                      );
                    })}
                    <td
                      className={`truncate tabular-nums ${Number(week.net) > 0 ? "text-green-400" : Number(week.net) < 0 ? "text-red-400" : "text-fg-subtle"}`}
                      data-week={week.start}
                    >
                      {week.trades ? compactMoney(Number(week.net), currency) : "—"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
    </div>
  );
}
