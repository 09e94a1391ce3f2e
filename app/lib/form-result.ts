// What every form action answers with, so forms render errors one way.
export type FieldErrors = Partial<Record<string, string[]>>;

export interface FormResult {
  status: "error" | "success";
  /** Per-field messages, shown beside each input. */
  fieldErrors?: FieldErrors;
  /** A message about the whole form. */
  formError?: string;
  /** Machine-readable extra for the form, e.g. "email_not_confirmed" to offer a resend. */
  hint?: string;
  /** Non-secret values sent, to refill the form when JavaScript is off; `intent` says which of a page's forms answered. */
  values?: Record<string, string>;
  /** Confirmation shown on success. */
  message?: string;
}
