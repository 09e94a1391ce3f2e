// Which closes of a sync are announced as toasts. A toast says "this just
// closed": a trade that closed while nobody watched (found by the catch-up
// when the user comes back an hour later) is in the trade list, not in a
// toast pretending it is news. Within the window a close is still news even
// when a sync came late (a terminal restart, a queue behind other accounts).
// A burst is capped so a flurry of closes never buries the page.
import type { TradeClosedNotice } from "~/domain/sync/realtime-contract.ts";

/** How old a close may be, at the sync that found it, to be announced. */
export const LIVE_CLOSE_WINDOW_MS = 10 * 60_000;

/** Notices beyond this many per sync are not sent. */
export const MAX_CLOSE_NOTICES_PER_SYNC = 5;

/** The closes worth a toast, newest first, at most MAX_CLOSE_NOTICES_PER_SYNC. */
export function liveCloseNotices(closed: readonly TradeClosedNotice[], syncedAt: Date): TradeClosedNotice[] {
  const oldest = syncedAt.getTime() - LIVE_CLOSE_WINDOW_MS;
  return closed
    .filter((notice) => Date.parse(notice.closedAt) >= oldest)
    .sort((a, b) => Date.parse(b.closedAt) - Date.parse(a.closedAt))
    .slice(0, MAX_CLOSE_NOTICES_PER_SYNC);
}
