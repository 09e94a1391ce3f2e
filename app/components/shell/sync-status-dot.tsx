// Whether MT5 sync is running for the user's accounts: green while it runs,
// amber when an account is paused (the reason in the tooltip and for screen
// readers), red after a failed sync, grey when no MT5 account is connected.
// The state comes from the accounts' sync_status, loaded with the page and
// kept current through Realtime (live-sync.tsx); `data-live` says whether
// this tab's live connection is up.
import type { SyncIndicatorState } from "~/domain/sync/sync-indicator.ts";
import { useLiveSync } from "./live-sync.tsx";

// Spelled out so Tailwind finds the class names when it scans the source.
const DOT: Record<SyncIndicatorState, string> = {
  syncing: "bg-profit",
  paused: "bg-amber-400",
  error: "bg-loss",
  off: "bg-fg-subtle",
};

const LIVE_TEXT = {
  connecting: "Live updates connecting",
  live: "Live updates on",
  reconnecting: "Live updates reconnecting",
  stopped: "Live updates off",
} as const;

export function SyncStatusDot() {
  const { indicator, status } = useLiveSync();
  const title = [indicator.label, indicator.detail, LIVE_TEXT[status]].filter(Boolean).join(" · ");
  return (
    <span
      className="inline-flex min-w-0 items-center gap-2 rounded-full border border-border px-2.5 py-1 text-xs text-fg-muted"
      title={title}
      data-sync-state={indicator.state}
      data-live={status}
    >
      <span
        aria-hidden="true"
        className={`h-2 w-2 shrink-0 rounded-full ${DOT[indicator.state]} ${status === "reconnecting" ? "animate-pulse" : ""}`}
      />
      {/* Phones show the dot only (the header has no room); the words stay for screen readers and in the title. */}
      <span className="hidden sm:inline">{indicator.label}</span>
      <span className="sr-only">
        <span className="sm:hidden">{indicator.label}</span>
        {indicator.detail ? `. ${indicator.detail}` : ""}
      </span>
    </span>
  );
}
