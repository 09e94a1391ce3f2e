// The period's figures are computed on the server: when the live connection
// hears a trade close (or a closed trade change, or a cash movement), load the
// page's data again so the cards, curve and calendar follow without a reload.
// Changes arriving together (a sync storing several closes) cost one reload.
import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useLiveSync } from "~/components/shell/live-sync.tsx";
import type { RowChange } from "~/domain/sync/live-rows.ts";

const SETTLE_MS = 400;

export function affectsClosedTrades(change: RowChange): boolean {
  if (change.table === "cash_movements") return true;
  if (change.table !== "trades") return false;
  return change.new.status === "closed" || change.old.status === "closed" || change.eventType === "DELETE";
}

export function useRefreshOnTradeChange(): void {
  const { listen } = useLiveSync();
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  useEffect(() => {
    let pending: ReturnType<typeof setTimeout> | null = null;
    const stop = listen((change) => {
      if (!affectsClosedTrades(change) || pending) return;
      pending = setTimeout(() => {
        pending = null;
        revalidate.current();
      }, SETTLE_MS);
    });
    return () => {
      stop();
      if (pending) clearTimeout(pending);
    };
  }, [listen]);
}
