// Validating a form with its zod schema, the same way in the browser (before
// submitting) and in the action (always: the browser check is a courtesy).
import type * as z from "zod/mini";
import type { FieldErrors, FormResult } from "./form-result.ts";

/** Any zod error (classic or mini): only the issues are read. */
export interface IssueList {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}

export function fieldErrorsOf(error: IssueList): FieldErrors {
  const errors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const field = issue.path.length ? String(issue.path[0]) : "_form";
    (errors[field] ??= []).push(issue.message);
  }
  return errors;
}

/** Form values worth sending back to refill a form; secrets never are. */
export function refillValues(values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === "string" && !/password|confirmation|website/i.test(name)) out[name] = value;
  }
  return out;
}

export function formDataObject(formData: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of formData) if (typeof value === "string") out[name] = value;
  return out;
}

export type Parsed<T> = { success: true; data: T } | { success: false; result: FormResult };

export function parseForm<S extends z.ZodMiniType>(formData: FormData, schema: S): Parsed<z.output<S>> {
  const values = formDataObject(formData);
  const parsed = schema.safeParse(values);
  if (parsed.success) return { success: true, data: parsed.data };
  return {
    success: false,
    result: { status: "error", fieldErrors: fieldErrorsOf(parsed.error), values: refillValues(values) },
  };
}
