// The chart's timeframes as links (?tf=…), so the switch works without
// JavaScript and a timeframe can be bookmarked; the current one is marked for
// screen readers as well as by colour.
import { Link } from "@remix-run/react";
import { SYMBOL_TIMEFRAMES, type SymbolTimeframe } from "~/domain/charts/symbol-window.ts";

export function TimeframeSwitch({ current, hrefOf }: { current: SymbolTimeframe; hrefOf: (timeframe: SymbolTimeframe) => string }) {
  return (
    <nav aria-label="Timeframe">
      <ul className="flex flex-wrap gap-1" data-timeframes>
        {SYMBOL_TIMEFRAMES.map((timeframe) => (
          <li key={timeframe}>
            <Link
              to={hrefOf(timeframe)}
              aria-current={timeframe === current ? "true" : undefined}
              preventScrollReset
              className={`inline-block min-w-[2.75rem] rounded px-2 py-1 text-center font-mono text-xs focus-visible:outline focus-visible:outline-2 focus-visible:outline-accent ${
                timeframe === current ? "bg-accent text-white" : "bg-raised text-fg-muted hover:text-fg"
              }`}
              data-timeframe={timeframe}
            >
              {timeframe}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
