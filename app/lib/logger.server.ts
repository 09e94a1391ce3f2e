// One JSON-lines logger (pino) for the web and jobs processes: one object per
// line on stdout, level as text, time as ISO-8601 UTC, so any log collector
// reads it without a parser of ours. LOG_LEVEL chooses how much (info by
// default). Secrets never reach a line: the redaction paths below censor them
// wherever a caller passes an object holding one, and errors are reduced to
// type, message, code and stack (a pg error's detail can quote row values).
import { pino, type DestinationStream, type Level, type LevelWithSilent, type Logger } from "pino";

export type { Logger };

export const LOG_LEVELS: readonly LevelWithSilent[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

const SECRET_KEYS = [
  "password",
  "newPassword",
  "currentPassword",
  "investorPassword",
  "investor_password",
  "email",
  "cookie",
  "authorization",
  "token",
  "accessToken",
  "access_token",
  "refreshToken",
  "refresh_token",
  "secret",
  "apiKey",
  "serviceRoleKey",
  "dsn",
];

/**
 * Where those keys are censored: at the top of a logged object and inside the
 * objects a caller is likely to pass (headers, a request, a form, a body, a
 * user). Explicit paths only: pino's wildcard paths (`*.password`) walk every
 * key of every line and cost ~150 µs a line here, ten times the line itself.
 */
const SECRET_HOLDERS = ["", "headers.", "req.headers.", "request.headers.", "req.body.", "body.", "form.", "values.", "user.", "input."];

export const REDACTED_PATHS: readonly string[] = [
  ...SECRET_HOLDERS.flatMap((holder) => SECRET_KEYS.map((key) => `${holder}${key}`)),
  'headers["set-cookie"]',
  'req.headers["set-cookie"]',
  'headers["x-sentry-auth"]',
];

export const REDACTED = "[redacted]";

/** The LOG_LEVEL setting: one of LOG_LEVELS, info when unset; anything else is refused by name. */
export function logLevelFrom(value: string | undefined): LevelWithSilent {
  const level = (value ?? "").trim().toLowerCase();
  if (!level) return "info";
  if ((LOG_LEVELS as readonly string[]).includes(level)) return level as LevelWithSilent;
  throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}; got "${value}"`);
}

/** What an error becomes in a line: never its other own properties (a pg error's detail quotes values). */
export function serializeError(error: unknown): { type: string; message: string; code?: string; stack?: string } {
  if (!(error instanceof Error)) return { type: typeof error, message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { type: error.name, message: error.message, ...(typeof code === "string" ? { code } : {}), ...(error.stack ? { stack: error.stack } : {}) };
}

export interface LoggerOptions {
  level?: LevelWithSilent;
  /** "web" or "jobs": which process wrote the line. */
  service?: string;
  /** Where lines go; stdout (synchronous writes, nothing lost on exit) when absent. */
  destination?: DestinationStream;
  /** Epoch milliseconds; tests pass a fixed clock. */
  now?: () => number;
}

export function createLogger({ level = "info", service, destination, now = Date.now }: LoggerOptions = {}): Logger {
  return pino(
    {
      level,
      base: service ? { service } : null,
      timestamp: () => `,"time":"${new Date(now()).toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: serializeError },
      redact: { paths: [...REDACTED_PATHS], censor: REDACTED },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** A destination handing each line (without its newline) to `write`: jobs code that takes a line logger. */
export function lineDestination(write: (line: string) => void): DestinationStream {
  return { write: (chunk: string) => write(chunk.endsWith("\n") ? chunk.slice(0, -1) : chunk) };
}

declare global {
  var __rawjournalLogger: Logger | undefined;
}

/**
 * The process's logger, made by whoever asks first: the server entry
 * (scripts/serve.ts) and the app bundle share one, through globalThis, so
 * their lines never interleave mid-line.
 */
export function processLogger(service: "web" | "jobs" = "web"): Logger {
  return (globalThis.__rawjournalLogger ??= createLogger({ level: logLevelFrom(process.env.LOG_LEVEL), service }));
}

export type { Level };
