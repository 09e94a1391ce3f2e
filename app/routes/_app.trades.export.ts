// /trades/export?<the list's filters>: every trade matching the filters (all
// pages, not just the one shown) as a CSV download, streamed from the
// database. Cells that a spreadsheet would run as formulas are neutralised
// (app/domain/trades/csv-export.ts).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleLoader } from "~/lib/route-handler.server.ts";
import { pool } from "~/lib/pool.server.ts";
import { limitDownload } from "~/lib/rate-limit.server.ts";
import { requireUser } from "~/lib/session.server.ts";
import { exportTradesCsv } from "~/models/trade-export.server.ts";
import { parseTradeFilters } from "~/schemas/trade-filters.ts";

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => {
    const user = await requireUser(request);
    await limitDownload(request, user.userId, { href: "/trades", label: "Back to your trades" });
    const filters = parseTradeFilters(new URL(request.url).searchParams);
    const stamp = new Date().toISOString().slice(0, 10);
    return new Response(exportTradesCsv(pool, user.claims, filters), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="rawjournal-trades-${stamp}.csv"`,
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  });
