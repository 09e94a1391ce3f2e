// The billing forms' one schema: a plan and an interval — never a price id.
// The server looks the price up in its configuration (app/domain/billing/prices.ts).
import * as z from "zod/mini";

export const planChoiceSchema = z.object({
  tier: z.enum(["pro", "elite"], { error: "Choose Pro or Elite." }),
  interval: z.enum(["month", "year"], { error: "Choose monthly or yearly billing." }),
});

export type PlanChoiceInput = z.output<typeof planChoiceSchema>;
