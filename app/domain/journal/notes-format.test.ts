import { describe, expect, it } from "vitest";
import { parseNotes, parseNotesInline } from "./notes-format.ts";

describe("parseNotesInline", () => {
  it("reads **bold** and leaves everything else as text", () => {
    expect(parseNotesInline("held **too long** at `1R` [x](javascript:alert(1))")).toEqual([
      { kind: "text", text: "held " },
      { kind: "strong", children: [{ kind: "text", text: "too long" }] },
      { kind: "text", text: " at `1R` [x](javascript:alert(1))" },
    ]);
  });

  it("keeps an unclosed or empty marker as text", () => {
    expect(parseNotesInline("2 ** 3 and **** and **open")).toEqual([{ kind: "text", text: "2 ** 3 and **** and **open" }]);
  });
});

describe("parseNotes", () => {
  it("splits paragraphs on blank lines, keeps line breaks, and reads - lists", () => {
    expect(parseNotes("Entry on the retest.\nStop under the wick.\r\n\r\n- waited for **close**\n- sized 0.5\n\nDone.")).toEqual([
      { kind: "paragraph", children: [{ kind: "text", text: "Entry on the retest.\nStop under the wick." }] },
      {
        kind: "list",
        ordered: false,
        items: [
          [
            { kind: "text", text: "waited for " },
            { kind: "strong", children: [{ kind: "text", text: "close" }] },
          ],
          [{ kind: "text", text: "sized 0.5" }],
        ],
      },
      { kind: "paragraph", children: [{ kind: "text", text: "Done." }] },
    ]);
  });

  it("treats HTML, script and headings as plain text", () => {
    const source = '<script>alert("x")</script>\n# not a heading\n<img src=x onerror=alert(1)>';
    expect(parseNotes(source)).toEqual([{ kind: "paragraph", children: [{ kind: "text", text: source }] }]);
  });

  it("reads 10,000 characters in one pass without losing any", () => {
    const source = "<b>x</b> ".repeat(1_111) + "z";
    const [block] = parseNotes(source);
    expect(block).toEqual({ kind: "paragraph", children: [{ kind: "text", text: source.trimEnd() }] });
  });

  it("returns nothing for blank notes", () => {
    expect(parseNotes("  \n\n ")).toEqual([]);
  });
});
