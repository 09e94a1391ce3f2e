// /screenshots — the screenshot panel's resource route (no page of its own).
//   GET  ?trade=<id> | ?day=YYYY-MM-DD  → the entry's screenshots with signed URLs
//   POST multipart: file, trade | day, caption? [?redirectTo=] → stores one screenshot
// The panel posts the image its browser compressed; a form posted without
// JavaScript sends the original file and names `?redirectTo=` to come back to.
// Either way the server checks the bytes (app/domain/images).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { MAX_SCREENSHOT_BYTES } from "~/domain/images/screenshot-rules.ts";
import { AppError, isAppError } from "~/lib/app-error.ts";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleAction, handleLoader } from "~/lib/route-handler.server.ts";
import { readMultipartUpload } from "~/models/imports/multipart-upload.server.ts";
import { answerScreenshotAction } from "~/models/screenshot-answers.server.ts";
import { screenshotStorage } from "~/models/screenshot-storage.server.ts";
import { addScreenshot, listScreenshots } from "~/models/screenshots.server.ts";
import type { ScreenshotListAnswer } from "~/models/screenshots.types.ts";
import { captionField, readScreenshotTarget } from "~/schemas/screenshots.ts";

/** Room for the multipart framing and the small fields around the file. */
const FORM_OVERHEAD = 64 * 1024;

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => {
    const user = await requireUserDb(request);
    const target = readScreenshotTarget((name) => new URL(request.url).searchParams.get(name));
    // Refusals are 200 answers: a fetcher's 4xx would be thrown and replace the whole page.
    const answer = (body: ScreenshotListAnswer) => Response.json(body, { headers: { "Cache-Control": "no-store" } });
    if (!target) return answer({ error: "Say which trade (?trade=) or day (?day=YYYY-MM-DD) the screenshots belong to." });
    try {
      return answer(await listScreenshots(user.db, screenshotStorage(user.supabase), target));
    } catch (error) {
      if (isAppError(error)) return answer({ error: error.message });
      throw error;
    }
  });

export const action = (args: ActionFunctionArgs) =>
  handleAction(args, async ({ request }) => {
    const declared = Number(request.headers.get("Content-Length") ?? "");
    const tooLarge = new AppError("bad_request", "That image is over 5 MB; screenshots can be up to 5 MB.", { hint: "too_large" });
    const upload =
      Number.isFinite(declared) && declared > MAX_SCREENSHOT_BYTES + FORM_OVERHEAD
        ? ({ ok: false, reason: "too-large" } as const)
        : await readMultipartUpload(request, { maxBodyBytes: MAX_SCREENSHOT_BYTES + FORM_OVERHEAD, maxFileBytes: MAX_SCREENSHOT_BYTES });
    // In the URL, not the body: a body refused unread still knows where to go back to.
    const redirectTo = new URL(request.url).searchParams.get("redirectTo");
    return answerScreenshotAction(redirectTo, async () => {
      if (!upload.ok) {
        if (upload.reason === "too-large") throw tooLarge;
        throw new AppError("bad_request", "The upload did not arrive complete. Choose the image and try again.", { hint: "incomplete" });
      }
      const user = await requireUserDb(request);
      const target = readScreenshotTarget((name) => upload.fields.get(name));
      if (!target) throw new AppError("bad_request", "That upload did not say which trade or day it belongs to. Reload the page and try again.");
      const file = upload.files.get("file");
      if (!file || file.bytes.byteLength === 0) throw new AppError("bad_request", "Choose an image to upload.", { hint: "empty" });
      const caption = captionField.safeParse(upload.fields.get("caption") ?? "");
      const screenshot = await addScreenshot(
        user.db,
        screenshotStorage(user.supabase),
        user.userId,
        target,
        file.bytes,
        caption.success ? caption.data : null,
      );
      return { ok: true as const, screenshot };
    });
  });
