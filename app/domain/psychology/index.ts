// Psychology signals: likely revenge trades and overtrading days, and how
// flagged trades fared against the rest (docs/psychology-signals.md).
export * from "./comparison.ts";
export * from "./overtrading.ts";
export * from "./revenge.ts";
export * from "./rules.ts";
export type * from "./types.ts";
