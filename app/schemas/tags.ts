// One schema per form of Settings → Tags (create, edit, merge, delete),
// shared by the page (checked before submitting) and its action (always).
import * as z from "zod/mini";

/** The groups a tag belongs to; "mistakes" in the journal are the user's mistake tags. */
export const TAG_CATEGORIES = ["setup", "mistake", "emotion", "general"] as const;
export type TagCategory = (typeof TAG_CATEGORIES)[number];

export const TAG_CATEGORY_LABEL: Record<TagCategory, string> = {
  setup: "Setups",
  mistake: "Mistakes",
  emotion: "Emotions",
  general: "General",
};

/** The database's rule: 1–40 characters once trimmed. */
export const TAG_NAME_MAX = 40;

export const DEFAULT_TAG_COLOR = "#6366f1";

const tagId = z.string({ error: "Choose a tag." }).check(z.trim(), z.guid("Choose a tag from the list."));

const tagName = z
  .string({ error: "Name the tag." })
  .check(z.trim(), z.minLength(1, "Name the tag."), z.maxLength(TAG_NAME_MAX, `Keep the name to ${TAG_NAME_MAX} characters.`));

// <input type="color"> always sends #rrggbb in lower case.
const tagColor = z
  .string({ error: "Choose a colour." })
  .check(z.trim(), z.regex(/^#[0-9a-fA-F]{6}$/, "Choose a colour like #6366f1."), z.toLowerCase());

const tagCategory = z.enum(TAG_CATEGORIES, { error: "Choose a group from the list." });

export const createTagSchema = z.object({ name: tagName, color: tagColor, category: tagCategory });

export const updateTagSchema = z.object({ tagId, name: tagName, color: tagColor, category: tagCategory });

export const mergeTagSchema = z
  .object({ tagId, intoTagId: z.string({ error: "Choose the tag to merge into." }).check(z.trim(), z.guid("Choose the tag to merge into.")) })
  .check(
    z.refine((form) => form.tagId !== form.intoTagId, {
      path: ["intoTagId"],
      message: "Choose a different tag to merge into.",
    }),
  );

export const deleteTagSchema = z.object({ tagId });

export type CreateTagValues = z.output<typeof createTagSchema>;
export type UpdateTagValues = z.output<typeof updateTagSchema>;
