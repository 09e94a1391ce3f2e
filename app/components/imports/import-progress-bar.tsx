// Progress of a running import as the server reports it.
import type { ImportProgress } from "~/models/imports/types.ts";

const PHASE_LABEL: Record<ImportProgress["phase"], string> = {
  staged: "Starting…",
  parsing: "Reading the file…",
  storing: "Saving trades…",
  done: "Done",
  failed: "Failed",
};

export function ImportProgressBar({ progress }: { progress: ImportProgress | null }) {
  const total = progress?.total ?? 0;
  const done = progress?.done ?? 0;
  const percent = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
  const label = progress ? PHASE_LABEL[progress.phase] : PHASE_LABEL.staged;
  return (
    <div className="space-y-1.5" aria-live="polite">
      <div className="flex justify-between text-xs text-fg-muted">
        <span>{label}</span>
        {total > 0 ? <span>{`${done.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} rows`}</span> : null}
      </div>
      <div
        role="progressbar"
        aria-label="Import progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        className="h-2 overflow-hidden rounded-full bg-raised"
      >
        <div className="h-full rounded-full bg-accent transition-[width] duration-200" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
