// /screenshots/$screenshotId — change a screenshot's caption or delete it
// (intent=caption | delete), from the panel's fetchers or, without
// JavaScript, from plain forms that name `?redirectTo=` to come back to.
import type { ActionFunctionArgs } from "@remix-run/node";
import { AppError } from "~/lib/app-error.ts";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleAction } from "~/lib/route-handler.server.ts";
import { answerScreenshotAction } from "~/models/screenshot-answers.server.ts";
import { screenshotStorage } from "~/models/screenshot-storage.server.ts";
import { deleteScreenshot, setScreenshotCaption } from "~/models/screenshots.server.ts";
import { captionField, isUuid } from "~/schemas/screenshots.ts";

export const action = (args: ActionFunctionArgs) =>
  handleAction(args, async ({ request, params }) => {
    const form = await request.formData();
    const redirectTo = new URL(request.url).searchParams.get("redirectTo");
    return answerScreenshotAction(redirectTo, async () => {
      const id = params.screenshotId ?? "";
      if (!isUuid(id)) throw new AppError("not_found", "That screenshot no longer exists; it may have been deleted.");
      const user = await requireUserDb(request);
      const intent = form.get("intent");
      if (intent === "delete") {
        await deleteScreenshot(user.db, screenshotStorage(user.supabase), id);
        return { ok: true as const, message: "Screenshot deleted." };
      }
      if (intent === "caption") {
        const caption = captionField.safeParse(String(form.get("caption") ?? ""));
        if (!caption.success) throw new AppError("bad_request", caption.error.issues[0]?.message ?? "That caption cannot be saved.");
        await setScreenshotCaption(user.db, id, caption.data);
        return { ok: true as const, message: "Caption saved." };
      }
      throw new AppError("bad_request", "That form isn't recognised. Reload the page and try again.");
    });
  });
