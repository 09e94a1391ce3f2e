// A refused broker check as the connect and reconnect forms show it: the
// message over the form, the short note beside the field to fix, and what was
// typed (never the password) to refill the form when JavaScript is off.
import type { ConnectionRefusal } from "~/domain/sync/connection-check-messages.ts";
import type { FormResult } from "./form-result.ts";

export function refusalResult(refusal: ConnectionRefusal, values: Record<string, string>): FormResult {
  return {
    status: "error",
    formError: refusal.message,
    fieldErrors: refusal.field && refusal.fieldMessage ? { [refusal.field]: [refusal.fieldMessage] } : undefined,
    values,
  };
}
