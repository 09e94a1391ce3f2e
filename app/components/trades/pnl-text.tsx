// Net P&L in the account currency, green for a gain and red for a loss (with a
// sign, so the colour is never the only cue), and the pips under it.
import { formatDecimal, formatMoney } from "~/lib/format.ts";

export function pnlTone(amount: string): string {
  const value = Number(amount);
  return value > 0 ? "text-green-400" : value < 0 ? "text-red-400" : "text-fg-muted";
}

export function PnlText({ amount, currency, pips, open = false }: { amount: string; currency: string; pips?: string | null; open?: boolean }) {
  return (
    <PnlTexts
      amount={amount}
      money={formatMoney(amount, currency, { signed: true })}
      pips={pips !== undefined && pips !== null ? formatDecimal(pips, 1, { signed: true }) : null}
      open={open}
    />
  );
}

/** The same, from texts already formatted (lists that format each row once draw it with this). */
export function PnlTexts({ amount, money, pips, open }: { amount: string; money: string; pips: string | null; open: boolean }) {
  if (open) return <span className="text-fg-subtle">Open</span>;
  return (
    <span className="inline-flex flex-col items-end leading-tight">
      <span className={`font-medium tabular-nums ${pnlTone(amount)}`}>{money}</span>
      {pips !== null ? <span className="text-xs tabular-nums text-fg-subtle">{pips} pips</span> : null}
    </span>
  );
}
