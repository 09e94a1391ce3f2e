// The one application error. Server code throws it with a plain-language
// message meant for the user; route-handler.server.ts turns it into a response
// in one place (a form error for actions, an error page for loaders).
export type AppErrorCode = "bad_request" | "unauthorized" | "forbidden" | "not_found" | "conflict" | "rate_limited" | "unavailable" | "internal";

const STATUS: Record<AppErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly status: number;
  /** Extra detail the form shows with the message (e.g. "email_not_confirmed" to offer a resend). */
  readonly hint?: string;
  /** Non-secret form values to refill the form with (it re-renders without JavaScript). */
  readonly values?: Record<string, string>;

  constructor(
    code: AppErrorCode,
    message: string,
    { cause, hint, values }: { cause?: unknown; hint?: string; values?: Record<string, string> } = {},
  ) {
    super(message, { cause });
    this.name = "AppError";
    this.code = code;
    this.status = STATUS[code];
    this.hint = hint;
    this.values = values;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
