// The live figures beside the trade form: what will be stored, computed by the
// same code the server uses (app/domain/trades/manual-trade.ts).
import { formatDecimal, formatMoney } from "~/lib/format.ts";
import type { TradeFigures } from "~/domain/trades/manual-trade.ts";

interface TradePreviewProps {
  figures: TradeFigures | null;
  accountCurrency: string | null;
  open: boolean;
  /** Why nothing can be computed yet, in plain words. */
  missing: string | null;
}

export function TradePreview({ figures, accountCurrency, open, missing, placement = "side" }: TradePreviewProps & { placement?: "side" | "inline" }) {
  const headingId = `trade-preview-heading-${placement}`;
  const currency = accountCurrency ?? "USD";
  const tone = (value: string | null) =>
    value === null ? "text-fg" : Number(value) > 0 ? "text-profit" : Number(value) < 0 ? "text-loss" : "text-fg";
  return (
    <section aria-labelledby={headingId} aria-live="polite" className="card p-4 sm:p-5">
      <h2 id={headingId} className="text-sm font-semibold text-fg">
        Preview
      </h2>
      {missing ? <p className="mt-1 text-xs text-fg-muted">{missing}</p> : null}
      <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-3 text-sm">
        {figures?.profitCurrency && figures.profitCurrency !== currency ? (
          <Figure label={`Gross P&L (${figures.profitCurrency})`}>
            {open ? (
              "Open"
            ) : figures.grossInProfitCurrency != null ? (
              <span className={tone(figures.grossInProfitCurrency)}>
                {formatMoney(figures.grossInProfitCurrency, figures.profitCurrency, { signed: true })}
              </span>
            ) : (
              "—"
            )}
          </Figure>
        ) : null}
        <Figure label="Conversion rate">
          {figures?.conversionRate && figures.profitCurrency && figures.profitCurrency !== currency ? (
            <span title={`1 ${figures.profitCurrency} = ${figures.conversionRate} ${currency}`}>
              {formatDecimal(figures.conversionRate, 6)}
              <span className="block text-xs text-fg-muted">
                {figures.conversionBasis === "inverse-of-price" ? "1 ÷ exit price" : figures.conversionBasis === "stated" ? "as entered" : ""}
              </span>
            </span>
          ) : figures?.conversionRate ? (
            "1 (same currency)"
          ) : (
            "—"
          )}
        </Figure>
        <Figure label={`Gross P&L (${currency})`}>
          {open ? (
            "Open"
          ) : figures?.grossProfit != null ? (
            <span className={tone(figures.grossProfit)}>
              {formatMoney(figures.grossProfit, currency, { signed: true })}
              {figures.pnlSource === "user" ? <span className="block text-xs text-fg-muted">broker-reported</span> : null}
            </span>
          ) : (
            "—"
          )}
        </Figure>
        <Figure label={`Net P&L (${currency})`}>
          {open ? (
            "—"
          ) : figures?.netProfit != null ? (
            <span className={`font-semibold ${tone(figures.netProfit)}`}>{formatMoney(figures.netProfit, currency, { signed: true })}</span>
          ) : (
            "—"
          )}
        </Figure>
        <Figure label="Pips">{figures?.pips != null ? formatDecimal(figures.pips, 1, { signed: true }) : "—"}</Figure>
        <Figure label="Points">{figures?.points != null ? formatDecimal(figures.points, 0, { signed: true }) : "—"}</Figure>
        <Figure label="Planned R">{figures?.plannedR != null ? `${formatDecimal(figures.plannedR, 2)} R` : "—"}</Figure>
        <Figure label="Initial risk">{figures?.initialRiskAmount != null ? formatMoney(figures.initialRiskAmount, currency) : "—"}</Figure>
      </dl>
    </section>
  );
}

function Figure({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-fg-muted">{label}</dt>
      <dd className="mt-0.5 break-words font-medium tabular-nums text-fg">{children}</dd>
    </div>
  );
}
