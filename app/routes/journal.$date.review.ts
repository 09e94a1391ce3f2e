// The daily review's JSON endpoint for JavaScript: autosave with the version
// the text started from (see app/components/journal/use-autosave.ts). Without
// JavaScript the /journal/$date page's own form and action do the same work.
import type { ActionFunctionArgs } from "@remix-run/node";
import { isAppError } from "~/lib/app-error.ts";
import { fieldErrorsOf, formDataObject } from "~/lib/forms.ts";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleAction } from "~/lib/route-handler.server.ts";
import { saveDailyReview } from "~/models/journal/daily-review.server.ts";
import { dailyReviewSchema } from "~/schemas/daily-review.ts";
import { day as dayField } from "~/schemas/trade-filters.ts";

const NO_STORE = { "Cache-Control": "no-store" };

export const action = (args: ActionFunctionArgs) =>
  handleAction(args, async ({ request, params }) => {
    const user = await requireUserDb(request);
    const day = dayField.safeParse(params.date ?? "");
    if (!day.success) return Response.json({ status: "invalid", formError: "That isn't a day." }, { status: 404, headers: NO_STORE });
    const parsed = dailyReviewSchema.safeParse(formDataObject(await request.formData()));
    if (!parsed.success) {
      const errors = fieldErrorsOf(parsed.error);
      const formError = Object.values(errors).flat()[0] ?? "Check the review and try again.";
      return Response.json({ status: "invalid", fieldErrors: errors, formError }, { status: 400, headers: NO_STORE });
    }
    const { version, ...content } = parsed.data;
    try {
      const result = await saveDailyReview(user.db, user.claims.sub, day.data, content, version);
      const answer = result.status === "saved" ? result : { status: "conflict" as const, theirs: result.current };
      return Response.json(answer, { headers: NO_STORE });
    } catch (error) {
      // The client reads JSON from every answer; the route handler would make an AppError a form result.
      if (!isAppError(error)) throw error;
      return Response.json({ status: "invalid", fieldErrors: {}, formError: error.message }, { status: error.status, headers: NO_STORE });
    }
  });
