import { describe, expect, it } from "vitest";
import { HIGHLIGHT_START, HIGHLIGHT_STOP, highlightRuns } from "./search-highlight.ts";

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
