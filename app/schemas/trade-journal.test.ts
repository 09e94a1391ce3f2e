import { describe, expect, it } from "vitest";
import { createTagSchema, tradeJournalSchema, tradeTagsSchema } from "./trade-journal.ts";

describe("tradeJournalSchema", () => {
  it("reads a posted form: CRLF notes, scale steps, the plan answer and the version", () => {
    const parsed = tradeJournalSchema.parse({ notes: "a\r\nb  ", lessons: "", mood: "4", setupQuality: "", followedPlan: "partly", version: "3" });
    expect(parsed).toEqual({ notes: "a\nb", lessons: "", mood: 4, setupQuality: null, followedPlan: "partly", version: 3 });
  });

  it("treats missing fields as not answered", () => {
    expect(tradeJournalSchema.parse({ version: "0" })).toEqual({
      notes: "",
      lessons: "",
      mood: null,
      setupQuality: null,
      followedPlan: null,
      version: 0,
    });
  });

  it("refuses steps off the scale, odd plan answers and text over 20,000 characters", () => {
    const result = tradeJournalSchema.safeParse({ mood: "6", setupQuality: "2.5", followedPlan: "maybe", notes: "x".repeat(20_001), version: "1" });
    expect(result.success).toBe(false);
    const fields = result.error!.issues.map((issue) => issue.path[0]);
    expect(fields.sort()).toEqual(["followedPlan", "mood", "notes", "setupQuality"]);
  });

  it("needs the version", () => {
    expect(tradeJournalSchema.safeParse({ notes: "x" }).success).toBe(false);
  });
});

describe("tag schemas", () => {
  it("take a picker's whole selection of tag ids", () => {
    const id = "0b8f3c0e-4b8a-4c8e-9a51-2f5b1d7f9e10";
    expect(tradeTagsSchema.parse({ group: "mistakes", tagIds: [id] })).toEqual({ group: "mistakes", tagIds: [id] });
    expect(tradeTagsSchema.safeParse({ group: "mistakes", tagIds: ["1; drop table"] }).success).toBe(false);
    expect(tradeTagsSchema.safeParse({ group: "everything", tagIds: [] }).success).toBe(false);
  });

  it("normalise a new tag's name", () => {
    expect(createTagSchema.parse({ group: "tags", name: "  Late   entry " })).toEqual({ group: "tags", name: "Late entry" });
    expect(createTagSchema.safeParse({ group: "tags", name: "   " }).success).toBe(false);
  });
});
