// Import history: every batch with its counts and status, and Undo.
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { formatLabel } from "~/components/imports/format-label.ts";
import { UndoBatchButton } from "~/components/imports/undo-batch-form.tsx";
import { PageHeader } from "~/components/page-header.tsx";
import { AppError } from "~/lib/app-error.ts";
import { formatDateTime } from "~/lib/format.ts";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleAction, handleLoader } from "~/lib/route-handler.server.ts";
import { safeRedirect } from "~/lib/safe-redirect.ts";
import { listImportBatches, undoImportBatch } from "~/models/imports/history.server.ts";
import type { ImportBatchSummary } from "~/models/imports/types.ts";
import { userTimeZone } from "~/models/imports/uploads.server.ts";

export const meta: MetaFunction = () => [{ title: "Import history — RawJournal" }];

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => {
    const user = await requireUserDb(request);
    return { batches: await listImportBatches(user.db, user.claims), timeZone: await userTimeZone(user.db, user.claims) };
  });

export const action = (args: ActionFunctionArgs) =>
  handleAction(args, async ({ request }) => {
    const user = await requireUserDb(request);
    const form = await request.formData();
    if (form.get("intent") !== "undo") throw new AppError("bad_request", "That form isn't recognised. Reload the page and try again.");
    const undone = await undoImportBatch(user.db, user.claims, String(form.get("batchId") ?? ""));
    if (!undone) throw new AppError("not_found", "That import no longer exists.");
    const back = safeRedirect(String(form.get("returnTo") ?? ""), "/trades/imports");
    return redirect(`${back}${back.includes("?") ? "&" : "?"}undone=1`);
  });

const STATUS_STYLE: Record<ImportBatchSummary["status"], string> = {
  completed: "border-green-500/40 text-green-300",
  running: "border-accent/40 text-indigo-200",
  failed: "border-red-500/40 text-red-300",
  undone: "border-border text-fg-muted",
};

export default function ImportHistory() {
  const { batches, timeZone } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const confirming = params.get("undo");
  return (
    <>
      <PageHeader
        title="Import history"
        description="Every file you imported. Undo removes what an import added."
        actions={
          <Link to="/trades/import" className="btn-primary">
            Import a file
          </Link>
        }
      />
      {params.get("undone") ? (
        <p role="status" className="mb-4 rounded-md border border-green-500/40 bg-green-500/10 px-3 py-2 text-sm text-green-300">
          Import undone: its trades and cash rows were deleted.
        </p>
      ) : null}
      {batches.length === 0 ? (
        <div className="card p-6 text-sm text-fg-muted">
          No imports yet.{" "}
          <Link to="/trades/import" className="link">
            Import your first report
          </Link>
          .
        </div>
      ) : (
        <ul className="space-y-3">
          {batches.map((batch) => (
            <li key={batch.id} className="card p-4 sm:p-5">
              <div className="flex flex-wrap items-start justify-between gap-3">
                <div className="min-w-0 space-y-1">
                  <Link to={`/trades/imports/${batch.id}`} className="link break-all">
                    {batch.fileName ?? "Untitled file"}
                  </Link>
                  <p className="text-xs text-fg-muted">
                    {formatDateTime(batch.createdAt, timeZone)} · {formatLabel(batch.format)} · {batch.accountName}
                  </p>
                </div>
                <span className={`rounded-full border px-2.5 py-0.5 text-xs font-medium ${STATUS_STYLE[batch.status]}`}>{batch.status}</span>
              </div>
              <p className="mt-3 text-sm text-fg">
                {batch.imported.toLocaleString("en-US")} imported · {batch.duplicates.toLocaleString("en-US")} duplicates
                {batch.updated ? ` · ${batch.updated.toLocaleString("en-US")} updated` : ""} · {batch.rejected.toLocaleString("en-US")} rejected
              </p>
              {batch.status === "completed" ? (
                <div className="mt-3">
                  <UndoBatchButton batch={batch} confirming={confirming === batch.id} returnTo="/trades/imports" />
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
