import { describe, expect, it } from "vitest";
import { HIGHLIGHT_START, HIGHLIGHT_STOP, highlightRuns, withoutFormattingMarks } from "./search-highlight.ts";

const S = HIGHLIGHT_START;
const E = HIGHLIGHT_STOP;

describe("highlightRuns", () => {
  it("splits a snippet into plain and marked runs", () => {
    expect(highlightRuns(`Stop ${S}scaling${E} into losers, ${S}scaled${E} once`)).toEqual([
      { text: "Stop ", marked: false },
      { text: "scaling", marked: true },
      { text: " into losers, ", marked: false },
      { text: "scaled", marked: true },
      { text: " once", marked: false },
    ]);
  });

  it("keeps HTML as text and survives unbalanced markers", () => {
    expect(highlightRuns(`<script>alert(1)</script> ${S}entry`)).toEqual([
      { text: "<script>alert(1)</script> ", marked: false },
      { text: "entry", marked: true },
    ]);
    expect(highlightRuns(`a${E}b`)).toEqual([
      { text: "a", marked: false },
      { text: "b", marked: false },
    ]);
    expect(highlightRuns("")).toEqual([]);
  });
});

describe("withoutFormattingMarks", () => {
  it("drops bold marks (paired or cut in two by the excerpt) and shows list items as bullets", () => {
    expect(withoutFormattingMarks("Waited for the **M15 close** outside.\n\n- Entry on the retest\n  - nested")).toBe(
      "Waited for the M15 close outside.\n\n• Entry on the retest\n  • nested",
    );
    expect(withoutFormattingMarks("close** outside")).toBe("close outside");
    expect(withoutFormattingMarks("a - b, 2 * 3")).toBe("a - b, 2 * 3");
  });
});
