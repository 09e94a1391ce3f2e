// Highlighted search snippets without HTML: the journal search asks
// ts_headline to wrap each match in two private-use characters no one types,
// and the page splits the snippet on them into plain and marked runs, which
// it renders as text nodes and <mark> elements.

export const HIGHLIGHT_START = "\uE000";
export const HIGHLIGHT_STOP = "\uE001";

export interface HighlightRun {
  text: string;
  marked: boolean;
}

/** The snippet as runs; a stray marker (in the writer's own text) only ends a run. */
export function highlightRuns(snippet: string): HighlightRun[] {
  const runs: HighlightRun[] = [];
  let marked = false;
  let text = "";
  for (const char of snippet) {
    if (char === HIGHLIGHT_START || char === HIGHLIGHT_STOP) {
      if (text) runs.push({ text, marked });
      text = "";
      marked = char === HIGHLIGHT_START;
    } else text += char;
  }
  if (text) runs.push({ text, marked });
  return runs;
}

/**
 * A run's text as the timeline shows it: the notes' light formatting marks
 * (**bold**, "- " list items) are read as formatting, not shown as symbols —
 * an excerpt may cut a bold span in two, so the marks are dropped, not paired.
 */
export function withoutFormattingMarks(text: string): string {
  return text.replaceAll("**", "").replace(/^([ \t]*)- /gm, "$1• ");
}
