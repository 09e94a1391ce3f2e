// One schema per playbook form: create and edit a playbook, add, move and
// remove a rule, delete a playbook (on /playbooks and /playbooks/$id), and
// the trade page's panel (link a playbook, tick its checklist).
import * as z from "zod/mini";

/** The database's limits (20261206120000_journal.sql). */
export const PLAYBOOK_NAME_MAX = 80;
export const PLAYBOOK_DESCRIPTION_MAX = 5000;
export const RULE_TEXT_MAX = 300;
export const RULES_MAX = 50;

const id = (message: string) => z.string({ error: message }).check(z.trim(), z.toLowerCase(), z.guid(message));

const name = z
  .string({ error: "Name the playbook." })
  .check(z.trim(), z.minLength(1, "Name the playbook."), z.maxLength(PLAYBOOK_NAME_MAX, `Keep the name to ${PLAYBOOK_NAME_MAX} characters.`));

// Empty means none.
const description = z.pipe(
  z.optional(
    z
      .string()
      .check(z.maxLength(PLAYBOOK_DESCRIPTION_MAX, `Keep the description to ${PLAYBOOK_DESCRIPTION_MAX.toLocaleString("en-US")} characters.`)),
  ),
  z.transform((value: string | undefined) => value?.trim() || null),
);

export const createPlaybookSchema = z.object({ name, description });

export const updatePlaybookSchema = z.object({ name, description });

export const addRuleSchema = z.object({
  text: z
    .string({ error: "Write the rule." })
    .check(z.trim(), z.minLength(1, "Write the rule."), z.maxLength(RULE_TEXT_MAX, `Keep a rule to ${RULE_TEXT_MAX} characters.`)),
});

export const moveRuleSchema = z.object({ ruleId: id("Choose a rule."), direction: z.enum(["up", "down"], { error: "Move the rule up or down." }) });

export const removeRuleSchema = z.object({ ruleId: id("Choose a rule.") });

export const deletePlaybookSchema = z.object({
  confirm: z.literal("yes", { error: "Tick the box to confirm." }),
});

/** The trade page's panel: which playbook the trade follows ("" = none). */
export const linkPlaybookSchema = z.object({
  playbookId: z
    .pipe(
      z.optional(z.string()),
      z.transform((value: string | undefined) => value?.trim().toLowerCase() || null),
    )
    .check(z.refine((value: string | null) => value === null || z.guid().safeParse(value).success, "Choose a playbook from the list.")),
});

/** The ticked rules of the trade's playbook (checkboxes named ruleId, one value each). */
export const ruleChecksSchema = z.object({
  playbookId: id("Link a playbook first."),
  ruleIds: z.array(id("Tick rules from the list.")).check(z.maxLength(RULES_MAX)),
});

/** The checklist form as the schema reads it: every ticked box's value. */
export function ruleChecksValues(formData: FormData): { playbookId: unknown; ruleIds: unknown[] } {
  return { playbookId: formData.get("playbookId") ?? undefined, ruleIds: formData.getAll("ruleId") };
}
