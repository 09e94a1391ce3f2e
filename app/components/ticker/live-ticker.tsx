// The dashboard's ticker: the last price and day change of each symbol the
// user holds a position in, a compact strip that wraps (never scrolls by
// itself), kept live by Realtime. Each symbol reads to a screen reader as one
// sentence ("EURUSD 1.08350, up 0.00450 (0.42 %) on the day"); updates are not
// announced, as a price every few seconds would drown everything else.
import { Link } from "@remix-run/react";
import { useMemo } from "react";
import { dec } from "~/domain/decimal.ts";
import { dayQuote, type DayQuote } from "~/domain/charts/day-quote.ts";
import { displayPrice, symbolDigits } from "~/domain/instruments/price-display.ts";
import type { TickerSymbol } from "~/models/charts/ticker.types.ts";
import { useLiveQuotes } from "./use-live-quotes.ts";

interface Shown {
  price: string;
  change: string | null;
  percent: string | null;
  direction: "up" | "down" | "flat" | null;
}

function shown(quote: DayQuote | null, digits: number | null): Shown | null {
  if (!quote) return null;
  const price = displayPrice(quote.last, digits).text;
  if (quote.change === null || quote.changePercent === null) return { price, change: null, percent: null, direction: null };
  const sign = dec(quote.change).cmp(0);
  const size = dec(quote.change).abs();
  return {
    price,
    change: digits === null ? size.toFixed() : size.toFixed(digits),
    percent: dec(quote.changePercent).abs().toFixed(2),
    direction: sign > 0 ? "up" : sign < 0 ? "down" : "flat",
  };
}

function sentence(symbol: string, quote: Shown | null): string {
  if (!quote) return `${symbol}: no market data yet`;
  if (!quote.direction) return `${symbol} ${quote.price}, no previous close to compare`;
  if (quote.direction === "flat") return `${symbol} ${quote.price}, unchanged on the day`;
  return `${symbol} ${quote.price}, ${quote.direction} ${quote.change} (${quote.percent} %) on the day`;
}

const TONE = { up: "text-green-400", down: "text-red-400", flat: "text-fg-muted" } as const;
const ARROW = { up: "▲", down: "▼", flat: "■" } as const;

export function LiveTicker({ initial, symbols }: { initial: TickerSymbol[]; symbols: readonly string[] }) {
  const held = useMemo(() => [...new Set(symbols)].sort(), [symbols]);
  const bars = useLiveQuotes(initial, held);
  if (held.length === 0) return null;
  return (
    <section aria-labelledby="ticker-heading" data-ticker>
      <h2 id="ticker-heading" className="sr-only">
        Prices of the symbols you hold
      </h2>
      <ul className="flex flex-wrap gap-2">
        {held.map((symbol) => {
          const quote = shown(dayQuote(bars[symbol] ?? []), symbolDigits(symbol));
          return (
            <li key={symbol} data-ticker-symbol={symbol} data-last={quote?.price ?? ""}>
              <Link
                to={`/charts/${encodeURIComponent(symbol)}`}
                aria-label={sentence(symbol, quote)}
                className="flex items-baseline gap-2 rounded-md border border-border bg-surface px-2.5 py-1.5 text-sm hover:bg-raised focus-visible:outline focus-visible:outline-2 focus-visible:outline-accent"
              >
                <span className="font-mono text-xs font-semibold text-fg-muted">{symbol}</span>
                <span className="font-mono tabular-nums text-fg" data-price>
                  {quote?.price ?? "—"}
                </span>
                {quote?.direction ? (
                  <span className={`font-mono text-xs tabular-nums ${TONE[quote.direction]}`} data-change>
                    <span aria-hidden="true">{ARROW[quote.direction]}</span> {quote.percent}%
                  </span>
                ) : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
