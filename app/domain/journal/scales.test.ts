import { describe, expect, it } from "vitest";
import { followedPlanLabel, isFollowedPlan, isMood, MOOD_SCALE, moodLabel, TAG_GROUPS } from "./scales.ts";

describe("journal scales", () => {
  it("names the five moods in order", () => {
    expect(MOOD_SCALE.map((step) => `${step.value} ${step.label}`)).toEqual(["1 frustrated", "2 anxious", "3 neutral", "4 calm", "5 focused"]);
    expect(moodLabel(4)).toBe("calm");
    expect(moodLabel(null)).toBeNull();
    expect(isMood(0)).toBe(false);
    expect(isMood(5)).toBe(true);
  });

  it("answers followed-my-plan with yes, partly or no", () => {
    expect(followedPlanLabel("partly")).toBe("Partly");
    expect(isFollowedPlan("maybe")).toBe(false);
  });

  it("keeps mistakes apart from the other tags", () => {
    expect(TAG_GROUPS.mistakes.categories).toEqual(["mistake"]);
    expect(TAG_GROUPS.tags.categories).not.toContain("mistake");
  });
});
