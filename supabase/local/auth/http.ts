// HTTP plumbing of the local Auth service: JSON in/out and GoTrue's error shapes.
import type { IncomingMessage, ServerResponse } from "node:http";

export const API_VERSION_HEADER = "x-supabase-api-version";
export const API_VERSION_2024 = "2024-01-01";

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

function usesApi2024(req: IncomingMessage): boolean {
  const raw = req.headers[API_VERSION_HEADER];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  return value >= API_VERSION_2024;
}

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

/** Writes an error the way GoTrue does for the request's API version. */
export function sendError(req: IncomingMessage, res: ServerResponse, error: AuthHttpError | OAuthError): void {
  if (error instanceof OAuthError) {
    sendJson(res, 400, { error: error.error, error_description: error.description });
    return;
  }
  const headers = { "x-sb-error-code": error.code };
  if (usesApi2024(req)) {
    sendJson(res, error.status, { code: error.code, message: error.message, ...error.extra }, headers);
  } else {
    // The initial API version: {code: <HTTP status>, error_code, msg}.
    res.writeHead(error.status, {
      "content-type": "application/json",
      "cache-control": "no-store",
      ...headers,
    });
    res.end(JSON.stringify({ code: error.status, error_code: error.code, msg: error.message, ...error.extra }));
  }
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
