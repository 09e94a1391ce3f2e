// The journal's posted forms, read the same way for the autosave route
// (JavaScript: one intent at a time, JSON back) and for the trade page's own
// Save button (no JavaScript: content, both pickers and typed new tags at
// once, then a redirect).
import { fieldErrorsOf } from "~/lib/forms.ts";
import type { DatabaseClaims, RequestDb } from "~/lib/db.server.ts";
import { TAG_GROUPS, type TagGroup } from "~/domain/journal/scales.ts";
import { createTagSchema, journalContentOf, tradeJournalSchema, tradeTagsSchema } from "~/schemas/trade-journal.ts";
import { createTag, saveTradeJournal, setTradeTags } from "./trade-journal.server.ts";
import type { JournalFormAnswer } from "./trade-journal.types.ts";

type Claims = DatabaseClaims & { sub: string };

export type { JournalFormAnswer };

/** The form field each picker posts its selection in (repeated). */
export const TAG_FIELD: Record<TagGroup, string> = { tags: "tagId", mistakes: "mistakeId" };
/** Present (=1) when the posted form carried the no-JS pickers. */
export const TAG_PICKERS_FIELD = "tagPickers";
/** The no-JS form's "add a new one" text box of each picker. */
export const NEW_TAG_FIELD: Record<TagGroup, string> = { tags: "newTag", mistakes: "newMistake" };

function fields(formData: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of formData) if (typeof value === "string" && !(name in out)) out[name] = value;
  return out;
}

function invalid(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): JournalFormAnswer {
  const fieldErrors = fieldErrorsOf(error);
  return { status: "invalid", fieldErrors, formError: Object.values(fieldErrors).flat()[0] ?? "Check the journal and try again." };
}

export async function saveJournalContent(db: RequestDb, claims: Claims, tradeId: string, formData: FormData): Promise<JournalFormAnswer> {
  const parsed = tradeJournalSchema.safeParse(fields(formData));
  if (!parsed.success) return invalid(parsed.error);
  const mine = journalContentOf(parsed.data);
  const outcome = await saveTradeJournal(db, claims, tradeId, mine, parsed.data.version);
  return outcome.status === "saved" ? outcome : { status: "conflict", theirs: outcome.theirs, mine };
}

export async function saveJournalTags(db: RequestDb, claims: Claims, tradeId: string, formData: FormData): Promise<JournalFormAnswer> {
  const group = formData.get("group");
  const field = group === "tags" || group === "mistakes" ? TAG_FIELD[group] : "tagId";
  const parsed = tradeTagsSchema.safeParse({ group, tagIds: formData.getAll(field) });
  if (!parsed.success) return invalid(parsed.error);
  return { status: "tags", selectedTagIds: await setTradeTags(db, claims, tradeId, parsed.data.group, parsed.data.tagIds) };
}

export async function createJournalTag(db: RequestDb, claims: Claims, formData: FormData): Promise<JournalFormAnswer> {
  const parsed = createTagSchema.safeParse(fields(formData));
  if (!parsed.success) return invalid(parsed.error);
  return { status: "tag-created", tag: await createTag(db, claims, parsed.data.group, parsed.data.name) };
}

/**
 * The no-JS Save: typed new tags are created and ticked, both pickers' sets
 * written, then the content saved (a conflict still keeps the tags, which
 * are set-based and never stale).
 */
export async function saveWholeJournalForm(db: RequestDb, claims: Claims, tradeId: string, formData: FormData): Promise<JournalFormAnswer> {
  const content = tradeJournalSchema.safeParse(fields(formData));
  if (!content.success) return invalid(content.error);
  // Only a form that showed the pickers sends their sets (a conflict's "keep mine" form does not).
  const pickers = formData.get(TAG_PICKERS_FIELD) === "1" ? (Object.keys(TAG_GROUPS) as TagGroup[]) : [];
  for (const group of pickers) {
    const typed = String(formData.get(NEW_TAG_FIELD[group]) ?? "");
    const selection = formData.getAll(TAG_FIELD[group]).map(String);
    for (const name of typed.split(",").filter((part) => part.trim())) {
      const parsed = createTagSchema.safeParse({ group, name });
      if (!parsed.success) return invalid(parsed.error);
      selection.push((await createTag(db, claims, group, parsed.data.name)).id);
    }
    const tags = tradeTagsSchema.safeParse({ group, tagIds: [...new Set(selection)] });
    if (!tags.success) return invalid(tags.error);
    await setTradeTags(db, claims, tradeId, group, tags.data.tagIds);
  }
  const mine = journalContentOf(content.data);
  const outcome = await saveTradeJournal(db, claims, tradeId, mine, content.data.version);
  return outcome.status === "saved" ? outcome : { status: "conflict", theirs: outcome.theirs, mine };
}
