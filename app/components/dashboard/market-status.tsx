// "The FX market is closed" while it is (Friday 17:00 → Sunday 17:00 New
// York): the loader says so for the first render, and a timer set to the next
// open or close keeps the banner right on a page left open over the boundary.
import { useEffect, useState } from "react";
import { isFxWeekendClosed, nextFxWeekBoundary } from "~/domain/market-hours.ts";
import { formatDateTime } from "~/lib/format.ts";

export interface MarketState {
  closed: boolean;
  /** When it next opens (ISO), while closed. */
  reopensAt: string | null;
}

export function fxMarketState(at: Date): MarketState {
  const closed = isFxWeekendClosed(at);
  return { closed, reopensAt: closed ? nextFxWeekBoundary(at).toISOString() : null };
}

const MAX_TIMER_MS = 60 * 60_000;

export function useFxMarketState(initial: MarketState): MarketState {
  const [state, setState] = useState(initial);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      const now = new Date();
      const next = fxMarketState(now);
      setState((current) => (current.closed === next.closed && current.reopensAt === next.reopensAt ? current : next));
      const boundary = nextFxWeekBoundary(now).getTime();
      // Capped: a laptop waking from sleep re-checks within the hour.
      timer = setTimeout(tick, Math.min(MAX_TIMER_MS, Math.max(1_000, boundary - now.getTime() + 500)));
    };
    tick();
    return () => clearTimeout(timer);
  }, []);
  return state;
}

export function MarketClosedBanner({ state, timeZone }: { state: MarketState; timeZone: string }) {
  if (!state.closed) return null;
  return (
    <div role="status" className="rounded-md border border-sky-500/30 bg-sky-500/10 px-4 py-3 text-sm text-sky-200">
      <p className="font-medium">The FX market is closed for the weekend.</p>
      <p className="mt-1 text-sky-200/80">
        Prices stand still until it reopens{state.reopensAt ? ` on ${formatDateTime(state.reopensAt, timeZone)} (your time)` : ""}. Until then your
        accounts sync every 30 minutes.
      </p>
    </div>
  );
}
