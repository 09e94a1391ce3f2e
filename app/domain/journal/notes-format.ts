// Journal notes' light formatting: paragraphs (a blank line between them,
// single line breaks kept), "- " lists and **bold**. Everything else is
// text. It reuses markdown-lite's block and inline shapes, which React
// renders as text nodes, so no HTML in a note can become markup; unlike
// markdown-lite it keeps line breaks and knows no links, headings or code
// (a note is not a document, and a "# " line is just text).
import type { Block, Inline } from "../text/markdown-lite.ts";

export type NotesBlock = Extract<Block, { kind: "paragraph" | "list" }>;

const LIST_ITEM = /^\s*[-*]\s+/;

/** "a **b** c" → text, strong, text; an unclosed ** stays text. */
export function parseNotesInline(text: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const match of text.matchAll(/\*\*(?=\S)([^*]*?\S)\*\*/g)) {
    if (match.index > last) out.push({ kind: "text", text: text.slice(last, match.index) });
    out.push({ kind: "strong", children: [{ kind: "text", text: match[1]! }] });
    last = match.index + match[0].length;
  }
  if (last < text.length) out.push({ kind: "text", text: text.slice(last) });
  return out;
}

export function parseNotes(source: string): NotesBlock[] {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const blocks: NotesBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    if (!lines[i]!.trim()) {
      i++;
      continue;
    }
    if (LIST_ITEM.test(lines[i]!)) {
      const items: Inline[][] = [];
      while (i < lines.length && LIST_ITEM.test(lines[i]!)) items.push(parseNotesInline(lines[i++]!.replace(LIST_ITEM, "").trimEnd()));
      blocks.push({ kind: "list", ordered: false, items });
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && lines[i]!.trim() && !LIST_ITEM.test(lines[i]!)) paragraph.push(lines[i++]!.trimEnd());
    // A line break inside a paragraph is a "\n" run; the renderer keeps it (white-space: pre-line).
    blocks.push({ kind: "paragraph", children: parseNotesInline(paragraph.join("\n")) });
  }
  return blocks;
}
