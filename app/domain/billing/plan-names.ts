// The names plans go by in pages and emails.
import type { Tier } from "../entitlements.ts";

const NAMES: Record<Tier, string> = { free: "Free", pro: "Pro", elite: "Elite" };

export function planName(tier: Tier): string {
  return NAMES[tier];
}
