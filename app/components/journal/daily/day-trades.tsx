// The trades of one trading day on /journal/$date: symbol, side, net P&L and
// R, each linking to its trade, with the day's total (closed trades, per
// account currency, as the calendar counts it) and a link to the same day in
// the trade list.
import { Link } from "@remix-run/react";
import { pnlTone } from "~/components/trades/pnl-text.tsx";
import { DirectionBadge } from "~/components/trades/trade-badges.tsx";
import { formatDateTime, formatMoney } from "~/lib/format.ts";
import type { DayTotal, DayTrade } from "~/models/journal/daily-review.types.ts";

export function DayTrades({
  trades,
  totals,
  timeZone,
  tradeListUrl,
  accountName,
}: {
  trades: DayTrade[];
  totals: DayTotal[];
  timeZone: string;
  tradeListUrl: string;
  accountName: string | null;
}) {
  return (
    <section aria-labelledby="day-trades-heading" className="card p-5" data-day-trades="">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="day-trades-heading" className="text-sm font-semibold text-fg">
          Trades{accountName ? <span className="font-normal text-fg-muted"> · {accountName}</span> : null}
        </h2>
        <Link to={tradeListUrl} className="link text-xs">
          Open in the trade list
        </Link>
      </div>
      {trades.length === 0 ? (
        <p className="mt-3 text-sm text-fg-muted">No trades on this day.</p>
      ) : (
        <>
          <ul className="mt-3 divide-y divide-border">
            {trades.map((trade) => (
              <li key={trade.id} data-trade-id={trade.id}>
                <Link
                  to={`/trades/${trade.id}`}
                  className="-mx-2 flex items-center gap-3 rounded px-2 py-2 hover:bg-raised focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent-hover"
                >
                  <span className="min-w-0 flex-1">
                    <span className="flex flex-wrap items-center gap-2">
                      <span className="font-medium text-fg">{trade.symbol}</span>
                      <DirectionBadge direction={trade.direction} compact />
                    </span>
                    <span className="block truncate text-xs text-fg-subtle">
                      {trade.status === "open" ? "Open since " : "Closed "}
                      {formatDateTime(trade.closedAt ?? trade.openedAt, timeZone)} · {trade.accountName}
                    </span>
                  </span>
                  <span className="text-right leading-tight">
                    {trade.status === "open" ? (
                      <span className="text-sm text-fg-subtle">Open</span>
                    ) : (
                      <span className={`block text-sm font-medium tabular-nums ${pnlTone(trade.netProfit)}`}>
                        {formatMoney(trade.netProfit, trade.currency, { signed: true })}
                      </span>
                    )}
                    <span className="block text-xs tabular-nums text-fg-subtle" data-r={trade.r ?? ""}>
                      {trade.r !== null ? `${Number(trade.r) > 0 ? "+" : ""}${trade.r} R` : "— R"}
                    </span>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
          <div className="mt-3 flex flex-wrap items-baseline justify-between gap-2 border-t border-border pt-3 text-sm" data-day-total="">
            <span className="text-fg-muted">Day total</span>
            <span className="flex flex-col items-end">
              {totals.length === 0 ? (
                <span className="text-fg-subtle">No closed trades</span>
              ) : (
                totals.map((total) => (
                  <span key={total.currency} className={`font-semibold tabular-nums ${pnlTone(total.net)}`}>
                    {formatMoney(total.net, total.currency, { signed: true })}
                    <span className="ml-1 text-xs font-normal text-fg-subtle">{total.trades} closed</span>
                  </span>
                ))
              )}
            </span>
          </div>
        </>
      )}
    </section>
  );
}
