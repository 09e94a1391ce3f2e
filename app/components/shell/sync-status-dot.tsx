// Whether MT5 sync is running for the open app: green while syncing, yellow
// in the grace period after the last tab closed, grey when off. The sync
// issue wires the real state; until then it is "off".
export type SyncState = "syncing" | "grace" | "off";

const LOOK: Record<SyncState, { dot: string; label: string }> = {
  syncing: { dot: "bg-profit", label: "Sync on" },
  grace: { dot: "bg-yellow-400", label: "Sync pausing" },
  off: { dot: "bg-fg-subtle", label: "Sync off" },
};

export function SyncStatusDot({ state }: { state: SyncState }) {
  const { dot, label } = LOOK[state];
  return (
    <span className="inline-flex items-center gap-2 rounded-full border border-border px-2.5 py-1 text-xs text-fg-muted" title={label}>
      <span aria-hidden="true" className={`h-2 w-2 rounded-full ${dot}`} />
      <span className="hidden sm:inline">{label}</span>
      <span className="sr-only sm:hidden">{label}</span>
    </span>
  );
}
