// The per-trade journal's forms, shared by the page (no-JS Save), the
// autosave resource route and the browser's draft check: one schema for the
// entry's content and the version it was edited from, and one each for the
// tag pickers' set and create-on-type.
import * as z from "zod/mini";
import { JOURNAL_TEXT_LIMIT, normaliseJournalText, normaliseTagName, TAG_NAME_LIMIT, type JournalContent } from "~/domain/journal/entry.ts";
import {
  FOLLOWED_PLAN_OPTIONS,
  isFollowedPlan,
  type FollowedPlan,
  type Mood,
  type SetupQuality,
  TAG_GROUPS,
  type TagGroup,
} from "~/domain/journal/scales.ts";

const journalText = (what: string) =>
  z
    .pipe(
      z.optional(z.string()),
      z.transform((value: string | undefined) => normaliseJournalText(value ?? "")),
    )
    .check(z.refine((value: string) => value.length <= JOURNAL_TEXT_LIMIT, `Keep ${what} to ${JOURNAL_TEXT_LIMIT.toLocaleString("en")} characters.`));

/** "" (not answered) or a step of a 1–5 scale. */
const scaleStep = (message: string) =>
  z.pipe(
    z.optional(z.string()),
    z.transform((value: string | undefined, ctx) => {
      if (!value) return null;
      const step = Number(value);
      if (!Number.isInteger(step) || step < 1 || step > 5) {
        ctx.issues.push({ code: "custom", message, input: value });
        return z.NEVER;
      }
      return step;
    }),
  );

export const tradeJournalSchema = z.object({
  notes: journalText("notes"),
  lessons: journalText("lessons"),
  mood: scaleStep("Choose a mood from the scale."),
  setupQuality: scaleStep("Rate the setup from 1 to 5."),
  followedPlan: z.pipe(
    z.optional(z.string()),
    z.transform((value: string | undefined, ctx) => {
      if (!value) return null;
      if (!isFollowedPlan(value)) {
        ctx.issues.push({ code: "custom", message: `Answer ${FOLLOWED_PLAN_OPTIONS.map((o) => o.label.toLowerCase()).join(", ")}.`, input: value });
        return z.NEVER;
      }
      return value;
    }),
  ),
  // The version the writer's text started from; 0 when there was no entry yet.
  version: z.coerce.number({ error: "Reload the page and try again." }).check(z.int(), z.gte(0)),
});

export type TradeJournalForm = z.output<typeof tradeJournalSchema>;

/** The schema's output as the domain's content (the scale steps are checked there). */
export function journalContentOf(form: TradeJournalForm): JournalContent {
  return {
    notes: form.notes,
    lessons: form.lessons,
    mood: form.mood as Mood | null,
    setupQuality: form.setupQuality as SetupQuality | null,
    followedPlan: form.followedPlan as FollowedPlan | null,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const tagGroupField = z.enum(Object.keys(TAG_GROUPS) as [TagGroup, ...TagGroup[]]);

/** The whole selection of one picker (set-based: what is not listed is removed). */
export const tradeTagsSchema = z.object({
  group: tagGroupField,
  tagIds: z.array(z.string().check(z.regex(UUID, "That tag doesn't exist."))).check(z.maxLength(50, "At most 50 tags per trade.")),
});

export const createTagSchema = z.object({
  group: tagGroupField,
  name: z
    .pipe(
      z.string({ error: "Type a name for the tag." }),
      z.transform((value: string) => normaliseTagName(value)),
    )
    .check(z.minLength(1, "Type a name for the tag."), z.maxLength(TAG_NAME_LIMIT, `Keep tag names to ${TAG_NAME_LIMIT} characters.`)),
});
