// The fixed scales a journal entry is scored on. One list each, so the form,
// the timeline's filters and the analytics breakdowns all say the same words.

export const MOOD_SCALE = [
  { value: 1, label: "frustrated" },
  { value: 2, label: "anxious" },
  { value: 3, label: "neutral" },
  { value: 4, label: "calm" },
  { value: 5, label: "focused" },
] as const;

export type Mood = (typeof MOOD_SCALE)[number]["value"];

export const SETUP_QUALITY_SCALE = [
  { value: 1, label: "poor" },
  { value: 2, label: "weak" },
  { value: 3, label: "fair" },
  { value: 4, label: "good" },
  { value: 5, label: "textbook" },
] as const;

export type SetupQuality = (typeof SETUP_QUALITY_SCALE)[number]["value"];

export const FOLLOWED_PLAN_OPTIONS = [
  { value: "yes", label: "Yes" },
  { value: "partly", label: "Partly" },
  { value: "no", label: "No" },
] as const;

export type FollowedPlan = (typeof FOLLOWED_PLAN_OPTIONS)[number]["value"];

/** "calm" for 4; null for no mood. */
export function moodLabel(mood: number | null): string | null {
  return MOOD_SCALE.find((step) => step.value === mood)?.label ?? null;
}

export function setupQualityLabel(quality: number | null): string | null {
  return SETUP_QUALITY_SCALE.find((step) => step.value === quality)?.label ?? null;
}

export function followedPlanLabel(answer: string | null): string | null {
  return FOLLOWED_PLAN_OPTIONS.find((option) => option.value === answer)?.label ?? null;
}

export function isMood(value: number): value is Mood {
  return MOOD_SCALE.some((step) => step.value === value);
}

export function isFollowedPlan(value: string): value is FollowedPlan {
  return FOLLOWED_PLAN_OPTIONS.some((option) => option.value === value);
}

/** Tag categories as the database names them; "mistakes" are the user's tags of category mistake. */
export const TAG_CATEGORIES = ["general", "setup", "emotion", "mistake"] as const;
export type TagCategory = (typeof TAG_CATEGORIES)[number];

/** The journal's two tag pickers: the trade's tags, and its mistakes. */
export const TAG_GROUPS = {
  tags: { categories: ["general", "setup", "emotion"], createAs: "general" },
  mistakes: { categories: ["mistake"], createAs: "mistake" },
} as const satisfies Record<string, { categories: readonly TagCategory[]; createAs: TagCategory }>;

export type TagGroup = keyof typeof TAG_GROUPS;
