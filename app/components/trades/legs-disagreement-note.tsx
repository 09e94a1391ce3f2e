// Shown above a trade's legs when the trade's own money (what the Money card
// shows) is not the sum of its legs: both figures, so the user can see which
// one a manual edit or a broker's rounding changed.
import { legsDisagreements, type LegMoney, type MoneyFields } from "~/domain/trades/legs-agreement.ts";
import { formatMoney } from "~/lib/format.ts";

export function LegsDisagreementNote({ trade, legs, currency }: { trade: MoneyFields; legs: readonly LegMoney[]; currency: string }) {
  const differences = legsDisagreements(trade, legs);
  if (differences.length === 0) return null;
  const money = (value: string) => formatMoney(value, currency, { signed: true });
  return (
    <div role="note" data-legs-disagree className="mb-3 rounded-md border border-amber-500/50 px-3 py-2 text-sm text-fg">
      <p className="font-medium">The trade&apos;s money differs from the sum of its legs</p>
      <ul className="mt-1 space-y-0.5">
        {differences.map((item) => (
          <li key={item.field} data-legs-disagree-field={item.field}>
            {item.label}: the trade says <strong className="tabular-nums">{money(item.trade)}</strong>, its legs add up to{" "}
            <strong className="tabular-nums">{money(item.legs)}</strong> (difference {money(item.difference)}).
          </li>
        ))}
      </ul>
      <p className="mt-1 text-xs text-fg-muted">
        The Money card and every total use the trade&apos;s figure. A difference comes from a manual edit of the trade or from a broker that rounds a
        position and its deals differently.
      </p>
    </div>
  );
}
