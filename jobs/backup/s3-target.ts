// The optional off-site copy of each backup (issue 19 item 7): every file of a
// finished local copy (layout: ./layout.ts) is PUT to an S3-compatible bucket
// under <prefix>/<copy name>/…, manifest.json last, so a remote copy without
// its manifest is one whose upload did not finish. The retention rule then
// runs over the remote copies as over the local ones. Path-style requests
// (endpoint/bucket/key) signed with SigV4 (./s3-signature.ts): AWS S3,
// Cloudflare R2, Backblaze B2, MinIO, Wasabi… all take them. Secrets stay in
// this module's requests: errors name the bucket, key and S3's error code only.
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { planRetention, type RetentionPolicy } from "~/domain/backups/retention.ts";
import { MANIFEST_FILE, takenAtOf } from "./layout.ts";
import { EMPTY_PAYLOAD_SHA256, sha256Hex, signRequest } from "./s3-signature.ts";

export interface S3Target {
  /** e.g. https://s3.eu-central-1.amazonaws.com, https://<account>.r2.cloudflarestorage.com, http://127.0.0.1:9000 */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Folder inside the bucket, without slashes at either end; "" for the bucket's root. */
  prefix: string;
}

const optional = z
  .string()
  .optional()
  .transform((value) => (value === "" ? undefined : value));

/** The BACKUP_S3_* variables (jobs/config.ts spreads this shape; scripts/restore.ts reads them too). */
export const s3EnvSchema = z.object({
  BACKUP_S3_ENDPOINT: optional.pipe(z.url("must be the S3 endpoint's URL, e.g. https://s3.eu-central-1.amazonaws.com").optional()),
  BACKUP_S3_BUCKET: optional,
  BACKUP_S3_REGION: optional,
  BACKUP_S3_ACCESS_KEY_ID: optional,
  BACKUP_S3_SECRET_ACCESS_KEY: optional,
  BACKUP_S3_PREFIX: optional,
});

/** The target the BACKUP_S3_* variables describe; null when BACKUP_S3_ENDPOINT and BACKUP_S3_BUCKET are both unset. */
export function s3TargetFromEnvironment(source: Record<string, string | undefined>): S3Target | null {
  const parsed = s3EnvSchema.safeParse(source);
  if (!parsed.success) {
    throw new Error(`The S3 backup target is misconfigured: ${parsed.error.issues.map((i) => `${String(i.path[0])} ${i.message}`).join("; ")}`);
  }
  const env = parsed.data;
  if (!env.BACKUP_S3_ENDPOINT && !env.BACKUP_S3_BUCKET) return null;
  const missing = (["BACKUP_S3_ENDPOINT", "BACKUP_S3_BUCKET", "BACKUP_S3_ACCESS_KEY_ID", "BACKUP_S3_SECRET_ACCESS_KEY"] as const).filter(
    (key) => !env[key],
  );
  if (missing.length > 0) throw new Error(`The S3 backup target is half configured: ${missing.join(", ")} not set (docs/operations/backups.md).`);
  return {
    endpoint: env.BACKUP_S3_ENDPOINT!,
    bucket: env.BACKUP_S3_BUCKET!,
    region: env.BACKUP_S3_REGION ?? "us-east-1",
    accessKeyId: env.BACKUP_S3_ACCESS_KEY_ID!,
    secretAccessKey: env.BACKUP_S3_SECRET_ACCESS_KEY!,
    prefix: (env.BACKUP_S3_PREFIX ?? "").replace(/^\/+|\/+$/g, ""),
  };
}

/** "s3://bucket/prefix": how logs and errors name the target (never its keys). */
export function describeTarget(target: S3Target): string {
  return `s3://${target.bucket}${target.prefix ? `/${target.prefix}` : ""} at ${new URL(target.endpoint).host}`;
}

const HINTS: Record<string, string> = {
  SignatureDoesNotMatch: "check BACKUP_S3_SECRET_ACCESS_KEY",
  InvalidAccessKeyId: "check BACKUP_S3_ACCESS_KEY_ID",
  NoSuchBucket: "check BACKUP_S3_BUCKET",
  AccessDenied: "the key lacks s3:PutObject, s3:ListBucket, s3:GetObject or s3:DeleteObject on the bucket",
  AuthorizationHeaderMalformed: "check BACKUP_S3_REGION",
};

export class S3RequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
    this.name = "S3RequestError";
  }
}

function xmlText(xml: string, tag: string): string[] {
  const values: string[] = [];
  for (const match of xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, "g"))) {
    values.push(
      match[1]!
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
        .replace(/&amp;/g, "&"),
    );
  }
  return values;
}

function encodeKey(key: string): string {
  return key
    .split("/")
    .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join("/");
}

async function send(
  target: S3Target,
  method: "GET" | "PUT" | "DELETE",
  key: string,
  { query = {}, body }: { query?: Record<string, string>; body?: Buffer } = {},
): Promise<Response> {
  const url = new URL(target.endpoint);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/${encodeURIComponent(target.bucket)}/${encodeKey(key)}`;
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  const payloadHash = body ? sha256Hex(body) : EMPTY_PAYLOAD_SHA256;
  const headers = signRequest({ method, url, payloadHash }, { ...target, service: "s3" }, new Date());
  delete headers.host; // fetch sets it (the same value) and refuses to be told
  const what = `${method} ${target.bucket}/${key}`;
  let response: Response;
  try {
    response = await fetch(url, { method, headers, body: body ? new Uint8Array(body) : undefined });
  } catch (error) {
    const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    throw new Error(`S3 ${what} could not reach ${url.host}: ${cause} (check BACKUP_S3_ENDPOINT)`);
  }
  if (!response.ok) {
    const text = await response.text().catch(() => "");
    const code = xmlText(text, "Code")[0] ?? `HTTP ${response.status}`;
    const message = xmlText(text, "Message")[0];
    const hint = HINTS[code];
    throw new S3RequestError(
      `S3 refused ${what}: ${response.status} ${code}${message ? ` (${message})` : ""}${hint ? `: ${hint}` : ""}`,
      response.status,
      code,
    );
  }
  return response;
}

function keyOf(target: S3Target, relative: string): string {
  return target.prefix ? `${target.prefix}/${relative}` : relative;
}

export async function putObject(target: S3Target, key: string, body: Buffer): Promise<void> {
  await (await send(target, "PUT", key, { body })).arrayBuffer();
}

export async function getObject(target: S3Target, key: string): Promise<Buffer> {
  return Buffer.from(await (await send(target, "GET", key)).arrayBuffer());
}

export async function deleteObject(target: S3Target, key: string): Promise<void> {
  await (await send(target, "DELETE", key)).arrayBuffer();
}

/** Every key under `prefix` (ListObjectsV2, page by page). */
export async function listKeys(target: S3Target, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const query: Record<string, string> = { "list-type": "2", prefix, ...(token ? { "continuation-token": token } : {}) };
    const xml = await (await send(target, "GET", "", { query })).text();
    keys.push(...xmlText(xml, "Key"));
    token = xmlText(xml, "IsTruncated")[0] === "true" ? xmlText(xml, "NextContinuationToken")[0] : undefined;
  } while (token);
  return keys;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"));
}

/** Uploads a finished local copy, manifest last; returns the number of files and bytes sent. */
export async function uploadCopy(target: S3Target, copyDir: string): Promise<{ files: number; bytes: number }> {
  const name = path.basename(copyDir);
  const files = (await filesUnder(copyDir)).sort((a, b) => Number(a === MANIFEST_FILE) - Number(b === MANIFEST_FILE));
  let bytes = 0;
  for (const file of files) {
    // Whole files in memory: a single PUT (up to 5 GB) needs the body's sha256 before it is sent.
    const body = await readFile(path.join(copyDir, file));
    await putObject(target, keyOf(target, `${name}/${file}`), body);
    bytes += body.length;
  }
  return { files: files.length, bytes };
}

/** The remote copies by name, each with its keys and whether its upload finished (manifest present). */
async function remoteCopies(target: S3Target): Promise<Map<string, { keys: string[]; complete: boolean }>> {
  const root = target.prefix ? `${target.prefix}/` : "";
  const copies = new Map<string, { keys: string[]; complete: boolean }>();
  for (const key of await listKeys(target, root)) {
    const [name, ...rest] = key.slice(root.length).split("/");
    if (!name || !takenAtOf(name) || rest.length === 0) continue;
    const copy = copies.get(name) ?? { keys: [], complete: false };
    copy.keys.push(key);
    if (rest.join("/") === MANIFEST_FILE) copy.complete = true;
    copies.set(name, copy);
  }
  return copies;
}

/**
 * Deletes the remote copies the retention rule no longer keeps, and the
 * unfinished uploads of earlier runs (`current` is spared); returns their names.
 */
export async function pruneRemoteCopies(target: S3Target, retention: RetentionPolicy, current?: string): Promise<string[]> {
  const copies = await remoteCopies(target);
  const complete = [...copies].filter(([, copy]) => copy.complete).map(([name]) => name);
  const { remove } = planRetention(
    complete.map((name) => takenAtOf(name)!),
    retention,
  );
  const doomed = new Set(remove.map((at) => complete.find((name) => takenAtOf(name)!.getTime() === at.getTime())!));
  for (const [name, copy] of copies) if (!copy.complete && name !== current) doomed.add(name);
  for (const name of doomed) for (const key of copies.get(name)!.keys) await deleteObject(target, key);
  return [...doomed].sort();
}

/** Downloads remote copy `name` into `intoDir`/<name> (for `npm run restore -- s3:<name>`); returns that folder. */
export async function downloadCopy(target: S3Target, name: string, intoDir: string): Promise<string> {
  if (!takenAtOf(name)) throw new Error(`not a backup copy's name: ${name} (expected e.g. 2026-12-07T030000Z)`);
  const copy = (await remoteCopies(target)).get(name);
  if (!copy) throw new Error(`no copy ${name} in ${describeTarget(target)}`);
  if (!copy.complete) throw new Error(`copy ${name} in ${describeTarget(target)} has no ${MANIFEST_FILE}: its upload did not finish`);
  const copyDir = path.resolve(intoDir, name);
  const prefix = keyOf(target, `${name}/`);
  for (const key of copy.keys) {
    const file = path.resolve(copyDir, key.slice(prefix.length));
    // Keys come from the bucket: one with ".." must not write outside the copy.
    if (!file.startsWith(copyDir + path.sep)) throw new Error(`remote key escapes the copy folder: ${key}`);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, await getObject(target, key));
  }
  return copyDir;
}
