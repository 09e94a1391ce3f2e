// Net P&L by weekday and hour of opening (the user's zone), as a table whose
// cells are coloured by sign and size: readable without JavaScript, and each
// cell says its figure to a screen reader.
import type { HeatmapCell } from "~/domain/analytics/index.ts";
import { formatMoney } from "~/lib/format.ts";

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

function cellColour(net: number, largest: number): string {
  if (net === 0 || largest === 0) return "transparent";
  const strength = 0.15 + 0.75 * Math.min(1, Math.abs(net) / largest);
  return net > 0 ? `rgba(34,197,94,${strength.toFixed(2)})` : `rgba(239,68,68,${strength.toFixed(2)})`;
}

export function DayHourHeatmap({ cells, currency }: { cells: HeatmapCell[]; currency: string }) {
  const byKey = new Map(cells.map((cell) => [`${cell.weekday}:${cell.hour}`, cell]));
  const largest = Math.max(0, ...cells.map((cell) => Math.abs(Number(cell.net))));
  const days = DAYS.map((_, weekday) => weekday).filter((weekday) => weekday < 5 || cells.some((c) => c.weekday === weekday && c.trades > 0));
  return (
    <section aria-labelledby="heatmap-heading" className="card space-y-3 p-3 sm:p-4">
      <h2 id="heatmap-heading" className="text-base font-semibold text-fg">
        Day × hour <span className="font-normal text-fg-subtle">· net P&amp;L by the hour trades were opened, your time</span>
      </h2>
      {cells.every((cell) => cell.trades === 0) ? (
        <p className="text-sm text-fg-muted">No closed trades in this period.</p>
      ) : (
        <div className="relative overflow-x-auto">
          <table className="border-separate border-spacing-0.5 text-[10px]">
            <thead>
              <tr>
                <th scope="col" className="sr-only">
                  Day
                </th>
                {Array.from({ length: 24 }, (_, hour) => (
                  <th key={hour} scope="col" className="w-7 font-normal text-fg-subtle">
                    {String(hour).padStart(2, "0")}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {days.map((weekday) => (
                <tr key={weekday}>
                  <th scope="row" className="pr-1 text-left font-normal text-fg-muted">
                    {DAYS[weekday]}
                  </th>
                  {Array.from({ length: 24 }, (_, hour) => {
                    const cell = byKey.get(`${weekday}:${hour}`);
                    const net = cell ? Number(cell.net) : 0;
                    const label =
                      cell && cell.trades
                        ? `${DAYS[weekday]} ${hour}:00, ${cell.trades} trades, ${formatMoney(cell.net, currency, { signed: true })}`
                        : `${DAYS[weekday]} ${hour}:00, no trades`;
                    return (
                      <td
                        key={hour}
                        className="h-6 w-7 rounded-sm border border-border/40"
                        style={{ backgroundColor: cellColour(net, largest) }}
                        title={label}
                      >
                        <span className="sr-only">{label}</span>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
