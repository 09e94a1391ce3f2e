// The first trades of a file as they will be stored.
import { Price } from "~/components/ui/price.tsx";
import { formatDateTime, formatDecimal, formatMoney } from "~/lib/format.ts";
import type { PreviewTrade } from "~/models/imports/types.ts";

export function PreviewTradesTable({ trades, currency, timeZone }: { trades: PreviewTrade[]; currency: string; timeZone: string }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[640px] text-left text-sm">
        <caption className="sr-only">First trades in the file</caption>
        <thead className="text-xs uppercase tracking-wide text-fg-muted">
          <tr>
            <th scope="col" className="py-2 pr-3 font-medium">
              Position
            </th>
            <th scope="col" className="py-2 pr-3 font-medium">
              Symbol
            </th>
            <th scope="col" className="py-2 pr-3 font-medium">
              Side
            </th>
            <th scope="col" className="py-2 pr-3 font-medium">
              Opened
            </th>
            <th scope="col" className="py-2 pr-3 font-medium">
              Closed
            </th>
            <th scope="col" className="py-2 pr-3 text-right font-medium">
              Lots
            </th>
            <th scope="col" className="py-2 pr-3 text-right font-medium">
              Entry
            </th>
            <th scope="col" className="py-2 pr-3 text-right font-medium">
              Exit
            </th>
            <th scope="col" className="py-2 text-right font-medium">
              Net
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-border">
          {trades.map((t) => (
            <tr key={t.positionId}>
              <td className="py-2 pr-3 font-mono text-xs text-fg-muted">
                {t.positionId.length > 14 ? `${t.positionId.slice(0, 12)}…` : t.positionId}
              </td>
              <td className="py-2 pr-3 font-medium">{t.symbol}</td>
              <td className={`py-2 pr-3 ${t.direction === "buy" ? "text-sky-300" : "text-orange-300"}`}>{t.direction}</td>
              <td className="whitespace-nowrap py-2 pr-3">{formatDateTime(t.openedAt, timeZone)}</td>
              <td className="whitespace-nowrap py-2 pr-3">
                {t.status === "open" ? <span className="text-fg-muted">open</span> : formatDateTime(t.closedAt, timeZone)}
              </td>
              <td className="py-2 pr-3 text-right">{formatDecimal(t.volume, 2)}</td>
              <td className="py-2 pr-3 text-right font-mono">
                <Price value={t.entryPrice} symbol={t.symbol} />
              </td>
              <td className="py-2 pr-3 text-right font-mono">
                <Price value={t.exitPrice} symbol={t.symbol} />
              </td>
              <td className={`py-2 text-right font-medium ${Number(t.netProfit) < 0 ? "text-loss" : "text-profit"}`}>
                {formatMoney(t.netProfit, currency, { signed: true })}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
