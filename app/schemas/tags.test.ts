import { describe, expect, it } from "vitest";
import { createTagSchema, deleteTagSchema, mergeTagSchema, updateTagSchema } from "./tags.ts";

const A = "0b8f3c0e-4b8a-4c8e-9a51-2f5b1d7f9e10";
const B = "1c9a4d1f-5c9b-4d9f-8b62-3a6c2e8a0f21";

describe("tag forms", () => {
  it("trims the name, lower-cases the colour and knows the four groups", () => {
    expect(createTagSchema.parse({ name: "  FOMO entry ", color: "#EF4444", category: "mistake" })).toEqual({
      name: "FOMO entry",
      color: "#ef4444",
      category: "mistake",
    });
    expect(createTagSchema.safeParse({ name: " ", color: "#ef4444", category: "setup" }).success).toBe(false);
    expect(createTagSchema.safeParse({ name: "x".repeat(41), color: "#ef4444", category: "setup" }).success).toBe(false);
    expect(createTagSchema.safeParse({ name: "Calm", color: "red", category: "emotion" }).success).toBe(false);
    expect(createTagSchema.safeParse({ name: "Calm", color: "#ef4444", category: "feeling" }).success).toBe(false);
    expect(updateTagSchema.safeParse({ tagId: "not-an-id", name: "Calm", color: "#ef4444", category: "emotion" }).success).toBe(false);
  });

  it("merges only into another tag", () => {
    expect(mergeTagSchema.parse({ tagId: A, intoTagId: B })).toEqual({ tagId: A, intoTagId: B });
    const same = mergeTagSchema.safeParse({ tagId: A, intoTagId: A });
    expect(same.success).toBe(false);
    expect(same.error!.issues[0]!.path).toEqual(["intoTagId"]);
    expect(mergeTagSchema.safeParse({ tagId: A, intoTagId: "" }).success).toBe(false);
    expect(deleteTagSchema.safeParse({ tagId: A }).success).toBe(true);
  });
});
