// A note as the writer formatted it: paragraphs (line breaks kept), "- "
// lists and **bold**. Every character of the source is a React text node,
// so HTML or a <script> in a note shows as typed and never runs.
import type { ReactNode } from "react";
import { parseNotes } from "~/domain/journal/notes-format.ts";
import type { Inline } from "~/domain/text/markdown-lite.ts";

function runs(inline: Inline[]): ReactNode[] {
  return inline.map((run, index) =>
    run.kind === "strong" ? (
      <strong key={index} className="font-semibold text-fg">
        {runs(run.children)}
      </strong>
    ) : run.kind === "text" ? (
      run.text
    ) : null,
  );
}

export function JournalNotes({ text, empty = "Nothing written yet.", className = "" }: { text: string; empty?: string; className?: string }) {
  const blocks = parseNotes(text);
  if (!blocks.length) return <p className={`text-sm text-fg-subtle ${className}`}>{empty}</p>;
  return (
    <div className={`space-y-2 whitespace-pre-line break-words text-sm leading-relaxed text-fg-muted ${className}`} data-journal-notes="">
      {blocks.map((block, index) =>
        block.kind === "list" ? (
          <ul key={index} className="list-disc space-y-0.5 pl-5">
            {block.items.map((item, i) => (
              <li key={i}>{runs(item)}</li>
            ))}
          </ul>
        ) : (
          <p key={index}>{runs(block.children)}</p>
        ),
      )}
    </div>
  );
}
