// One shape for every pg-boss queue (docs/decisions/012): its name, a zod
// payload schema checked when a job is sent AND when it is fetched, the
// queue's retry/expiry/retention policy, and the code that runs a job,
// imported only when a job runs — so the app and tests can import a
// definition (to send a job, to test its payload) without loading the
// handler's dependencies (terminals, the bridge, the sync store).
//
// Payload schemas are plain schemas or codecs (a Date carried as ISO text):
// a job is encoded to its JSON form on send and decoded on fetch, so a
// one-way `.transform()` has no place in them.
import type { PgBoss, Queue, SendOptions } from "pg-boss";
import { z } from "zod";

export interface JobDefinition<Payload extends z.ZodType, Handler> {
  /** The pg-boss queue name. */
  queue: string;
  payload: Payload;
  /** createQueue options: policy, retries, expiry, retention. */
  policy: Omit<Queue, "name">;
  /** Send options that follow from the payload (priority, singleton key); a send's own options win. */
  sendOptions?: (payload: z.output<Payload>) => SendOptions;
  /** Imports the code that runs a job; call it only where jobs run. */
  handler: () => Promise<Handler>;
}

/** A definition, typed: the payload type is the schema's output. */
export function defineJob<Payload extends z.ZodType, Handler>(definition: JobDefinition<Payload, Handler>): JobDefinition<Payload, Handler> {
  return definition;
}

/** Any definition, whatever its handler: the helpers below never run one. */
type QueueDefinition<Payload extends z.ZodType> = JobDefinition<Payload, unknown>;

/** What a job of this definition carries, as the code sees it. */
export type JobPayload<D extends QueueDefinition<z.ZodType>> = z.output<D["payload"]>;

/** A payload the queue's schema refuses; `issues` names each field. */
export class JobPayloadError extends Error {
  constructor(
    readonly queue: string,
    readonly when: "send" | "fetch",
    readonly issues: readonly z.core.$ZodIssue[],
  ) {
    super(`${queue} job payload refused on ${when}: ${describeIssues(issues)}`);
    this.name = "JobPayloadError";
  }
}

/** "accountId: Invalid UUID; notBefore: Invalid ISO datetime" — field by field. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `${issue.path.length ? issue.path.join(".") : "(payload)"}: ${issue.message}`).join("; ");
}

/** The payload's JSON form, or JobPayloadError. */
export function encodePayload<Payload extends z.ZodType>(definition: QueueDefinition<Payload>, payload: z.output<Payload>): z.input<Payload> {
  const encoded = z.safeEncode(definition.payload, payload);
  if (!encoded.success) throw new JobPayloadError(definition.queue, "send", encoded.error.issues);
  return encoded.data;
}

/** The payload read back from a job's data, or JobPayloadError. */
export function decodePayload<Payload extends z.ZodType>(definition: QueueDefinition<Payload>, data: unknown): z.output<Payload> {
  const decoded = definition.payload.safeParse(data);
  if (!decoded.success) throw new JobPayloadError(definition.queue, "fetch", decoded.error.issues);
  return decoded.data;
}

/** Creates each queue with its policy (pg-boss leaves an existing queue as it is). */
export async function createQueues(boss: PgBoss, definitions: readonly QueueDefinition<z.ZodType>[]): Promise<void> {
  for (const definition of definitions) await boss.createQueue(definition.queue, definition.policy);
}

/**
 * Sends a job; an invalid payload throws JobPayloadError before pg-boss sees
 * it. Resolves to the job id, or null when the queue's policy kept it out
 * (e.g. `stately`: one is already queued for the singleton key).
 */
export async function sendJob<Payload extends z.ZodType>(
  boss: PgBoss,
  definition: QueueDefinition<Payload>,
  payload: z.output<Payload>,
  options: SendOptions = {},
): Promise<string | null> {
  const data = encodePayload(definition, payload);
  return boss.send(definition.queue, data as object, { ...definition.sendOptions?.(payload), ...options });
}

export interface FetchedJob<Payload> {
  id: string;
  payload: Payload;
}

/**
 * Up to `batchSize` jobs, now active. A job whose data the schema refuses is
 * failed at once with the reason as its output and never returned, so no
 * handler ever runs on it.
 */
export async function fetchJobs<Payload extends z.ZodType>(
  boss: PgBoss,
  definition: QueueDefinition<Payload>,
  batchSize: number,
  onRefused?: (id: string, error: JobPayloadError, data: unknown) => void,
): Promise<FetchedJob<z.output<Payload>>[]> {
  const jobs = await boss.fetch<unknown>(definition.queue, { batchSize });
  const fetched: FetchedJob<z.output<Payload>>[] = [];
  for (const job of jobs) {
    try {
      fetched.push({ id: job.id, payload: decodePayload(definition, job.data) });
    } catch (error) {
      if (!(error instanceof JobPayloadError)) throw error;
      await boss.fail(definition.queue, job.id, { error: error.message });
      onRefused?.(job.id, error, job.data);
    }
  }
  return fetched;
}
