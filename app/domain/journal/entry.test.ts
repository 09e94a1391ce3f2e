import { describe, expect, it } from "vitest";
import { EMPTY_CONTENT, isEmptyContent, normaliseJournalText, normaliseTagName, sameContent, tagNameKey, tagNameProblem } from "./entry.ts";

describe("journal text", () => {
  it("turns CRLF and CR into LF and drops trailing whitespace only", () => {
    expect(normaliseJournalText("  a\r\nb\rc  \n\n")).toBe("  a\nb\nc");
  });

  it("compares content after normalising, so a textarea's CRLF is the same text", () => {
    expect(sameContent({ ...EMPTY_CONTENT, notes: "a\r\nb " }, { ...EMPTY_CONTENT, notes: "a\nb" })).toBe(true);
    expect(sameContent({ ...EMPTY_CONTENT, mood: 3 }, EMPTY_CONTENT)).toBe(false);
    expect(sameContent({ ...EMPTY_CONTENT, followedPlan: "partly" }, { ...EMPTY_CONTENT, followedPlan: "no" })).toBe(false);
    expect(isEmptyContent({ ...EMPTY_CONTENT, lessons: " \n" })).toBe(true);
  });
});

describe("tag names", () => {
  it("collapse spaces and compare case-blind", () => {
    expect(normaliseTagName("  Late   entry ")).toBe("Late entry");
    expect(tagNameKey("Late ENTRY")).toBe(tagNameKey(" late entry"));
  });

  it("say why a name cannot be created", () => {
    expect(tagNameProblem("   ")).toBe("Type a name for the tag.");
    expect(tagNameProblem("x".repeat(41))).toBe("Keep tag names to 40 characters.");
    expect(tagNameProblem("FOMO")).toBeNull();
  });
});
