// The trade page's MAE/MFE card: how far price went against the trade and in
// its favour while it was open, in pips, the account currency and R, and how
// much of the favourable move the exit kept (docs/metrics.md#mae-mfe). The
// figures are the backfill's (jobs/excursions); until it has measured the
// trade the card says so, and it says which bars were used.
import { formatDateTime, formatDecimal, formatMoney } from "~/lib/format.ts";
import type { TradeExcursionView } from "~/models/excursions/types.ts";

const DASH = "—";

function negative(text: string | null, digits: number, unit: string): string {
  if (text === null) return DASH;
  return Number(text) === 0 ? `0${unit}` : `−${formatDecimal(text, digits)}${unit}`;
}

function positive(text: string | null, digits: number, unit: string): string {
  if (text === null) return DASH;
  return Number(text) === 0 ? `0${unit}` : `+${formatDecimal(text, digits)}${unit}`;
}

function money(text: string | null, currency: string, sign: 1 | -1): string {
  if (text === null) return DASH;
  return formatMoney(Number(text) === 0 ? 0 : sign * Number(text), currency, { signed: true });
}

export function TradeExcursionCard({
  excursion,
  currency,
  timeZone,
  symbol,
}: {
  excursion: TradeExcursionView | null;
  currency: string;
  timeZone: string;
  symbol: string;
}) {
  if (!excursion) return null;
  return (
    <section aria-labelledby="excursions-heading" className="card mt-4 p-4 sm:p-5" data-excursion={excursion.state}>
      <h2 id="excursions-heading" className="text-sm font-semibold text-fg">
        Excursions (MAE / MFE)
      </h2>
      <p className="mt-0.5 text-xs text-fg-muted">
        How far price went against the trade and in its favour while it was open, from the broker&apos;s bars.
      </p>
      {excursion.state === "measured" ? (
        <>
          <dl className="mt-3 grid grid-cols-1 gap-3 text-sm sm:grid-cols-3">
            <div className="rounded-md border border-border p-3">
              <dt className="text-xs text-fg-muted">Max adverse (MAE)</dt>
              <dd className="mt-1 tabular-nums">
                <span className="block text-lg font-semibold text-red-300">{negative(excursion.maePips, 1, " pips")}</span>
                <span className="block text-fg">
                  {money(excursion.maeMoney, currency, -1)} · {negative(excursion.maeR, 2, " R")}
                </span>
                {excursion.maeAt ? <span className="block text-xs text-fg-subtle">at {formatDateTime(excursion.maeAt, timeZone)}</span> : null}
              </dd>
            </div>
            <div className="rounded-md border border-border p-3">
              <dt className="text-xs text-fg-muted">Max favourable (MFE)</dt>
              <dd className="mt-1 tabular-nums">
                <span className="block text-lg font-semibold text-emerald-300">{positive(excursion.mfePips, 1, " pips")}</span>
                <span className="block text-fg">
                  {money(excursion.mfeMoney, currency, 1)} · {positive(excursion.mfeR, 2, " R")}
                </span>
                {excursion.mfeAt ? <span className="block text-xs text-fg-subtle">at {formatDateTime(excursion.mfeAt, timeZone)}</span> : null}
              </dd>
            </div>
            <div className="rounded-md border border-border p-3">
              <dt className="text-xs text-fg-muted">Exit efficiency</dt>
              <dd className="mt-1 tabular-nums">
                <span className="block text-lg font-semibold text-fg">
                  {excursion.efficiency === null ? DASH : `${formatDecimal(Number(excursion.efficiency) * 100, 0)} %`}
                </span>
                <span className="block text-xs text-fg-subtle">
                  {excursion.efficiency === null ? "Price never moved in the trade's favour." : "of the best move the exit kept (captured ÷ MFE)"}
                </span>
              </dd>
            </div>
          </dl>
          <p className="mt-3 text-xs text-fg-subtle">
            {excursion.timeframe === "M1"
              ? "From 1-minute bars."
              : "From 5-minute bars: the broker keeps no 1-minute history that far back, so the figures may be off by up to a bar at each end."}{" "}
            {excursion.maeR === null ? "No R: the trade has no stop loss at entry. " : ""}
            {excursion.maeMoney === null ? "No money figures: the trade's P&L gives no rate to price them. " : ""}
          </p>
        </>
      ) : (
        <p className="mt-3 text-sm text-fg-muted">
          {excursion.state === "pending"
            ? "Measuring: the excursions are filled in from the broker's bars in the background."
            : excursion.state === "unknown_symbol"
              ? `The market data broker has no symbol ${symbol}, so this trade cannot be measured.`
              : "The broker has no 1- or 5-minute bars for the time this trade was open."}
        </p>
      )}
    </section>
  );
}
