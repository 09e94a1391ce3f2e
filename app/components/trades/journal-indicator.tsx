// Whether a trade has a journal entry: a filled notebook when it does, an
// outline when it does not; the label says it for screen readers.
export function JournalIndicator({ hasJournal, small = false }: { hasJournal: boolean; small?: boolean }) {
  const label = hasJournal ? "Journaled" : "No journal yet";
  return (
    <span title={label} className={`${small ? "shrink-0 " : ""}${hasJournal ? "text-accent-hover" : "text-fg-subtle"}`}>
      <svg
        aria-hidden="true"
        viewBox="0 0 24 24"
        className={small ? "h-4 w-4" : "h-5 w-5"}
        fill={hasJournal ? "currentColor" : "none"}
        fillOpacity={hasJournal ? 0.3 : 0}
        stroke="currentColor"
        strokeWidth={1.75}
        strokeLinecap="round"
        strokeLinejoin="round"
      >
        <path d="M6 4h11a1 1 0 0 1 1 1v15H7a1 1 0 0 1-1-1zM6 17h12M9 8h6M9 11h4" />
      </svg>
      <span className="sr-only">{label}</span>
    </span>
  );
}
