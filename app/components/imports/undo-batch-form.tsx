// Undo with a confirmation step that works without JavaScript: the first
// button leads to a confirm panel (?undo=<id>), which posts the undo.
import { Form, Link } from "@remix-run/react";
import type { ImportBatchSummary } from "~/models/imports/types.ts";

export function UndoBatchButton({ batch, confirming, returnTo }: { batch: ImportBatchSummary; confirming: boolean; returnTo: string }) {
  if (batch.status !== "completed") return null;
  if (!confirming) {
    return (
      <Link
        to={`${returnTo}?undo=${batch.id}`}
        className="btn-secondary px-3 py-1.5"
        preventScrollReset
        aria-label={`Undo import of ${batch.fileName ?? "file"}`}
      >
        Undo
      </Link>
    );
  }
  return (
    <Form method="post" action="/trades/imports" className="space-y-2 rounded-md border border-red-500/40 bg-red-500/10 p-3">
      <p className="text-sm text-red-200">
        Delete the {batch.imported.toLocaleString("en-US")} trades and {batch.cashImported.toLocaleString("en-US")} cash rows this import added, with
        their journal entries? Trades it only updated stay.
      </p>
      <input type="hidden" name="batchId" value={batch.id} />
      <input type="hidden" name="returnTo" value={returnTo} />
      <div className="flex flex-wrap gap-2">
        <button type="submit" name="intent" value="undo" className="btn-danger px-3 py-1.5">
          Yes, undo this import
        </button>
        <Link to={returnTo} className="btn-ghost px-3 py-1.5" preventScrollReset>
          Cancel
        </Link>
      </div>
    </Form>
  );
}
