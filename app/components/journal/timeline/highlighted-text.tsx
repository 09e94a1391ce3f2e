// A search snippet with its matches marked (app/domain/text/search-highlight.ts):
// the matches become <mark> elements and everything else stays a text node,
// so no HTML from the database is ever injected.
import { highlightRuns, withoutFormattingMarks } from "~/domain/text/search-highlight.ts";

export function HighlightedText({ snippet }: { snippet: string }) {
  return highlightRuns(snippet).map((run, index) =>
    run.marked ? (
      <mark key={index} className="rounded-sm bg-amber-400/25 px-0.5 text-fg">
        {withoutFormattingMarks(run.text)}
      </mark>
    ) : (
      <span key={index}>{withoutFormattingMarks(run.text)}</span>
    ),
  );
}
