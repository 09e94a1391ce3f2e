// Errors as Supabase Storage (storage-api) renders them: the body carries the
// "real" status as a string (`statusCode`) plus `code` / `error` / `message`,
// while the HTTP status is 400 for everything but internal errors
// [storage src/internal/errors/codes.ts, src/http/error-handler.ts].

/** Any error answer, with the exact HTTP status and JSON body to send. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(typeof body.message === "string" ? body.message : `HTTP ${status}`);
  }
}

export class StorageError extends HttpError {
  constructor(
    readonly statusCode: string,
    readonly code: string,
    message: string,
    error: string = code,
  ) {
    super(statusCode === "500" ? 500 : 400, { statusCode, code, error, message });
  }
}

export const ERRORS = {
  noSuchBucket: () => new StorageError("404", "NoSuchBucket", "Bucket not found", "Bucket not found"),
  noSuchKey: () => new StorageError("404", "NoSuchKey", "Object not found", "not_found"),
  accessDenied: (message = "Access denied") => new StorageError("403", "AccessDenied", message, "Unauthorized"),
  invalidJwt: (message = "Invalid JWT") => new StorageError("400", "InvalidJWT", message),
  invalidSignature: () => new StorageError("400", "InvalidSignature", "Invalid signature"),
  expiredSignature: () => new StorageError("400", "ExpiredToken", "The provided token has expired."),
  keyAlreadyExists: () => new StorageError("409", "KeyAlreadyExists", "The resource already exists", "Duplicate"),
  resourceAlreadyExists: () => new StorageError("409", "ResourceAlreadyExists", "The resource already exists", "Duplicate"),
  entityTooLarge: () => new StorageError("413", "EntityTooLarge", "The object exceeded the maximum allowed size", "Payload too large"),
  invalidMimeType: (mimeType: string) => new StorageError("415", "InvalidMimeType", `mime type ${mimeType} is not supported`, "invalid_mime_type"),
  invalidKey: (key: string) => new StorageError("400", "InvalidKey", `Invalid key: ${key}`),
  invalidBucketName: () => new StorageError("400", "InvalidBucketName", "Bucket name invalid", "Invalid Input"),
  noContentProvided: (message = "No content provided") => new StorageError("400", "InvalidRequest", message),
  invalidParameter: (message: string) => new StorageError("400", "InvalidParameter", message),
  relatedResourceNotFound: () => new StorageError("404", "InvalidRequest", "The related resource does not exist"),
  internal: () => new StorageError("500", "InternalError", "Internal server error"),
  /** Fastify's schema-validation answer (real HTTP 400). */
  validation: (message: string) => new HttpError(400, { statusCode: "400", code: "InvalidRequest", error: "Bad Request", message }),
  /** Fastify's unknown-route answer. */
  routeNotFound: (method: string, path: string) =>
    new HttpError(404, { statusCode: "404", error: "Not Found", message: `Route ${method}:${path} not found` }),
};

/** Maps a PostgreSQL error the way storage-api's DBError.fromDBError does; null when unknown. */
export function fromDbError(error: unknown): StorageError | null {
  const pgError = error as { code?: unknown; message?: unknown };
  if (!pgError || typeof pgError.code !== "string") return null;
  const message = typeof pgError.message === "string" ? pgError.message : "";
  switch (pgError.code) {
    case "42501":
      return ERRORS.accessDenied(message.includes("row-level security") ? "new row violates row-level security policy" : message);
    case "23505":
      return ERRORS.resourceAlreadyExists();
    case "23503":
      return ERRORS.relatedResourceNotFound();
    default:
      return null;
  }
}
