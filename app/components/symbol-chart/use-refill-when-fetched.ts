// A page showing "loading market data" loads its data again when one of the
// symbol's candle windows is answered (fetched, or found unavailable), so the
// chart fills in without a reload. Answers arriving together cost one reload.
import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useLiveSync } from "~/components/shell/live-sync.tsx";

const SETTLE_MS = 300;

export function useRefillWhenFetched(symbol: string, waiting: boolean): void {
  const { watchChanges } = useLiveSync();
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  useEffect(() => {
    if (!waiting) return;
    let pending: ReturnType<typeof setTimeout> | null = null;
    const stop = watchChanges({
      table: "candle_window_requests",
      filter: `symbol=eq.${symbol}`,
      onChange: (change) => {
        const status = change.new.status;
        if ((status !== "fetched" && status !== "unavailable") || pending) return;
        pending = setTimeout(() => {
          pending = null;
          revalidate.current();
        }, SETTLE_MS);
      },
    });
    return () => {
      stop();
      if (pending) clearTimeout(pending);
    };
  }, [watchChanges, symbol, waiting]);
}
