// Small labels the trade list and detail share: side, session, status, source.
const SESSION_LABEL: Record<string, string> = {
  asian: "Asian",
  london: "London",
  overlap: "Overlap",
  newyork: "New York",
  "late-ny": "Late NY",
};

// Spelled out so Tailwind finds the class names when it scans the source.
const SESSION_CLASS: Record<string, string> = {
  asian: "border-sky-500/40 text-sky-300",
  london: "border-violet-500/40 text-violet-300",
  overlap: "border-amber-500/40 text-amber-300",
  newyork: "border-emerald-500/40 text-emerald-300",
  "late-ny": "border-border text-fg-muted",
};

const badge = "inline-flex items-center whitespace-nowrap rounded-full border px-2 py-0.5 text-xs font-medium";

export function sessionLabel(session: string | null): string {
  return session ? (SESSION_LABEL[session] ?? session) : "—";
}

/** `compact`: the phone list's one-line size (no vertical padding, smaller text). */
export function DirectionBadge({ direction, compact = false }: { direction: "buy" | "sell"; compact?: boolean }) {
  const size = compact ? "inline-flex items-center whitespace-nowrap rounded-full border px-1.5 text-[10px] font-medium leading-4" : badge;
  return (
    <span className={`${size} ${direction === "buy" ? "border-profit/40 text-green-300" : "border-loss/40 text-red-300"}`}>
      {direction === "buy" ? "BUY" : "SELL"}
    </span>
  );
}

export function SessionBadge({ session }: { session: string | null }) {
  if (!session) return <span className="text-fg-subtle">—</span>;
  return <span className={`${badge} ${SESSION_CLASS[session] ?? "border-border text-fg-muted"}`}>{sessionLabel(session)}</span>;
}

export function StatusBadge({ status }: { status: "open" | "closed" }) {
  return (
    <span className={`${badge} ${status === "open" ? "border-accent/50 text-indigo-200" : "border-border text-fg-muted"}`}>
      {status === "open" ? "Open" : "Closed"}
    </span>
  );
}

export const SOURCE_LABEL = { manual: "Manual", file: "File import", mt5: "MT5 sync" } as const;

export function SourceBadge({ source }: { source: "manual" | "file" | "mt5" }) {
  return <span className={`${badge} border-border text-fg-muted`}>{SOURCE_LABEL[source]}</span>;
}
