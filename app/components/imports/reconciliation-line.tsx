// The file's own balance and net profit against what was stored from it: a ✓
// when they agree, otherwise each difference with its size and cause.
import type { ReconciliationResult } from "~/domain/imports/reconcile-import.ts";

export function ReconciliationLine({ result }: { result: ReconciliationResult }) {
  const explanations = result.checks.filter((check) => !check.matches && check.explanation).map((check) => check.explanation!);
  const tone = result.allMatch
    ? "border-profit/40 text-fg"
    : result.checks.length === 0
      ? "border-border text-fg-muted"
      : "border-amber-500/50 text-fg";
  return (
    <div
      role="status"
      data-reconciliation={result.allMatch ? "match" : "differs"}
      className={`space-y-1 rounded-md border px-3 py-2 text-sm ${tone}`}
    >
      <p>
        <span className="sr-only">{result.allMatch ? "Reconciled: " : "Reconciliation: "}</span>
        {result.allMatch && result.sentence.endsWith(" ✓") ? (
          <>
            {result.sentence.slice(0, -2)} <span className="font-semibold text-green-400">✓</span>
          </>
        ) : (
          result.sentence
        )}
      </p>
      {[...explanations, ...result.notes].map((note) => (
        <p key={note} className="text-xs text-fg-muted">
          {note}
        </p>
      ))}
    </div>
  );
}
