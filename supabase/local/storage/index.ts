// The Storage service of the local Supabase server: the `/storage/v1` routes
// storage-js uses, answered like supabase/storage-api. Object rows live in
// storage.objects and every read/write of them runs as the caller's database
// role with the caller's JWT claims (as-role.ts), so the bucket's RLS policies
// decide exactly as on a real Supabase. Bytes live on disk under
// `<storageDir>/<bucket>/<key>`; uploads are staged and renamed into place only
// inside the transaction that inserted the row, so a refused upload leaves nothing.
import { createHash, randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, rename, rm, rmdir, stat, writeFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import type pg from "pg";
import { withClaims } from "../as-role.ts";
import type { LocalService, ServiceContext } from "../context.ts";
import { bearerToken, signJwt, verifyJwt, type SupabaseClaims } from "../jwt.ts";
import { BodyTooLarge, drain, parseMultipart, readBody, readJson, streamBodyToFile } from "./body.ts";
import { ERRORS, fromDbError, HttpError, StorageError } from "./errors.ts";
import { decodePathPart, isEmptyFolderPlaceholder, objectFilePath, STAGING_DIR_NAME, validateBucketName, validateObjectKey } from "./paths.ts";

/** Global upload cap, as Supabase's default FILE_SIZE_LIMIT (50 MiB). */
export const GLOBAL_FILE_SIZE_LIMIT = 50 * 1024 * 1024;
/** Room for multipart boundaries and form fields on top of the file itself. */
const MULTIPART_OVERHEAD = 1024 * 1024;
const API_ROLES = new Set(["anon", "authenticated", "service_role"]);
const RESERVED = new Set(["list", "sign", "public", "authenticated", "info", "upload", "move", "copy"]);

interface Caller {
  claims: SupabaseClaims;
  /** False when the request carried no valid JWT (only possible on allowInvalidJwt routes). */
  authenticated: boolean;
}

interface BucketRow {
  id: string;
  name: string;
  owner: string | null;
  owner_id: string | null;
  public: boolean | null;
  file_size_limit: string | number | null;
  allowed_mime_types: string[] | null;
  created_at: Date | null;
  updated_at: Date | null;
}

interface ObjectMetadata {
  eTag?: string;
  size?: number;
  mimetype?: string;
  cacheControl?: string;
  lastModified?: string;
  contentLength?: number;
  httpStatusCode?: number;
}

interface ObjectRow {
  id: string;
  name: string;
  bucket_id: string;
  version: string | null;
  metadata: ObjectMetadata | null;
  user_metadata: Record<string, unknown> | null;
  created_at: Date | null;
  updated_at: Date | null;
  last_accessed_at: Date | null;
}

export function storageService(ctx: ServiceContext): LocalService {
  const root = path.resolve(ctx.config.storageDir);
  const storage = new LocalStorage(ctx, root);
  return {
    name: "storage",
    http: async (req, res, url) => {
      if (url.pathname !== "/storage/v1" && !url.pathname.startsWith("/storage/v1/")) return false;
      try {
        await storage.route(req, res, url, url.pathname.slice("/storage/v1".length) || "/");
      } catch (error) {
        const answer = toHttpError(error);
        if (answer.status >= 500) {
          ctx.log(`[storage] ${req.method} ${url.pathname} failed: ${error instanceof Error ? error.stack : String(error)}`);
        }
        if (res.headersSent) {
          res.destroy();
        } else {
          // The client may still be sending a body we refused; read it so it sees the answer.
          await drain(req);
          sendJson(res, answer.status, answer.body);
        }
      }
      return true;
    },
  };
}

function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof BodyTooLarge) return ERRORS.entityTooLarge();
  return fromDbError(error) ?? ERRORS.internal();
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function uuidOrNull(value: unknown): string | null {
  return typeof value === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) ? value : null;
}

class LocalStorage {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly root: string,
  ) {}

  private get pool(): pg.Pool {
    return this.ctx.pool;
  }

  async route(req: IncomingMessage, res: ServerResponse, url: URL, rest: string): Promise<void> {
    const method = req.method ?? "GET";
    const parts = rest.split("/").slice(1); // rest starts with "/"

    if (parts[0] === "bucket") {
      if (method === "GET" && parts.length === 1) return this.listBuckets(req, res, url);
      if (method === "GET" && parts.length === 2 && parts[1]) return this.getBucket(req, res, parts[1]);
      throw ERRORS.routeNotFound(method, rest);
    }

    if (parts[0] !== "object" || parts.length < 2 || !parts[1]) throw ERRORS.routeNotFound(method, rest);
    const [, first, ...tail] = parts as [string, string, ...string[]];

    if (RESERVED.has(first)) {
      const bucket = tail[0];
      const key = tail.slice(1).join("/");
      if (!bucket) throw ERRORS.routeNotFound(method, rest);
      if (first === "list" && method === "POST" && tail.length === 1) return this.list(req, res, bucket);
      if (first === "sign" && method === "POST" && tail.length === 1) return this.signMany(req, res, bucket);
      if (first === "sign" && method === "POST" && key) return this.sign(req, res, bucket, key);
      if (first === "sign" && method === "GET" && key) return this.signedDownload(req, res, url, bucket, key);
      if (first === "public" && method === "GET" && key) return this.download(req, res, url, bucket, key, "public");
      if (first === "authenticated" && method === "GET" && key) {
        return this.download(req, res, url, bucket, key, "authenticated");
      }
      if (first === "info" && method === "GET" && key) return this.info(req, res, bucket, key);
      throw ERRORS.routeNotFound(method, rest);
    }

    const bucket = first;
    const key = tail.join("/");
    if (method === "DELETE" && !key) return this.removeMany(req, res, bucket);
    if (!key) throw ERRORS.routeNotFound(method, rest);
    if (method === "POST" || method === "PUT") return this.upload(req, res, method, bucket, key);
    if (method === "GET") return this.download(req, res, url, bucket, key, "optional");
    throw ERRORS.routeNotFound(method, rest);
  }

  // ---------------------------------------------------------------- auth

  /**
   * The caller's claims. Like the Kong gateway the app talks to, requests must
   * carry a known `apikey`; like storage-api, the JWT comes from Authorization
   * and a missing/invalid one is AccessDenied unless the route allows anon.
   */
  private async authenticate(req: IncomingMessage, { allowInvalidJwt = false } = {}): Promise<Caller> {
    const apikey = header(req, "apikey");
    if (!apikey) throw new HttpError(401, { message: "No API key found in request" });
    if (apikey !== this.ctx.keys.anonKey && apikey !== this.ctx.keys.serviceRoleKey) {
      throw new HttpError(401, { message: "Invalid authentication credentials" });
    }
    const token = bearerToken(header(req, "authorization"));
    if (!token) {
      if (allowInvalidJwt) return { claims: { role: "anon" }, authenticated: false };
      throw ERRORS.accessDenied("jwt must be provided");
    }
    const verified = await verifyJwt(this.ctx.keys.jwtSecret, token);
    if (!verified.ok) {
      if (allowInvalidJwt) return { claims: { role: "anon" }, authenticated: false };
      throw ERRORS.accessDenied(jwtFailureMessage(token, verified.reason));
    }
    const role = verified.claims.role ?? "anon";
    if (!API_ROLES.has(role)) throw ERRORS.accessDenied(`role "${role}" is not allowed`);
    return { claims: { ...verified.claims, role }, authenticated: true };
  }

  private asCaller<T>(caller: Caller, work: (client: pg.PoolClient) => Promise<T>, rollback = false): Promise<T> {
    return withClaims(this.pool, caller.claims, work, { rollback });
  }

  // ------------------------------------------------------------- buckets

  private async findBucketAsAdmin(bucketId: string): Promise<BucketRow | null> {
    const { rows } = await this.pool.query<BucketRow>(
      `select id, name, owner, owner_id, public, file_size_limit, allowed_mime_types, created_at, updated_at
         from storage.buckets where id = $1`,
      [bucketId],
    );
    return rows[0] ?? null;
  }

  /** `GET /bucket[?limit&offset&sortColumn&sortOrder&search]`, RLS on storage.buckets deciding. */
  private async listBuckets(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const caller = await this.authenticate(req);
    const q = url.searchParams;
    const sortColumn = ["id", "name", "created_at", "updated_at"].includes(q.get("sortColumn") ?? "") ? q.get("sortColumn")! : "name";
    const sortOrder = q.get("sortOrder")?.toLowerCase() === "desc" ? "desc" : "asc";
    const limit = q.has("limit") ? Math.max(toInt(q.get("limit"), 0), 0) : null;
    const offset = Math.max(toInt(q.get("offset"), 0), 0);
    const search = q.get("search") ?? "";
    const rows = await this.asCaller(caller, async (client) => {
      const result = await client.query<BucketRow>(
        `select id, name, owner, owner_id, public, file_size_limit, allowed_mime_types, created_at, updated_at
           from storage.buckets
          where ($1 = '' or name ilike '%' || $1 || '%')
          order by ${sortColumn} ${sortOrder}
          limit $2 offset $3`,
        [search, limit, offset],
      );
      return result.rows;
    });
    sendJson(res, 200, rows.map(renderBucket));
  }

  private async getBucket(req: IncomingMessage, res: ServerResponse, rawBucket: string): Promise<void> {
    const caller = await this.authenticate(req);
    const bucketId = decodePathPart(rawBucket, "bucket");
    const row = await this.asCaller(caller, async (client) => {
      const result = await client.query<BucketRow>(
        `select id, name, owner, owner_id, public, file_size_limit, allowed_mime_types, created_at, updated_at
           from storage.buckets where id = $1`,
        [bucketId],
      );
      return result.rows[0];
    });
    if (!row) throw ERRORS.noSuchBucket();
    sendJson(res, 200, renderBucket(row));
  }

  // -------------------------------------------------------------- upload

  private async upload(req: IncomingMessage, res: ServerResponse, method: "POST" | "PUT", rawBucket: string, rawKey: string): Promise<void> {
    const caller = await this.authenticate(req);
    const bucketId = decodePathPart(rawBucket, "bucket");
    const key = decodePathPart(rawKey, "key");
    validateBucketName(bucketId);
    validateObjectKey(key);
    const bucket = await this.findBucketAsAdmin(bucketId);
    if (!bucket) throw ERRORS.noSuchBucket();
    const finalPath = objectFilePath(this.root, bucketId, key);

    // PUT (update) is an upsert in storage-api; POST upserts only with x-upsert: true.
    const isUpsert = method === "PUT" || header(req, "x-upsert") === "true";
    const placeholder = isEmptyFolderPlaceholder(key);
    const bucketLimit = bucket.file_size_limit == null ? null : Number(bucket.file_size_limit);
    const maxSize = placeholder ? 0 : Math.min(bucketLimit ?? GLOBAL_FILE_SIZE_LIMIT, GLOBAL_FILE_SIZE_LIMIT);
    const allowedMimeTypes = placeholder ? [] : (bucket.allowed_mime_types ?? []);
    const owner = typeof caller.claims.sub === "string" ? caller.claims.sub : null;

    const stagingDir = path.join(this.root, STAGING_DIR_NAME);
    await mkdir(stagingDir, { recursive: true });
    const staged = path.join(stagingDir, `${randomUUID()}.upload`);

    try {
      const contentType = header(req, "content-type") ?? "";
      let mimetype: string;
      let cacheControl: string;
      let userMetadata: Record<string, unknown> | null = null;
      let size: number;
      let md5: string;

      if (contentType.toLowerCase().startsWith("multipart/form-data")) {
        let body: Buffer;
        try {
          body = await readBody(req, maxSize + MULTIPART_OVERHEAD);
        } catch (error) {
          if (error instanceof BodyTooLarge) throw ERRORS.entityTooLarge();
          throw error;
        }
        const { file, fields } = await parseMultipart(body, contentType);
        mimetype = fields.get("contentType") || file.type || "application/octet-stream";
        const cacheTime = fields.get("cacheControl");
        cacheControl = cacheTime ? `max-age=${cacheTime}` : "no-cache";
        userMetadata = parseJsonObject(fields.get("metadata") ?? fields.get("userMetadata"));
        if (allowedMimeTypes.length) validateMimeType(mimetype, allowedMimeTypes);
        if (file.size > maxSize) throw ERRORS.entityTooLarge();
        await this.canUpload(caller, bucketId, key, owner, isUpsert, { mimetype, contentLength: file.size }, userMetadata);
        const bytes = Buffer.from(await file.arrayBuffer());
        await writeFile(staged, bytes, { flag: "wx", mode: 0o600 });
        size = bytes.length;
        md5 = createHash("md5").update(bytes).digest("hex");
      } else {
        mimetype = contentType || "application/octet-stream";
        cacheControl = header(req, "cache-control") ?? "no-cache";
        const xMetadata = header(req, "x-metadata");
        if (xMetadata) userMetadata = parseJsonObject(Buffer.from(xMetadata, "base64").toString("utf8"));
        if (allowedMimeTypes.length) validateMimeType(mimetype, allowedMimeTypes);
        const declared = Number(header(req, "content-length"));
        if (Number.isFinite(declared) && declared > maxSize) throw ERRORS.entityTooLarge();
        await this.canUpload(
          caller,
          bucketId,
          key,
          owner,
          isUpsert,
          { mimetype, contentLength: Number.isFinite(declared) ? declared : undefined },
          userMetadata,
        );
        ({ size, md5 } = await streamBodyToFile(req, staged, maxSize));
      }

      const metadata: ObjectMetadata = {
        eTag: `"${md5}"`,
        size,
        mimetype,
        cacheControl,
        lastModified: new Date().toISOString(),
        contentLength: size,
        httpStatusCode: 200,
      };
      const id = await this.asCaller(caller, async (client) => {
        const objectId = await writeObjectRow(client, {
          bucketId,
          key,
          owner,
          isUpsert,
          metadata,
          userMetadata,
          version: randomUUID(),
        });
        // Still inside the transaction: if the move fails the row is rolled back.
        await mkdir(path.dirname(finalPath), { recursive: true });
        await rename(staged, finalPath).catch((error: NodeJS.ErrnoException) => {
          if (error.code === "ENOTDIR" || error.code === "EISDIR" || error.code === "EEXIST") {
            throw ERRORS.invalidKey(key);
          }
          throw error;
        });
        return objectId;
      });
      sendJson(res, 200, { Id: id, Key: `${bucketId}/${key}` });
    } finally {
      await rm(staged, { force: true });
    }
  }

  /** storage-api's canUpload: the same insert/upsert as the caller, rolled back. */
  private async canUpload(
    caller: Caller,
    bucketId: string,
    key: string,
    owner: string | null,
    isUpsert: boolean,
    metadata: ObjectMetadata,
    userMetadata: Record<string, unknown> | null,
  ): Promise<void> {
    await this.asCaller(caller, (client) => writeObjectRow(client, { bucketId, key, owner, isUpsert, metadata, userMetadata, version: "1" }), true);
  }

  // ------------------------------------------------------------ download

  private async visibleObject(caller: Caller, bucketId: string, key: string, mode: "public" | "authenticated" | "optional"): Promise<ObjectRow> {
    validateBucketName(bucketId);
    validateObjectKey(key);
    const bucket = await this.findBucketAsAdmin(bucketId);
    if (mode === "public" && !bucket?.public) throw ERRORS.noSuchBucket();
    if (!caller.authenticated && !bucket?.public) throw ERRORS.noSuchBucket();
    if (!bucket) throw ERRORS.noSuchBucket();
    const row = bucket.public
      ? await findObject(this.pool, bucketId, key)
      : await this.asCaller(caller, (client) => findObject(client, bucketId, key));
    if (!row) throw ERRORS.noSuchKey();
    return row;
  }

  private async download(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    rawBucket: string,
    rawKey: string,
    mode: "public" | "authenticated" | "optional",
  ): Promise<void> {
    const caller: Caller =
      mode === "public" ? { claims: { role: "anon" }, authenticated: false } : await this.authenticate(req, { allowInvalidJwt: mode === "optional" });
    const bucketId = decodePathPart(rawBucket, "bucket");
    const key = decodePathPart(rawKey, "key");
    const row = await this.visibleObject(caller, bucketId, key, mode);
    await this.sendObject(req, res, url, row);
  }

  private async signedDownload(req: IncomingMessage, res: ServerResponse, url: URL, rawBucket: string, rawKey: string): Promise<void> {
    const token = url.searchParams.get("token");
    if (!token) throw ERRORS.validation("querystring must have required property 'token'");
    const verified = await verifyJwt(this.ctx.keys.jwtSecret, token);
    if (!verified.ok) throw ERRORS.invalidJwt(jwtFailureMessage(token, verified.reason));
    const bucketId = decodePathPart(rawBucket, "bucket");
    const key = decodePathPart(rawKey, "key");
    const { url: signedPath, exp } = verified.claims as { url?: unknown; exp?: number };
    if (signedPath !== `${bucketId}/${key}`) throw ERRORS.invalidSignature();
    if (typeof exp === "number" && exp * 1000 < Date.now()) throw ERRORS.expiredSignature();
    validateBucketName(bucketId);
    validateObjectKey(key);
    const row = await findObject(this.pool, bucketId, key);
    if (!row) throw ERRORS.noSuchKey();
    await this.sendObject(req, res, url, row, typeof exp === "number" ? new Date(exp * 1000) : undefined);
  }

  private async sendObject(req: IncomingMessage, res: ServerResponse, url: URL, row: ObjectRow, expires?: Date): Promise<void> {
    const file = objectFilePath(this.root, row.bucket_id, row.name);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) throw ERRORS.noSuchKey();
    const metadata = row.metadata ?? {};
    const headers: Record<string, string | number> = {
      "content-type": metadata.mimetype || "application/octet-stream",
      "cache-control": metadata.cacheControl || "no-cache",
      "accept-ranges": "bytes",
      "last-modified": new Date(metadata.lastModified ?? info.mtime).toUTCString(),
    };
    if (metadata.eTag) headers.etag = metadata.eTag;
    if (expires) headers.expires = expires.toUTCString();
    const download = url.searchParams.get("download");
    if (download !== null) {
      const filename = download || path.posix.basename(row.name);
      headers["content-disposition"] = `attachment; filename=${encodeURIComponent(filename)}; filename*=UTF-8''${encodeURIComponent(filename)}`;
    }
    if (metadata.eTag && header(req, "if-none-match") === metadata.eTag) {
      res.writeHead(304, headers).end();
      return;
    }
    const range = parseRange(header(req, "range"), info.size);
    if (range === "invalid") {
      throw new StorageError("400", "InvalidRange", "invalid range provided", "invalid_range");
    }
    if (range) {
      headers["content-range"] = `bytes ${range.start}-${range.end}/${info.size}`;
      headers["content-length"] = range.end - range.start + 1;
      res.writeHead(206, headers);
    } else {
      headers["content-length"] = info.size;
      res.writeHead(200, headers);
    }
    await new Promise<void>((resolve, reject) => {
      const stream = createReadStream(file, range ? { start: range.start, end: range.end } : {});
      stream.on("error", reject);
      res.on("close", resolve);
      stream.pipe(res);
    });
  }

  /** GET /object/info/{bucket}/{key}: what storage-js's exists() and info() read. */
  private async info(req: IncomingMessage, res: ServerResponse, rawBucket: string, rawKey: string): Promise<void> {
    const caller = await this.authenticate(req, { allowInvalidJwt: true });
    const bucketId = decodePathPart(rawBucket, "bucket");
    const key = decodePathPart(rawKey, "key");
    const row = await this.visibleObject(caller, bucketId, key, "optional");
    const metadata = row.metadata ?? {};
    sendJson(res, 200, {
      id: row.id,
      name: row.name,
      version: row.version,
      bucket_id: row.bucket_id,
      size: metadata.size,
      content_type: metadata.mimetype,
      cache_control: metadata.cacheControl,
      etag: metadata.eTag,
      metadata: row.user_metadata ?? {},
      last_modified: metadata.lastModified,
      created_at: row.created_at,
    });
  }

  // ------------------------------------------------------------- signing

  private async sign(req: IncomingMessage, res: ServerResponse, rawBucket: string, rawKey: string): Promise<void> {
    const caller = await this.authenticate(req);
    const body = await readJson(req);
    const expiresIn = parseExpiresIn(body.expiresIn);
    const bucketId = decodePathPart(rawBucket, "bucket");
    const key = decodePathPart(rawKey, "key");
    validateBucketName(bucketId);
    validateObjectKey(key);
    const row = await this.asCaller(caller, (client) => findObject(client, bucketId, key));
    if (!row) throw ERRORS.noSuchKey();
    const signedPath = `${bucketId}/${key}`;
    const token = await this.signUrlToken(signedPath, expiresIn);
    sendJson(res, 200, { signedURL: `/object/sign/${signedPath}?token=${token}` });
  }

  private async signMany(req: IncomingMessage, res: ServerResponse, rawBucket: string): Promise<void> {
    const caller = await this.authenticate(req);
    const body = await readJson(req);
    const expiresIn = parseExpiresIn(body.expiresIn);
    const paths = body.paths;
    if (!Array.isArray(paths) || paths.length === 0 || !paths.every((p) => typeof p === "string")) {
      throw ERRORS.validation("body/paths must be a non-empty array of strings");
    }
    const bucketId = decodePathPart(rawBucket, "bucket");
    validateBucketName(bucketId);
    const visible = await this.asCaller(caller, async (client) => {
      const result = await client.query<{ name: string }>("select name from storage.objects where bucket_id = $1 and name = any($2::text[])", [
        bucketId,
        paths,
      ]);
      return new Set(result.rows.map((r) => r.name));
    });
    const results = await Promise.all(
      (paths as string[]).map(async (p) => {
        if (!visible.has(p)) {
          return { error: "Either the object does not exist or you do not have access to it", path: p, signedURL: null };
        }
        const signedPath = `${bucketId}/${p}`;
        const token = await this.signUrlToken(signedPath, expiresIn);
        return { error: null, path: p, signedURL: `/object/sign/${signedPath}?token=${token}` };
      }),
    );
    sendJson(res, 200, results);
  }

  private signUrlToken(signedPath: string, expiresIn: number): Promise<string> {
    const iat = Math.floor(Date.now() / 1000);
    return signJwt(this.ctx.keys.jwtSecret, { url: signedPath, iat, exp: iat + expiresIn });
  }

  // ---------------------------------------------------------------- list

  private async list(req: IncomingMessage, res: ServerResponse, rawBucket: string): Promise<void> {
    const caller = await this.authenticate(req);
    const body = await readJson(req);
    if (typeof body.prefix !== "string") throw ERRORS.validation("body must have required property 'prefix'");
    const bucketId = decodePathPart(rawBucket, "bucket");
    validateBucketName(bucketId);
    let prefix = body.prefix;
    if (prefix.length > 0 && !prefix.endsWith("/")) prefix = `${prefix}/`; // a prefix is always a folder
    const search = typeof body.search === "string" ? body.search : "";
    const limit = Math.min(Math.max(toInt(body.limit, 100), 0), 1500);
    const offset = Math.max(toInt(body.offset, 0), 0);
    const sortBy = (body.sortBy ?? {}) as { column?: unknown; order?: unknown };
    const column = ["name", "updated_at", "created_at", "last_accessed_at"].includes(String(sortBy.column))
      ? (String(sortBy.column) as "name" | "updated_at" | "created_at" | "last_accessed_at")
      : "name";
    const ascending = String(sortBy.order ?? "asc").toLowerCase() !== "desc";

    const rows = await this.asCaller(caller, async (client) => {
      const result = await client.query<ObjectRow>(
        `select id, name, bucket_id, version, metadata, user_metadata, created_at, updated_at, last_accessed_at
           from storage.objects
          where bucket_id = $1 and starts_with(lower(name), lower($2))`,
        [bucketId, prefix + search],
      );
      return result.rows;
    });
    sendJson(res, 200, listEntries(rows, prefix, search, column, ascending).slice(offset, offset + limit));
  }

  // -------------------------------------------------------------- remove

  private async removeMany(req: IncomingMessage, res: ServerResponse, rawBucket: string): Promise<void> {
    const caller = await this.authenticate(req);
    const body = await readJson(req);
    const prefixes = body.prefixes;
    if (!Array.isArray(prefixes) || prefixes.length === 0) {
      throw ERRORS.validation("body/prefixes must NOT have fewer than 1 items");
    }
    const names = prefixes.map((p: unknown) =>
      typeof p === "string" ? p : p && typeof (p as { path?: unknown }).path === "string" ? (p as { path: string }).path : null,
    );
    if (names.some((n) => n === null)) throw ERRORS.validation("body/prefixes/items must be string");
    const bucketId = decodePathPart(rawBucket, "bucket");
    validateBucketName(bucketId);
    const deleted = await this.asCaller(caller, async (client) => {
      const result = await client.query<ObjectRow & { owner: string | null; owner_id: string | null }>(
        `delete from storage.objects where bucket_id = $1 and name = any($2::text[])
         returning id, name, bucket_id, owner, owner_id, version, metadata, user_metadata,
                   created_at, updated_at, last_accessed_at`,
        [bucketId, names],
      );
      return result.rows;
    });
    await Promise.all(deleted.map((row) => this.removeFile(row.bucket_id, row.name)));
    sendJson(res, 200, deleted);
  }

  /** Deletes an object's bytes and prunes the directories it leaves empty. */
  private async removeFile(bucketId: string, key: string): Promise<void> {
    let file: string;
    try {
      file = objectFilePath(this.root, bucketId, key);
    } catch {
      return; // a row whose name never mapped to a file
    }
    await rm(file, { force: true });
    const bucketDir = path.resolve(this.root, bucketId);
    for (let dir = path.dirname(file); dir.startsWith(bucketDir + path.sep); dir = path.dirname(dir)) {
      try {
        await rmdir(dir);
      } catch {
        break; // not empty (or gone)
      }
    }
  }
}

// ------------------------------------------------------------------ helpers

async function writeObjectRow(
  client: pg.PoolClient,
  o: {
    bucketId: string;
    key: string;
    owner: string | null;
    isUpsert: boolean;
    metadata: ObjectMetadata;
    userMetadata: Record<string, unknown> | null;
    version: string;
  },
): Promise<string> {
  const values = [
    randomUUID(),
    o.bucketId,
    o.key,
    uuidOrNull(o.owner),
    o.owner,
    JSON.stringify(o.metadata),
    o.userMetadata ? JSON.stringify(o.userMetadata) : null,
    o.version,
  ];
  try {
    if (!o.isUpsert) {
      // No RETURNING: storage-api needs only an INSERT policy for a plain upload.
      await client.query(
        `insert into storage.objects (id, bucket_id, name, owner, owner_id, metadata, user_metadata, version)
         values ($1, $2, $3, $4, $5, $6, $7, $8)`,
        values,
      );
      return values[0] as string;
    }
    const { rows } = await client.query<{ id: string }>(
      `insert into storage.objects (id, bucket_id, name, owner, owner_id, metadata, user_metadata, version)
       values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (bucket_id, name) do update
         set metadata = excluded.metadata, user_metadata = excluded.user_metadata, version = excluded.version,
             owner = excluded.owner, owner_id = excluded.owner_id, updated_at = now()
       returning id`,
      values,
    );
    return rows[0]!.id;
  } catch (error) {
    const mapped = fromDbError(error);
    if (mapped?.code === "ResourceAlreadyExists") throw ERRORS.keyAlreadyExists();
    throw mapped ?? error;
  }
}

async function findObject(client: pg.Pool | pg.PoolClient, bucketId: string, key: string): Promise<ObjectRow | undefined> {
  const { rows } = await client.query<ObjectRow>(
    `select id, name, bucket_id, version, metadata, user_metadata, created_at, updated_at, last_accessed_at
       from storage.objects where bucket_id = $1 and name = $2`,
    [bucketId, key],
  );
  return rows[0];
}

/** storage-api's validateMimeType: exact type/subtype, or `type/*`. */
function validateMimeType(mimeType: string, allowed: string[]): void {
  const [type, subtype] = mimeType.split("/");
  if (!type || subtype === undefined) throw ERRORS.invalidMimeType(mimeType);
  for (const entry of allowed) {
    const [allowedType, allowedSubtype] = entry.split("/");
    if (allowedType === type && (allowedSubtype === "*" || allowedSubtype === subtype)) return;
  }
  throw ERRORS.invalidMimeType(mimeType);
}

function parseJsonObject(text: string | undefined): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function parseExpiresIn(value: unknown): number {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
    throw ERRORS.validation("body/expiresIn must be >= 1");
  }
  return n;
}

function toInt(value: unknown, fallback: number): number {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? Math.trunc(n) : fallback;
}

function jwtFailureMessage(token: string, reason: "expired" | "invalid"): string {
  if (reason === "expired") return "jwt expired";
  return token.split(".").length === 3 ? "invalid signature" : "jwt malformed";
}

function parseRange(value: string | undefined, size: number): { start: number; end: number } | null | "invalid" {
  if (!value) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!match || (match[1] === "" && match[2] === "")) return "invalid";
  let start: number;
  let end: number;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    start = Math.max(size - suffix, 0);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start > end || start >= size) return "invalid";
  return { start, end };
}

function renderBucket(row: BucketRow) {
  return {
    id: row.id,
    name: row.name,
    owner: row.owner ?? row.owner_id ?? "",
    public: Boolean(row.public),
    file_size_limit: row.file_size_limit == null ? null : Number(row.file_size_limit),
    allowed_mime_types: row.allowed_mime_types,
    created_at: row.created_at,
    updated_at: row.updated_at,
    type: "STANDARD",
  };
}

interface ListEntry {
  name: string;
  id: string | null;
  updated_at: Date | null;
  created_at: Date | null;
  last_accessed_at: Date | null;
  metadata: ObjectMetadata | null;
}

/**
 * storage.search as the `list()` call uses it: names relative to `prefix`;
 * anything deeper collapses into one folder entry (id and timestamps null).
 * Sorted by name (case-insensitive, byte order) with folders in place, or by
 * another column with folders first.
 */
function listEntries(
  rows: ObjectRow[],
  prefix: string,
  search: string,
  column: "name" | "updated_at" | "created_at" | "last_accessed_at",
  ascending: boolean,
): ListEntry[] {
  const matchLength = prefix.length + search.length;
  const folders = new Map<string, ListEntry & { sortKey: string }>();
  const files: Array<ListEntry & { sortKey: string }> = [];
  for (const row of rows) {
    const slash = row.name.indexOf("/", matchLength);
    if (slash >= 0) {
      const name = row.name.slice(prefix.length, slash);
      if (!folders.has(name.toLowerCase())) {
        folders.set(name.toLowerCase(), {
          name,
          id: null,
          updated_at: null,
          created_at: null,
          last_accessed_at: null,
          metadata: null,
          sortKey: `${row.name.slice(0, slash + 1).toLowerCase()}`,
        });
      }
    } else {
      files.push({
        name: row.name.slice(prefix.length),
        id: row.id,
        updated_at: row.updated_at,
        created_at: row.created_at,
        last_accessed_at: row.last_accessed_at,
        metadata: row.metadata,
        sortKey: row.name.toLowerCase(),
      });
    }
  }
  const byKey = (a: { sortKey: string }, b: { sortKey: string }) =>
    (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0) * (ascending ? 1 : -1);
  let entries: Array<ListEntry & { sortKey: string }>;
  if (column === "name") {
    entries = [...folders.values(), ...files].sort(byKey);
  } else {
    const time = (d: Date | null) => (d ? d.getTime() : 0);
    entries = [
      ...[...folders.values()].sort(byKey),
      ...files.sort((a, b) => (time(a[column]) - time(b[column])) * (ascending ? 1 : -1) || byKey(a, b)),
    ];
  }
  return entries.map(({ sortKey: _sortKey, ...entry }) => entry);
}
