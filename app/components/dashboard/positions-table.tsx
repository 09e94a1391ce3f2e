// Open positions across the user's MT5 accounts: a table from the md
// breakpoint up, cards on phones (both rendered; CSS shows one). Prices keep
// the digits the broker sent; money is in each account's currency.
import { Price } from "~/components/ui/price.tsx";
import { DirectionBadge } from "~/components/trades/trade-badges.tsx";
import { pnlTone } from "~/components/trades/pnl-text.tsx";
import type { LivePosition } from "~/domain/sync/live-rows.ts";
import { formatDateTime, formatDecimal, formatMoney } from "~/lib/format.ts";

interface PositionsProps {
  positions: LivePosition[];
  timeZone: string;
  currencyOf: (accountId: string) => string;
  /** Shown when positions come from more than one account. */
  accountNameOf: ((accountId: string) => string) | null;
}

const th = "whitespace-nowrap px-2 py-2.5 text-left text-xs font-medium text-fg-muted";
const thRight = `${th} text-right`;
const td = "whitespace-nowrap px-2 py-2 tabular-nums";

function FloatingPnl({ position, currency }: { position: LivePosition; currency: string }) {
  if (position.floatingProfit === null) return <span className="text-fg-subtle">—</span>;
  return (
    <span className={`font-medium ${pnlTone(position.floatingProfit)}`}>{formatMoney(position.floatingProfit, currency, { signed: true })}</span>
  );
}

export function PositionsTable({ positions, timeZone, currencyOf, accountNameOf }: PositionsProps) {
  return (
    <div className="card hidden overflow-x-auto md:block">
      <table className="w-full text-sm">
        <caption className="sr-only">Open positions, newest first</caption>
        <thead className="border-b border-border">
          <tr>
            <th scope="col" className={`${th} pl-4`}>
              Symbol
            </th>
            <th scope="col" className={th}>
              Side
            </th>
            <th scope="col" className={thRight}>
              Lots
            </th>
            <th scope="col" className={thRight}>
              Entry
            </th>
            <th scope="col" className={thRight}>
              Current
            </th>
            <th scope="col" className={thRight}>
              SL / TP
            </th>
            <th scope="col" className={thRight}>
              Swap
            </th>
            <th scope="col" className={thRight}>
              Floating P&amp;L
            </th>
            <th scope="col" className={`${th} pr-4`}>
              Opened
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-border">
          {positions.map((position) => {
            const currency = currencyOf(position.accountId);
            return (
              <tr key={position.id} data-position-id={position.positionId}>
                <td className={`${td} pl-4`}>
                  <span className="font-semibold text-fg">{position.symbol}</span>
                  {accountNameOf ? <span className="block text-xs text-fg-subtle">{accountNameOf(position.accountId)}</span> : null}
                </td>
                <td className={td}>
                  <DirectionBadge direction={position.direction} />
                </td>
                <td className={`${td} text-right`}>{formatDecimal(position.volume, 2)}</td>
                <td className={`${td} text-right`}>
                  <Price value={position.entryPrice} symbol={position.symbol} />
                </td>
                <td className={`${td} text-right`} data-cell="current">
                  <Price value={position.currentPrice} symbol={position.symbol} />
                </td>
                <td className={`${td} text-right text-fg-muted`}>
                  <Price value={position.stopLoss} symbol={position.symbol} /> / <Price value={position.takeProfit} symbol={position.symbol} />
                </td>
                <td className={`${td} text-right text-fg-muted`}>{formatMoney(position.swap, currency)}</td>
                <td className={`${td} text-right`} data-cell="floating">
                  <FloatingPnl position={position} currency={currency} />
                </td>
                <td className={`${td} pr-4 text-fg-muted`}>{formatDateTime(position.openedAt, timeZone)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function PositionCards({ positions, timeZone, currencyOf, accountNameOf }: PositionsProps) {
  return (
    <ul className="space-y-3 md:hidden" aria-label="Open positions">
      {positions.map((position) => {
        const currency = currencyOf(position.accountId);
        return (
          <li key={position.id} className="card p-4" data-position-id={position.positionId}>
            <div className="flex items-center justify-between gap-3">
              <span className="flex min-w-0 items-center gap-2">
                <span className="truncate font-semibold text-fg">{position.symbol}</span>
                <DirectionBadge direction={position.direction} />
              </span>
              <span className="text-sm tabular-nums" data-cell="floating">
                <FloatingPnl position={position} currency={currency} />
              </span>
            </div>
            {accountNameOf ? <p className="mt-0.5 text-xs text-fg-subtle">{accountNameOf(position.accountId)}</p> : null}
            <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-2 text-xs">
              <div>
                <dt className="text-fg-subtle">Lots</dt>
                <dd className="tabular-nums text-fg">{formatDecimal(position.volume, 2)}</dd>
              </div>
              <div>
                <dt className="text-fg-subtle">Entry → current</dt>
                <dd className="tabular-nums text-fg" data-cell="current">
                  <Price value={position.entryPrice} symbol={position.symbol} /> → <Price value={position.currentPrice} symbol={position.symbol} />
                </dd>
              </div>
              <div>
                <dt className="text-fg-subtle">SL / TP</dt>
                <dd className="tabular-nums text-fg">
                  <Price value={position.stopLoss} symbol={position.symbol} /> / <Price value={position.takeProfit} symbol={position.symbol} />
                </dd>
              </div>
              <div>
                <dt className="text-fg-subtle">Swap</dt>
                <dd className="tabular-nums text-fg">{formatMoney(position.swap, currency)}</dd>
              </div>
              <div className="col-span-2">
                <dt className="text-fg-subtle">Opened</dt>
                <dd className="tabular-nums text-fg">{formatDateTime(position.openedAt, timeZone)}</dd>
              </div>
            </dl>
          </li>
        );
      })}
    </ul>
  );
}
