// Net P&L in the account currency, green for a gain and red for a loss (with a
// sign, so the colour is never the only cue), and the pips under it.
import { formatDecimal, formatMoney } from "~/lib/format.ts";

export function pnlTone(amount: string): string {
  const value = Number(amount);
  return value > 0 ? "text-green-400" : value < 0 ? "text-red-400" : "text-fg-muted";
}

export function PnlText({ amount, currency, pips, open = false }: { amount: string; currency: string; pips?: string | null; open?: boolean }) {
  if (open) return <span className="text-fg-subtle">Open</span>;
  return (
    <span className="inline-flex flex-col items-end leading-tight">
      <span className={`font-medium tabular-nums ${pnlTone(amount)}`}>{formatMoney(amount, currency, { signed: true })}</span>
      {pips !== undefined && pips !== null ? (
        <span className="text-xs tabular-nums text-fg-subtle">{formatDecimal(pips, 1, { signed: true })} pips</span>
      ) : null}
    </span>
  );
}
