// How the screenshot routes answer: JSON for the panel (fetch / useFetcher),
// or — for a plain form posted without JavaScript, which names where it came
// from in `redirectTo` — a redirect back there, carrying a refusal's code.
import { redirect } from "@remix-run/node";
import { isAppError } from "~/lib/app-error.ts";
import { safeRedirect } from "~/lib/safe-redirect.ts";
import type { ScreenshotActionResult } from "./screenshots.types.ts";

const NO_STORE = { "Cache-Control": "no-store" };

export const SCREENSHOT_ERROR_PARAM = "screenshotError";

function back(redirectTo: string, code: string | null): string {
  const url = new URL(safeRedirect(redirectTo, "/dashboard"), "http://rawjournal.invalid");
  if (code) url.searchParams.set(SCREENSHOT_ERROR_PARAM, code);
  else url.searchParams.delete(SCREENSHOT_ERROR_PARAM);
  return `${url.pathname}${url.search}${url.hash}`;
}

/** Runs a screenshot action; expected refusals (AppError) become answers, not error pages. */
export async function answerScreenshotAction(redirectTo: string | null, act: () => Promise<ScreenshotActionResult & { ok: true }>) {
  try {
    const result = await act();
    return redirectTo ? redirect(back(redirectTo, null)) : Response.json(result, { headers: NO_STORE });
  } catch (error) {
    if (!isAppError(error)) throw error;
    if (redirectTo) return redirect(back(redirectTo, error.hint ?? "failed"));
    const failure: ScreenshotActionResult = { ok: false, message: error.message, code: error.hint };
    // 200, not the error's status: a fetcher turns a 4xx answer into a thrown
    // error that replaces the whole page. Nothing was written by a refusal
    // (the check comes first, and a failed statement aborts the transaction).
    return Response.json(failure, { headers: NO_STORE });
  }
}
