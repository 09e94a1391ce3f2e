// HTTP plumbing of the local Auth service: JSON in/out and GoTrue's error shapes.
import type { IncomingMessage, ServerResponse } from "node:http";

const API_VERSION_HEADER = "x-supabase-api-version";
const API_VERSION_2024 = "2024-01-01";

/** An error GoTrue answers with `{code, message}` (API version 2024-01-01). */
export class AuthHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** OAuth2-style errors GoTrue still sends from /token: `{error, error_description}`. */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

export const badRequest = (code: string, message: string) => new AuthHttpError(400, code, message);
export const unauthorized = (code: string, message: string) => new AuthHttpError(401, code, message);
export const forbidden = (code: string, message: string) => new AuthHttpError(403, code, message);
export const notFound = (code: string, message: string) => new AuthHttpError(404, code, message);
export const unprocessable = (code: string, message: string) => new AuthHttpError(422, code, message);
export const tooManyRequests = (code: string, message: string) => new AuthHttpError(429, code, message);
export const internal = (message: string) => new AuthHttpError(500, "unexpected_failure", message);

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    "content-type": "application/json",
    "cache-control": "no-store",
    [API_VERSION_HEADER]: API_VERSION_2024,
    ...headers,
  });
  res.end(JSON.stringify(body));
}

export function sendNoContent(res: ServerResponse): void {
  res.writeHead(204, { [API_VERSION_HEADER]: API_VERSION_2024 });
  res.end();
}

export function sendRedirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { location, "cache-control": "no-store" });
  res.end();
}

/**
 * Writes an error as GoTrue does for API version 2024-01-01, the version every
 * client of ours sends (auth-js always does); the initial version's
 * `{code: <status>, error_code, msg}` shape is not served.
 */
export function sendError(res: ServerResponse, error: AuthHttpError | OAuthError): void {
  if (error instanceof OAuthError) return sendJson(res, 400, { error: error.error, error_description: error.description });
  sendJson(res, error.status, { code: error.code, message: error.message, ...error.extra }, { "x-sb-error-code": error.code });
}

const MAX_BODY_BYTES = 1024 * 1024;

/** Reads a JSON object body; an empty body is `{}` (as GoTrue treats it). */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw badRequest("request_too_large", "Request body too large");
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (!text) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw badRequest("bad_json", `Could not parse request body as JSON: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw badRequest("bad_json", "Could not parse request body as JSON: expected an object");
  }
  return parsed as Record<string, unknown>;
}

export function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === "object" && !Array.isArray(value);
}
