// Progress of an import as JSON, polled by the preview page while the import
// POST runs. Read as the user (RLS): nobody else's upload is visible.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleLoader } from "~/lib/route-handler.server.ts";
import { readProgress } from "~/models/imports/progress.server.ts";

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request, params }) => {
    const user = await requireUserDb(request);
    const progress = await readProgress(user.db, params.uploadId ?? "");
    return Response.json(progress ?? { error: "not found" }, {
      status: progress ? 200 : 404,
      headers: { "Cache-Control": "no-store" },
    });
  });
