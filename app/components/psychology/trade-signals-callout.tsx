// The trade page's psychology callout: a likely revenge trade (linking to the
// loss it followed) and/or an overtrading day. Renders nothing for a trade
// without a signal.
import { Link } from "@remix-run/react";
import type { TradeSignals } from "~/models/psychology.types.ts";
import { lossAmount, minutesText, perDay, OVERTRADING_MULTIPLE_TEXT, SIGNALS_HELP_PATH, sizeRatioText } from "./signal-text.ts";

export function TradeSignalsCallout({ signals }: { signals: TradeSignals | null }) {
  if (!signals || (!signals.revenge && !signals.overtradingDay)) return null;
  const { revenge, overtradingDay, currency } = signals;
  return (
    <aside
      aria-labelledby="psychology-signals-heading"
      data-psychology-callout
      className="mb-4 rounded-md border border-amber-500/40 bg-amber-500/10 px-4 py-3 text-sm text-amber-100"
    >
      <h2 id="psychology-signals-heading" className="sr-only">
        Psychology signals
      </h2>
      <ul className="space-y-1">
        {revenge ? (
          <li data-signal="revenge">
            <span className="font-semibold">Possible revenge trade:</span> opened {minutesText(revenge.minutesAfterLoss)} after a{" "}
            <Link to={`/trades/${revenge.lossTradeId}`} className="font-medium text-amber-50 underline underline-offset-4 hover:text-white">
              {lossAmount(revenge.lossNet, currency)} loss on {revenge.lossSymbol}
            </Link>{" "}
            at {sizeRatioText(revenge.sizeRatio)} its size.
          </li>
        ) : null}
        {overtradingDay ? (
          <li data-signal="overtrading">
            <span className="font-semibold">Overtrading day:</span> {overtradingDay.trades} trades closed on{" "}
            <Link to={`/journal/${overtradingDay.day}`} className="font-medium text-amber-50 underline underline-offset-4 hover:text-white">
              {overtradingDay.day}
            </Link>
            , more than {OVERTRADING_MULTIPLE_TEXT} your median of {perDay(overtradingDay.medianPerDay)} per trading day.
          </li>
        ) : null}
      </ul>
      <p className="mt-1 text-xs text-amber-200/80">
        A signal is a pattern worth a second look, not a verdict.{" "}
        <Link to={SIGNALS_HELP_PATH} className="underline underline-offset-4 hover:text-white">
          How signals are found
        </Link>
      </p>
    </aside>
  );
}
