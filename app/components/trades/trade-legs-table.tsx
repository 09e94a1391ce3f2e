// Every deal of a position in execution order, as the broker reported it.
// On phones the table scrolls sideways inside its card, with the first column
// (what the leg was) kept in view.
import { Price } from "~/components/ui/price.tsx";
import { formatDateTime, formatDecimal, formatMoney } from "~/lib/format.ts";
import type { TradeLeg } from "~/models/trade-detail.types.ts";
import type { MoneyFields } from "~/domain/trades/legs-agreement.ts";
import { LegsDisagreementNote } from "./legs-disagreement-note.tsx";
import { pnlTone } from "./pnl-text.tsx";

const th = "whitespace-nowrap px-3 py-2 text-left text-xs font-medium uppercase tracking-wide text-fg-muted";
const td = "whitespace-nowrap px-3 py-2 tabular-nums";

export function TradeLegsTable({
  legs,
  timeZone,
  currency,
  symbol,
  tradeMoney,
}: {
  legs: TradeLeg[];
  timeZone: string;
  currency: string;
  symbol: string;
  /** The trade's own money: a note says where the legs do not add up to it. */
  tradeMoney?: MoneyFields;
}) {
  return (
    <>
      {tradeMoney ? <LegsDisagreementNote trade={tradeMoney} legs={legs} currency={currency} /> : null}
      {/* On a phone the table is wider than the screen: say so, and let the keyboard scroll it too. */}
      <p className="mb-2 text-xs text-fg-subtle sm:hidden" data-scroll-hint>
        Swipe sideways for volume, price, money and reason →
      </p>
      <div className="-mx-5 overflow-x-auto px-5" role="region" aria-label="Legs, scrolls sideways" tabIndex={0}>
        <table className="w-full text-sm">
          <thead className="border-b border-border">
            <tr>
              <th scope="col" className={`${th} sticky left-0 bg-surface`}>
                Leg
              </th>
              <th scope="col" className={th}>
                Time
              </th>
              <th scope="col" className={th}>
                Deal
              </th>
              <th scope="col" className={`${th} text-right`}>
                Volume
              </th>
              <th scope="col" className={`${th} text-right`}>
                Price
              </th>
              <th scope="col" className={`${th} text-right`}>
                Profit
              </th>
              <th scope="col" className={`${th} text-right`}>
                Commission
              </th>
              <th scope="col" className={`${th} text-right`}>
                Swap
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-border">
            {legs.map((leg) => (
              <tr key={leg.id}>
                <th scope="row" className={`${td} sticky left-0 bg-surface text-left font-medium`}>
                  {leg.kind === "entry" ? "Entry" : "Exit"} <span className="text-xs font-normal text-fg-muted">{leg.direction}</span>
                </th>
                <td className={td}>{formatDateTime(leg.executedAt, timeZone, { seconds: true })}</td>
                <td className={`${td} font-mono text-xs text-fg-muted`}>
                  {leg.dealId ?? "—"}
                  {leg.orderId ? <span className="block text-fg-subtle">order {leg.orderId}</span> : null}
                </td>
                <td className={`${td} text-right`}>{formatDecimal(leg.volume, 2)}</td>
                <td className={`${td} text-right`}>
                  <Price value={leg.price} symbol={symbol} />
                </td>
                <td className={`${td} text-right ${pnlTone(leg.profit)}`}>{formatMoney(leg.profit, currency, { signed: true })}</td>
                <td className={`${td} text-right`}>{formatMoney(leg.commission, currency)}</td>
                <td className={`${td} text-right`}>{formatMoney(leg.swap, currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
