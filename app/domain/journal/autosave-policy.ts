// When an autosaving editor saves, retries and what it tells the writer.
// Pure: the hook in app/components/journal/use-autosave.ts drives the timers.

/** Saves wait this long after the last keystroke. */
export const AUTOSAVE_DELAY_MS = 2_000;

const FIRST_RETRY_MS = 1_000;
const LONGEST_RETRY_MS = 30_000;

/** 1 s, 2 s, 4 s … capped at 30 s: the n-th retry (0-based) after a failed save. */
export function retryDelayMs(attempt: number): number {
  return Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempt));
}

export type SaveState =
  | { kind: "idle" }
  | { kind: "dirty" }
  | { kind: "saving" }
  | { kind: "saved"; at: string }
  | { kind: "offline" }
  | { kind: "failed"; message: string }
  | { kind: "conflict" };

/** The status line: "Saving…", "Saved 14:02", "Offline — will retry", "Not saved". */
export function saveStatusText(state: SaveState, timeZone?: string): string {
  switch (state.kind) {
    case "idle":
      return "";
    case "dirty":
      return "Unsaved changes";
    case "saving":
      return "Saving…";
    case "saved":
      return `Saved ${clockTime(state.at, timeZone)}`;
    case "offline":
      return "Offline — will retry";
    case "failed":
      return "Not saved";
    case "conflict":
      return "Not saved — changed elsewhere";
  }
}

function clockTime(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }).format(new Date(iso));
}

/**
 * localStorage key of an unsaved draft: the entry and the version it was
 * typed against, so a draft of an old version is never restored over a
 * newer entry without the conflict view.
 */
export function draftKey(scope: string, version: number): string {
  return `rawjournal:draft:${scope}:v${version}`;
}

export function draftKeyPrefix(scope: string): string {
  return `rawjournal:draft:${scope}:`;
}

/** The version a draft key names, or null for another scope's key. */
export function draftKeyVersion(key: string, scope: string): number | null {
  const prefix = draftKeyPrefix(scope);
  if (!key.startsWith(prefix)) return null;
  const match = /^v(\d+)$/.exec(key.slice(prefix.length));
  return match ? Number(match[1]) : null;
}
