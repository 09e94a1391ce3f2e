// The rejected rows of one import as a CSV download (formula cells neutralised).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { AppError } from "~/lib/app-error.ts";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { limitDownload } from "~/lib/rate-limit.server.ts";
import { handleLoader } from "~/lib/route-handler.server.ts";
import { loadRejectedRows } from "~/models/imports/history.server.ts";
import { rejectedRowsCsv } from "~/models/imports/rejected-csv.ts";

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request, params }) => {
    const user = await requireUserDb(request);
    await limitDownload(request, user.userId, { href: "/trades/imports", label: "Back to your imports" });
    const batch = await loadRejectedRows(user.db, user.claims, params.batchId ?? "");
    if (!batch) throw new AppError("not_found", "That import does not exist.");
    const base =
      (batch.fileName ?? "import")
        .replace(/\.[^.]+$/, "")
        .replace(/[^\w.-]+/g, "_")
        .slice(0, 80) || "import";
    return new Response(rejectedRowsCsv(batch.rows), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${base}-rejected.csv"`,
        "Cache-Control": "private, no-store",
        // The rows are the uploader's own text: never let a browser sniff them into HTML.
        "X-Content-Type-Options": "nosniff",
      },
    });
  });
