// "FX, metals and indices are closed" while the FX week is (Friday 17:00 →
// Sunday 17:00 New York): the loader says so for the first render, and a timer
// set to the next open or close keeps the banner right on a page left open over
// the boundary. Crypto CFDs trade on, so the banner says which classes stand
// still, and it is shown only to users with a synced MT5 account (a manual
// journal has no prices to freeze).
import { useEffect, useState } from "react";
import { isFxWeekendClosed, nextFxWeekBoundary } from "~/domain/market-hours.ts";
import { formatDateTime } from "~/lib/format.ts";

export interface MarketState {
  closed: boolean;
  /** When it next opens (ISO), while closed. */
  reopensAt: string | null;
  /** The server's clock minus the system clock (RAWJOURNAL_CLOCK in the demo and tests; 0 in production). */
  clockOffsetMs: number;
}

export function fxMarketState(at: Date, clockOffsetMs = 0): MarketState {
  const closed = isFxWeekendClosed(at);
  return { closed, reopensAt: closed ? nextFxWeekBoundary(at).toISOString() : null, clockOffsetMs };
}

const MAX_TIMER_MS = 60 * 60_000;

export function useFxMarketState(initial: MarketState): MarketState {
  const [state, setState] = useState(initial);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      const now = new Date(Date.now() + initial.clockOffsetMs);
      const next = fxMarketState(now, initial.clockOffsetMs);
      setState((current) => (current.closed === next.closed && current.reopensAt === next.reopensAt ? current : next));
      const boundary = nextFxWeekBoundary(now).getTime();
      // Capped: a laptop waking from sleep re-checks within the hour.
      timer = setTimeout(tick, Math.min(MAX_TIMER_MS, Math.max(1_000, boundary - now.getTime() + 500)));
    };
    tick();
    return () => clearTimeout(timer);
  }, [initial.clockOffsetMs]);
  return state;
}

export function MarketClosedBanner({ state, timeZone, hasSyncedAccount }: { state: MarketState; timeZone: string; hasSyncedAccount: boolean }) {
  if (!state.closed || !hasSyncedAccount) return null;
  return (
    <div role="status" className="rounded-md border border-sky-500/30 bg-sky-500/10 px-4 py-3 text-sm text-sky-200">
      <p className="font-medium">FX, metals and indices are closed for the weekend.</p>
      <p className="mt-1 text-sky-200/80">
        Their prices stand still until they reopen{state.reopensAt ? ` on ${formatDateTime(state.reopensAt, timeZone)} (your time)` : ""}. Crypto CFDs
        trade around the clock: an account that holds them or traded them in the last two weeks keeps syncing every 15 seconds, the others every 30
        minutes.
      </p>
    </div>
  );
}
