// Errors in Stripe's shape: `{ error: { type, code, message, param } }` with the
// status Stripe uses, so stripe-node raises the same error classes.
import type { ServerResponse } from "node:http";

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: "invalid_request_error" | "api_error" | "card_error",
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
  }
}

export function missingParam(param: string): StripeApiError {
  return new StripeApiError(400, "invalid_request_error", `Missing required param: ${param}.`, "parameter_missing", param);
}

export function invalidParam(param: string, message: string): StripeApiError {
  return new StripeApiError(400, "invalid_request_error", message, "parameter_invalid_empty", param);
}

/** 404 for the object the URL names; 400 when a param names a missing object, as Stripe answers. */
export function noSuch(kind: string, id: string, param = "id"): StripeApiError {
  return new StripeApiError(param === "id" ? 404 : 400, "invalid_request_error", `No such ${kind}: '${id}'`, "resource_missing", param);
}

export function sendError(res: ServerResponse, error: StripeApiError): void {
  const body = { error: { type: error.type, code: error.code, message: error.message, param: error.param } };
  res.writeHead(error.status, { "content-type": "application/json", "request-id": `req_local` });
  res.end(JSON.stringify(body, null, 2));
}
