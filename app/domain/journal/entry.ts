// What a trader writes on a trade, and the rules both sides of the wire apply
// to it before it is compared or stored: line endings, the length limit, tag
// names. Pure, so the browser's draft and the server's save agree exactly.
import type { FollowedPlan, Mood, SetupQuality } from "./scales.ts";

/** The database's check on notes and lessons (char_length ≤ 20000). */
export const JOURNAL_TEXT_LIMIT = 20_000;
/** The database's check on tag names (1–40 characters after trimming). */
export const TAG_NAME_LIMIT = 40;

/** The fields a save writes; tags and mistakes are saved on their own. */
export interface JournalContent {
  notes: string;
  lessons: string;
  mood: Mood | null;
  setupQuality: SetupQuality | null;
  followedPlan: FollowedPlan | null;
}

/** A stored entry: its content and the version a save must name to replace it. */
export interface JournalEntry extends JournalContent {
  /** 0 while no entry exists (the first save inserts it). */
  version: number;
  updatedAt: string | null;
}

export const EMPTY_CONTENT: JournalContent = { notes: "", lessons: "", mood: null, setupQuality: null, followedPlan: null };

/**
 * CRLF and CR become LF (a textarea posts CRLF, the DOM value holds LF, so
 * the same text would otherwise compare unequal and count longer), and
 * trailing whitespace goes; leading indentation is the writer's.
 */
export function normaliseJournalText(text: string): string {
  return text.replace(/\r\n?/g, "\n").trimEnd();
}

export function normaliseContent(content: JournalContent): JournalContent {
  return { ...content, notes: normaliseJournalText(content.notes), lessons: normaliseJournalText(content.lessons) };
}

export function sameContent(a: JournalContent, b: JournalContent): boolean {
  const x = normaliseContent(a);
  const y = normaliseContent(b);
  return (
    x.notes === y.notes && x.lessons === y.lessons && x.mood === y.mood && x.setupQuality === y.setupQuality && x.followedPlan === y.followedPlan
  );
}

export function isEmptyContent(content: JournalContent): boolean {
  return sameContent(content, EMPTY_CONTENT);
}

/** "  Late   entry " → "Late entry"; the database compares names case-blind. */
export function normaliseTagName(name: string): string {
  return name.trim().replace(/\s+/g, " ");
}

export function tagNameKey(name: string): string {
  return normaliseTagName(name).toLowerCase();
}

/** Why a tag name cannot be created, or null when it can. */
export function tagNameProblem(name: string): string | null {
  const clean = normaliseTagName(name);
  if (!clean) return "Type a name for the tag.";
  if (clean.length > TAG_NAME_LIMIT) return `Keep tag names to ${TAG_NAME_LIMIT} characters.`;
  return null;
}
