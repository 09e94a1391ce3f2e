import { describe, expect, it } from "vitest";
import {
  addRuleSchema,
  createPlaybookSchema,
  deletePlaybookSchema,
  linkPlaybookSchema,
  moveRuleSchema,
  ruleChecksSchema,
  ruleChecksValues,
} from "./playbooks.ts";

const A = "0b8f3c0e-4b8a-4c8e-9a51-2f5b1d7f9e10";
const B = "1c9a4d1f-5c9b-4d9f-8b62-3a6c2e8a0f21";

describe("playbook forms", () => {
  it("trims the name and keeps an empty description as none", () => {
    expect(createPlaybookSchema.parse({ name: " London breakout ", description: "  " })).toEqual({ name: "London breakout", description: null });
    expect(createPlaybookSchema.parse({ name: "Pullback" })).toEqual({ name: "Pullback", description: null });
    expect(createPlaybookSchema.safeParse({ name: "x".repeat(81) }).success).toBe(false);
    expect(addRuleSchema.safeParse({ text: "" }).success).toBe(false);
    expect(addRuleSchema.safeParse({ text: "x".repeat(301) }).success).toBe(false);
    expect(moveRuleSchema.safeParse({ ruleId: A, direction: "sideways" }).success).toBe(false);
    expect(deletePlaybookSchema.safeParse({}).success).toBe(false);
    expect(deletePlaybookSchema.safeParse({ confirm: "yes" }).success).toBe(true);
  });

  it("links a playbook or none", () => {
    expect(linkPlaybookSchema.parse({ playbookId: "" })).toEqual({ playbookId: null });
    expect(linkPlaybookSchema.parse({ playbookId: A.toUpperCase() })).toEqual({ playbookId: A });
    expect(linkPlaybookSchema.safeParse({ playbookId: "x" }).success).toBe(false);
  });

  it("reads every ticked box of the checklist", () => {
    const form = new FormData();
    form.set("playbookId", A);
    form.append("ruleId", A);
    form.append("ruleId", B);
    expect(ruleChecksSchema.parse(ruleChecksValues(form))).toEqual({ playbookId: A, ruleIds: [A, B] });
    const none = new FormData();
    none.set("playbookId", A);
    expect(ruleChecksSchema.parse(ruleChecksValues(none))).toEqual({ playbookId: A, ruleIds: [] });
    none.append("ruleId", "nope");
    expect(ruleChecksSchema.safeParse(ruleChecksValues(none)).success).toBe(false);
  });
});
