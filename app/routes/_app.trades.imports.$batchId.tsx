// The result of one import: counts, the rejected rows to download, links to
// the trades, and Undo.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { BatchCounts } from "~/components/imports/batch-counts.tsx";
import { ReconciliationLine } from "~/components/imports/reconciliation-line.tsx";
import { formatLabel } from "~/components/imports/format-label.ts";
import { UndoBatchButton } from "~/components/imports/undo-batch-form.tsx";
import { PageHeader } from "~/components/page-header.tsx";
import { AppError } from "~/lib/app-error.ts";
import { formatDateTime } from "~/lib/format.ts";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleLoader } from "~/lib/route-handler.server.ts";
import { loadImportBatch } from "~/models/imports/history.server.ts";
import { loadReconciliation } from "~/models/imports/reconciliation.server.ts";
import { userTimeZone } from "~/models/imports/uploads.server.ts";

export const meta: MetaFunction = () => [{ title: "Import result — RawJournal" }];

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request, params }) => {
    const user = await requireUserDb(request);
    const batch = await loadImportBatch(user.db, user.claims, params.batchId ?? "");
    if (!batch) throw new AppError("not_found", "That import does not exist.");
    return { batch, reconciliation: await loadReconciliation(user.db, batch.id), timeZone: await userTimeZone(user.db, user.claims) };
  });

export default function ImportResult() {
  const { batch, reconciliation, timeZone } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const here = `/trades/imports/${batch.id}`;
  return (
    <>
      <PageHeader
        title={batch.status === "undone" ? "Import undone" : "Import complete"}
        description={`${batch.fileName ?? "Untitled file"} · ${formatLabel(batch.format)} · ${batch.accountName} · ${formatDateTime(batch.createdAt, timeZone)}`}
      />
      <section className="card max-w-2xl space-y-4 p-5 sm:p-6" aria-label="Import result">
        {params.get("undone") || batch.status === "undone" ? (
          <p role="status" className="rounded-md border border-border px-3 py-2 text-sm text-fg-muted">
            This import was undone{batch.undoneAt ? ` on ${formatDateTime(batch.undoneAt, timeZone)}` : ""}: its trades and cash rows were deleted.
          </p>
        ) : null}
        <BatchCounts batch={batch} />
        {reconciliation && batch.status === "completed" ? <ReconciliationLine result={reconciliation} /> : null}
        <div className="flex flex-wrap gap-3">
          <Link to={`/trades?account=${batch.accountId}`} className="btn-primary">
            View trades
          </Link>
          <Link to="/trades/import" className="btn-secondary">
            Import another file
          </Link>
          <Link to="/trades/imports" className="btn-ghost">
            Import history
          </Link>
        </div>
        {batch.status === "completed" ? <UndoBatchButton batch={batch} confirming={params.get("undo") === batch.id} returnTo={here} /> : null}
      </section>
    </>
  );
}
