// Request bodies: JSON, raw uploads streamed to a staging file with a size cap,
// and multipart/form-data as storage-js sends it for Blob/File/FormData.
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { once } from "node:events";
import { ERRORS } from "./errors.ts";

/** Beyond this many unread bytes we stop draining a rejected body and drop the connection. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

export class BodyTooLarge extends Error {}

/** Reads the remaining body into memory; throws BodyTooLarge (after draining) past `limit`. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      tooLarge = true;
      if (size > limit + MAX_DRAIN_BYTES) break;
      continue;
    }
    chunks.push(chunk);
  }
  if (tooLarge) throw new BodyTooLarge();
  return Buffer.concat(chunks);
}

export async function readJson(req: IncomingMessage, limit = 1024 * 1024): Promise<Record<string, unknown>> {
  let buffer: Buffer;
  try {
    buffer = await readBody(req, limit);
  } catch (error) {
    if (error instanceof BodyTooLarge) throw ERRORS.validation("Request body is too large");
    throw error;
  }
  if (buffer.length === 0) return {};
  try {
    const value: unknown = JSON.parse(buffer.toString("utf8"));
    if (!value || typeof value !== "object" || Array.isArray(value)) throw new Error("not an object");
    return value as Record<string, unknown>;
  } catch {
    throw ERRORS.validation("body must be a JSON object");
  }
}

/** Consumes what is left of a body we are not going to use, so the answer reaches the client. */
export async function drain(req: IncomingMessage): Promise<void> {
  if (req.readableEnded || req.destroyed) return;
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_DRAIN_BYTES) {
        req.destroy();
        return;
      }
    }
  } catch {
    // client went away
  }
}

export interface StagedFile {
  size: number;
  md5: string;
}

/**
 * Streams the body into `file`, hashing it. Past `limit` bytes the partial file
 * is removed, the rest of the body drained, and EntityTooLarge thrown.
 */
export async function streamBodyToFile(req: IncomingMessage, file: string, limit: number): Promise<StagedFile> {
  const out = createWriteStream(file, { flags: "wx", mode: 0o600 });
  const hash = createHash("md5");
  let size = 0;
  let tooLarge = false;
  try {
    await once(out, "open");
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (tooLarge || size > limit) {
        tooLarge = true;
        if (size > limit + MAX_DRAIN_BYTES) break;
        continue;
      }
      hash.update(chunk);
      if (!out.write(chunk)) await once(out, "drain");
    }
    out.end();
    await once(out, "finish");
  } catch (error) {
    out.destroy();
    await rm(file, { force: true });
    throw error;
  }
  if (tooLarge) {
    await rm(file, { force: true });
    throw ERRORS.entityTooLarge();
  }
  return { size, md5: hash.digest("hex") };
}

export interface MultipartUpload {
  file: Blob;
  fields: Map<string, string>;
}

/** Parses multipart/form-data with the platform's own parser (undici's Request.formData). */
export async function parseMultipart(body: Buffer, contentType: string): Promise<MultipartUpload> {
  let form: FormData;
  try {
    form = await new Request("http://storage.local/", {
      method: "POST",
      headers: { "content-type": contentType },
      body: new Uint8Array(body),
    }).formData();
  } catch {
    throw ERRORS.noContentProvided();
  }
  const fields = new Map<string, string>();
  let file: Blob | null = null;
  for (const [name, value] of form.entries()) {
    if (typeof value === "string") {
      if (!fields.has(name)) fields.set(name, value);
    } else if (!file) {
      file = value;
    }
  }
  if (!file) throw ERRORS.noContentProvided();
  return { file, fields };
}
