// Which entry a screenshot request is about, read from the URL (?trade= or
// ?day=) or from the upload form's fields of the same names, and the caption.
// zod/mini: the panel builds the same target in the browser.
import * as z from "zod/mini";
import { MAX_CAPTION_LENGTH, type ScreenshotTarget } from "~/domain/images/screenshot-rules.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A calendar date that exists ("2026-02-30" does not). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export const isUuid = (value: string) => UUID.test(value);

/** The target named by `trade` or `day`, or null when neither (or both, or a malformed one) is given. */
export function readScreenshotTarget(get: (name: string) => string | null | undefined): ScreenshotTarget | null {
  const trade = get("trade") ?? "";
  const day = get("day") ?? "";
  if (trade && !day && isUuid(trade)) return { kind: "trade", tradeId: trade.toLowerCase() };
  if (day && !trade && isCalendarDate(day)) return { kind: "day", date: day };
  return null;
}

/** The query string that names a target, for the panel's requests. */
export function targetSearch(target: ScreenshotTarget): string {
  return target.kind === "trade" ? `trade=${encodeURIComponent(target.tradeId)}` : `day=${encodeURIComponent(target.date)}`;
}

/** An empty caption clears it. */
export const captionField = z.pipe(
  z.string().check(z.trim(), z.maxLength(MAX_CAPTION_LENGTH, `Keep the caption under ${MAX_CAPTION_LENGTH} characters.`)),
  z.transform((value: string) => (value === "" ? null : value)),
);
