// The daily review's psychology panel (/journal/$date): whether the day was
// an overtrading day against the user's median, and its likely revenge
// trades, each linking to the trade and the loss it followed.
import { Link } from "@remix-run/react";
import type { DaySignals } from "~/models/psychology.types.ts";
import { lossAmount, minutesText, perDay, OVERTRADING_MULTIPLE_TEXT, SIGNALS_HELP_PATH, sizeRatioText } from "./signal-text.ts";

function overtradingText(signals: DaySignals): string {
  if (signals.medianPerDay === null) return "No closed trades yet to compare this day with.";
  const median = `your median of ${perDay(signals.medianPerDay)} per trading day`;
  if (signals.threshold === null) {
    return `${signals.trades} closed trades; ${median}. Overtrading is judged once you have ${signals.minActiveDays} trading days with trades (${signals.activeDays} so far).`;
  }
  return signals.overtrading
    ? `Overtrading day: ${signals.trades} closed trades, more than ${OVERTRADING_MULTIPLE_TEXT} ${median}.`
    : `${signals.trades} closed trades, within ${OVERTRADING_MULTIPLE_TEXT} ${median}.`;
}

export function DaySignalsPanel({ signals }: { signals: DaySignals }) {
  const flagged = signals.overtrading || signals.revengeTrades.length > 0;
  return (
    <section aria-labelledby="day-signals-heading" data-day-signals className={`card p-4 text-sm ${flagged ? "border-amber-500/40" : ""}`}>
      <h2 id="day-signals-heading" className="text-sm font-semibold text-fg">
        Psychology signals
      </h2>
      <p className={`mt-2 ${signals.overtrading ? "text-amber-200" : "text-fg-muted"}`} data-signal={signals.overtrading ? "overtrading" : undefined}>
        {overtradingText(signals)}
      </p>
      {signals.revengeTrades.length ? (
        <ul className="mt-2 space-y-1 text-amber-200">
          {signals.revengeTrades.map((trade) => (
            <li key={trade.tradeId} data-signal="revenge">
              <Link to={`/trades/${trade.tradeId}`} className="font-medium text-amber-100 underline underline-offset-4 hover:text-white">
                {trade.symbol}
              </Link>
              : possible revenge trade, opened {minutesText(trade.minutesAfterLoss)} after a{" "}
              <Link to={`/trades/${trade.lossTradeId}`} className="underline underline-offset-4 hover:text-white">
                {lossAmount(trade.lossNet, trade.currency)} loss on {trade.lossSymbol}
              </Link>{" "}
              at {sizeRatioText(trade.sizeRatio)} its size.
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-1 text-fg-muted">No likely revenge trades.</p>
      )}
      <Link to={SIGNALS_HELP_PATH} className="link mt-2 inline-block text-xs">
        How signals are found
      </Link>
    </section>
  );
}
