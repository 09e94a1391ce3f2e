// The shapes app/models/journal/trade-journal.server.ts returns, in a module
// of types only, so components can use them without importing server code.
import type { JournalContent, JournalEntry } from "~/domain/journal/entry.ts";
import type { FieldErrors } from "~/lib/form-result.ts";
import type { TagCategory } from "~/domain/journal/scales.ts";

export interface JournalTag {
  id: string;
  name: string;
  color: string;
  category: TagCategory;
}

export interface TradeJournal {
  entry: JournalEntry;
  /** Every tag of the user, for both pickers (each shows its categories). */
  tags: JournalTag[];
  /** The trade's tags, of every category. */
  selectedTagIds: string[];
}

export type SaveJournalOutcome =
  | { status: "saved"; entry: JournalEntry }
  /** Someone saved a newer version first; nothing was written. */
  | { status: "conflict"; theirs: JournalEntry };

/** What the journal's forms answer (the autosave route as JSON, the page's action as data). */
export type JournalFormAnswer =
  | { status: "saved"; entry: JournalEntry }
  | { status: "conflict"; theirs: JournalEntry; mine: JournalContent }
  | { status: "tags"; selectedTagIds: string[] }
  | { status: "tag-created"; tag: JournalTag }
  | { status: "invalid"; fieldErrors: FieldErrors; formError: string };
