// Rows that will not be imported (with row numbers and reasons) and warnings.
import type { RejectedRow } from "~/domain/trades/types.ts";

export function ValidationSummary({ rejected, rejectedCount, warnings }: { rejected: RejectedRow[]; rejectedCount: number; warnings: string[] }) {
  if (rejectedCount === 0 && warnings.length === 0) {
    return <p className="text-sm text-green-300">Every row was read: nothing will be rejected.</p>;
  }
  return (
    <div className="space-y-4">
      {rejectedCount > 0 ? (
        <div>
          <h3 className="text-sm font-semibold text-fg">
            {rejectedCount.toLocaleString("en-US")} {rejectedCount === 1 ? "row" : "rows"} will be rejected
          </h3>
          <ul className="mt-2 space-y-1 text-sm">
            {rejected.map((row, index) => (
              <li key={`${row.section ?? ""}-${row.row}-${index}`} className="flex gap-2">
                <span className="shrink-0 font-mono text-xs leading-5 text-fg-muted">
                  {row.section ? `${row.section} ` : ""}row {row.row}
                </span>
                <span className="text-red-300">{row.reason}</span>
              </li>
            ))}
          </ul>
          {rejectedCount > rejected.length ? (
            <p className="mt-1 text-xs text-fg-muted">
              …and {(rejectedCount - rejected.length).toLocaleString("en-US")} more; the full list can be downloaded after the import.
            </p>
          ) : null}
        </div>
      ) : null}
      {warnings.length ? (
        <div>
          <h3 className="text-sm font-semibold text-fg">Warnings</h3>
          <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-amber-200">
            {warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
