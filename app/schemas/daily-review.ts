// The daily review's form (/journal/$date): pre-market plan, end-of-day
// review, mood, and the version the writer's text started from (0 when the day
// had no entry yet), shared by the no-JS Save and the autosave.
import * as z from "zod/mini";
import { JOURNAL_TEXT_LIMIT, normaliseJournalText } from "~/domain/journal/entry.ts";
import { isMood, type Mood } from "~/domain/journal/scales.ts";

const reviewText = (what: string) =>
  z
    .pipe(
      z.optional(z.string()),
      z.transform((value: string | undefined) => normaliseJournalText(value ?? "")),
    )
    .check(
      z.refine((value: string) => value.length <= JOURNAL_TEXT_LIMIT, `Keep the ${what} to ${JOURNAL_TEXT_LIMIT.toLocaleString("en")} characters.`),
    );

export const dailyReviewSchema = z.object({
  premarketPlan: reviewText("plan"),
  review: reviewText("review"),
  mood: z.pipe(
    z.optional(z.string()),
    z.transform((value: string | undefined, ctx): Mood | null => {
      if (!value) return null;
      const step = Number(value);
      if (!Number.isInteger(step) || !isMood(step)) {
        ctx.issues.push({ code: "custom", message: "Choose a mood from the scale.", input: value });
        return z.NEVER;
      }
      return step;
    }),
  ),
  version: z.coerce.number({ error: "Reload the page and try again." }).check(z.int(), z.gte(0)),
});

export type DailyReviewForm = z.output<typeof dailyReviewSchema>;
export type DailyReviewContent = Omit<DailyReviewForm, "version">;
