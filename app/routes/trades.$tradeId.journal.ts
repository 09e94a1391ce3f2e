// The trade journal's JSON endpoint for JavaScript: autosave (intent=save,
// with the version the text started from), a picker's whole selection
// (intent=set-tags) and create-on-type (intent=create-tag). GET answers the
// entry and the user's tags for the dashboard's quick-journal sheet. Without
// JavaScript the trade page's own form and action do the same work.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { isAppError } from "~/lib/app-error.ts";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleAction, handleLoader } from "~/lib/route-handler.server.ts";
import { createJournalTag, saveJournalContent, saveJournalTags } from "~/models/journal/trade-journal-form.server.ts";
import { loadTradeJournal } from "~/models/journal/trade-journal.server.ts";

const NO_STORE = { "Cache-Control": "no-store" };

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request, params }) => {
    const user = await requireUserDb(request);
    const journal = await loadTradeJournal(user.db, params.tradeId ?? "");
    if (!journal) return Response.json({ status: "error", message: "We couldn't find that trade." }, { status: 404, headers: NO_STORE });
    return Response.json(journal, { headers: NO_STORE });
  });

export const action = (args: ActionFunctionArgs) =>
  handleAction(args, async ({ request, params }) => {
    const user = await requireUserDb(request);
    const formData = await request.formData();
    const tradeId = params.tradeId ?? "";
    try {
      const intent = formData.get("intent");
      const answer =
        intent === "save"
          ? await saveJournalContent(user.db, user.claims, tradeId, formData)
          : intent === "set-tags"
            ? await saveJournalTags(user.db, user.claims, tradeId, formData)
            : intent === "create-tag"
              ? await createJournalTag(user.db, user.claims, formData)
              : { status: "invalid" as const, fieldErrors: {}, formError: "That request isn't recognised. Reload the page and try again." };
      return Response.json(answer, { status: answer.status === "invalid" ? 400 : 200, headers: NO_STORE });
    } catch (error) {
      // The client reads JSON from every answer; the route handler would make an AppError a form result.
      if (!isAppError(error)) throw error;
      return Response.json({ status: "invalid", fieldErrors: {}, formError: error.message }, { status: error.status, headers: NO_STORE });
    }
  });
