// The last few closed trades, newest first, each a way into its journal page.
import { Link } from "@remix-run/react";
import { DirectionBadge } from "~/components/trades/trade-badges.tsx";
import { PnlText } from "~/components/trades/pnl-text.tsx";
import type { LiveTrade } from "~/domain/sync/live-rows.ts";
import { formatDateTime } from "~/lib/format.ts";

export function RecentTrades({ trades, timeZone, currencyOf }: { trades: LiveTrade[]; timeZone: string; currencyOf: (accountId: string) => string }) {
  return (
    <ul className="card divide-y divide-border" aria-label="Recently closed trades">
      {trades.map((trade) => (
        <li key={trade.id} data-trade-id={trade.id}>
          <Link to={`/trades/${trade.id}`} className="flex items-center justify-between gap-3 px-4 py-3 hover:bg-raised/60">
            <span className="flex min-w-0 items-center gap-2">
              <span className="truncate font-semibold text-fg">{trade.symbol}</span>
              <DirectionBadge direction={trade.direction} />
              <span className="hidden truncate text-xs text-fg-subtle sm:inline">closed {formatDateTime(trade.closedAt, timeZone)}</span>
            </span>
            <PnlText amount={trade.netProfit} currency={currencyOf(trade.accountId)} pips={trade.pips} />
          </Link>
        </li>
      ))}
    </ul>
  );
}
