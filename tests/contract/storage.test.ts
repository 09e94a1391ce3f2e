// Contract tests for the Storage service through the real supabase-js, as the
// app uses it for trade screenshots. They hold against the local server and,
// with SUPABASE_TEST_URL (+ SUPABASE_TEST_DB_URL to arrange buckets and
// policies), against a real Supabase; disk checks run locally only.
import { existsSync, readdirSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createClient } from "@supabase/supabase-js";
import { signJwt } from "../../supabase/local/jwt.ts";
import { startSupabaseForTests } from "../support/local-supabase.ts";
import { anonClient, arrangePool, clientWithToken, createOwnFolderBucket, createTestUser, type TestUser } from "./storage-support.ts";

const BUCKET = "test-screenshots";
const WILDCARD_BUCKET = "test-any-image";
const PUBLIC_BUCKET = "test-public";
const FIVE_MB = 5 * 1024 * 1024;

const sut = await startSupabaseForTests();
const pool = arrangePool(sut);
const storageDir = sut.local?.ctx.config.storageDir ?? null;

type ApiError = { statusCode?: string; status?: number; code?: string; message: string };
const apiError = (error: unknown) => error as ApiError;

/** A tiny valid PNG header followed by some distinguishing bytes. */
function png(tag: string, size?: number): Uint8Array<ArrayBuffer> {
  const header = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  const body = new TextEncoder().encode(tag);
  const bytes = new Uint8Array(size ?? header.length + body.length);
  bytes.set(header, 0);
  bytes.set(body.subarray(0, Math.max(0, bytes.length - header.length)), header.length);
  return bytes;
}

function onDisk(bucket: string, key: string): string {
  return path.join(storageDir!, bucket, ...key.split("/"));
}

async function bytesOf(blob: Blob | null): Promise<Uint8Array> {
  if (!blob) throw new Error("no blob");
  return new Uint8Array(await blob.arrayBuffer());
}

async function rowOf(bucket: string, name: string) {
  const { rows } = await pool!.query("select id, owner, owner_id, metadata, version from storage.objects where bucket_id = $1 and name = $2", [
    bucket,
    name,
  ]);
  return rows[0] as { id: string; owner: string | null; owner_id: string | null; metadata: Record<string, unknown>; version: string } | undefined;
}

/** A request whose path is sent exactly as written (fetch would normalise it). */
function rawRequest(method: string, rawPath: string, body: Uint8Array): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      sut.url + "/",
      {
        method,
        path: rawPath,
        headers: {
          apikey: sut.anonKey,
          authorization: `Bearer ${alice.accessToken}`,
          "content-type": "image/png",
          "content-length": body.length,
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

let alice: TestUser;
let bob: TestUser;

describe.skipIf(!pool)("storage contract (supabase-js)", () => {
  beforeAll(async () => {
    await createOwnFolderBucket(pool!, BUCKET, {
      fileSizeLimit: FIVE_MB,
      allowedMimeTypes: ["image/png", "image/jpeg", "image/webp"],
    });
    await createOwnFolderBucket(pool!, WILDCARD_BUCKET, { fileSizeLimit: 1024 * 1024, allowedMimeTypes: ["image/*"] });
    await pool!.query(`insert into storage.buckets (id, name, public) values ($1, $1, true) on conflict (id) do update set public = true`, [
      PUBLIC_BUCKET,
    ]);
    alice = await createTestUser(sut, "alice");
    bob = await createTestUser(sut, "bob");
  });

  describe("upload and download", () => {
    it("uploads a Blob (multipart) into the own folder and downloads the same bytes", async () => {
      const key = `${alice.id}/trade-1.png`;
      const bytes = png("trade-1");
      const { data, error } = await alice.client.storage.from(BUCKET).upload(key, new Blob([bytes], { type: "image/png" }));
      expect(error).toBeNull();
      expect(data).toMatchObject({ path: key, fullPath: `${BUCKET}/${key}` });
      expect(data!.id).toMatch(/^[0-9a-f-]{36}$/);

      const download = await alice.client.storage.from(BUCKET).download(key);
      expect(download.error).toBeNull();
      expect(await bytesOf(download.data)).toEqual(bytes);
      expect(download.data!.type).toBe("image/png");

      const row = await rowOf(BUCKET, key);
      expect(row).toMatchObject({ id: data!.id, owner: alice.id, owner_id: alice.id });
      expect(row!.metadata).toMatchObject({
        size: bytes.length,
        contentLength: bytes.length,
        mimetype: "image/png",
        cacheControl: "max-age=3600",
        httpStatusCode: 200,
      });
      expect(row!.metadata.eTag).toMatch(/^"[0-9a-f]{32}"$/);
      expect(new Date(String(row!.metadata.lastModified)).getTime()).not.toBeNaN();
      if (storageDir) expect(existsSync(onDisk(BUCKET, key))).toBe(true);
    });

    it("uploads a raw body with content-type and cache-control", async () => {
      const key = `${alice.id}/raw.jpg`;
      const bytes = png("raw-jpeg-bytes");
      const { error } = await alice.client.storage.from(BUCKET).upload(key, bytes, { contentType: "image/jpeg", cacheControl: "60" });
      expect(error).toBeNull();
      const row = await rowOf(BUCKET, key);
      expect(row!.metadata).toMatchObject({ mimetype: "image/jpeg", cacheControl: "max-age=60", size: bytes.length });

      // The bytes come back with the stored headers.
      const res = await fetch(`${sut.url}/storage/v1/object/authenticated/${BUCKET}/${key}`, {
        headers: { apikey: sut.anonKey, authorization: `Bearer ${alice.accessToken}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/jpeg");
      expect(res.headers.get("cache-control")).toBe("max-age=60");
      expect(res.headers.get("etag")).toBe(row!.metadata.eTag);
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);

      const headers = { apikey: sut.anonKey, authorization: `Bearer ${alice.accessToken}` };
      const ranged = await fetch(`${sut.url}/storage/v1/object/authenticated/${BUCKET}/${key}`, {
        headers: { ...headers, range: "bytes=2-5" },
      });
      expect(ranged.status).toBe(206);
      expect(new Uint8Array(await ranged.arrayBuffer())).toEqual(bytes.subarray(2, 6));
      const cached = await fetch(`${sut.url}/storage/v1/object/authenticated/${BUCKET}/${key}`, {
        headers: { ...headers, "if-none-match": String(row!.metadata.eTag) },
      });
      expect(cached.status).toBe(304);
    });

    it("streams a body of unknown length", async () => {
      const key = `${alice.id}/streamed.png`;
      const bytes = png("streamed-body", 300_000);
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes.subarray(0, 100_000));
          controller.enqueue(bytes.subarray(100_000));
          controller.close();
        },
      });
      const { error } = await alice.client.storage.from(BUCKET).upload(key, stream, { contentType: "image/png" });
      expect(error).toBeNull();
      const back = await bytesOf((await alice.client.storage.from(BUCKET).download(key)).data);
      expect(Buffer.from(back).equals(Buffer.from(bytes))).toBe(true);
    });

    it("uploads FormData as storage-js forwards it", async () => {
      const key = `${alice.id}/form.webp`;
      const form = new FormData();
      form.append("file", new Blob([png("form")], { type: "image/webp" }), "form.webp");
      const { error } = await alice.client.storage.from(BUCKET).upload(key, form);
      expect(error).toBeNull();
      const row = await rowOf(BUCKET, key);
      expect(row!.metadata).toMatchObject({ mimetype: "image/webp" });
    });

    it("refuses an existing key without upsert (409 Duplicate) and keeps the original", async () => {
      const key = `${alice.id}/dup.png`;
      const original = png("original");
      expect((await alice.client.storage.from(BUCKET).upload(key, original, { contentType: "image/png" })).error).toBeNull();
      const again = await alice.client.storage.from(BUCKET).upload(key, png("second"), { contentType: "image/png" });
      expect(again.data).toBeNull();
      expect(apiError(again.error)).toMatchObject({ statusCode: "409", message: "The resource already exists" });
      expect(apiError(again.error).status).toBe(400);
      expect(await bytesOf((await alice.client.storage.from(BUCKET).download(key)).data)).toEqual(original);
    });

    it("replaces the object with upsert and with update()", async () => {
      const key = `${alice.id}/upsert.png`;
      const first = await alice.client.storage.from(BUCKET).upload(key, png("v1"), { contentType: "image/png" });
      expect(first.error).toBeNull();
      const versionBefore = (await rowOf(BUCKET, key))!.version;

      const second = await alice.client.storage.from(BUCKET).upload(key, png("version-2"), { contentType: "image/png", upsert: true });
      expect(second.error).toBeNull();
      expect(second.data!.id).toBe(first.data!.id);
      expect(await bytesOf((await alice.client.storage.from(BUCKET).download(key)).data)).toEqual(png("version-2"));
      expect((await rowOf(BUCKET, key))!.version).not.toBe(versionBefore);

      const third = await alice.client.storage.from(BUCKET).update(key, new Blob([png("v3")], { type: "image/png" }));
      expect(third.error).toBeNull();
      expect(await bytesOf((await alice.client.storage.from(BUCKET).download(key)).data)).toEqual(png("v3"));
    });

    it("reports a missing object as NoSuchKey (statusCode 404 in a 400)", async () => {
      const { data, error } = await alice.client.storage.from(BUCKET).download(`${alice.id}/nope.png`);
      expect(data).toBeNull();
      expect(apiError(error)).toMatchObject({ status: 400, statusCode: "404", code: "NoSuchKey" });
      const exists = await alice.client.storage.from(BUCKET).exists(`${alice.id}/nope.png`);
      expect(exists.data).toBe(false);
      expect((await alice.client.storage.from(BUCKET).exists(`${alice.id}/trade-1.png`)).data).toBe(true);
    });
  });

  describe("isolation between users (RLS)", () => {
    const key = () => `${alice.id}/private.png`;

    beforeAll(async () => {
      const { error } = await alice.client.storage.from(BUCKET).upload(key(), png("secret"), { contentType: "image/png" });
      expect(error).toBeNull();
    });

    it("user B cannot download, list, sign or delete user A's screenshot", async () => {
      const download = await bob.client.storage.from(BUCKET).download(key());
      expect(download.data).toBeNull();
      expect(apiError(download.error)).toMatchObject({ statusCode: "404", code: "NoSuchKey" });

      const list = await bob.client.storage.from(BUCKET).list(alice.id);
      expect(list.error).toBeNull();
      expect(list.data).toEqual([]);

      const signed = await bob.client.storage.from(BUCKET).createSignedUrl(key(), 60);
      expect(signed.data).toBeNull();
      expect(apiError(signed.error)).toMatchObject({ statusCode: "404" });

      const signedMany = await bob.client.storage.from(BUCKET).createSignedUrls([key()], 60);
      expect(signedMany.error).toBeNull();
      expect(signedMany.data![0]).toMatchObject({ path: key(), signedURL: null, signedUrl: null });
      expect(signedMany.data![0]!.error).toBeTruthy();

      const removed = await bob.client.storage.from(BUCKET).remove([key()]);
      expect(removed.error).toBeNull();
      expect(removed.data).toEqual([]);

      expect(await rowOf(BUCKET, key())).toBeDefined();
      if (storageDir) expect(existsSync(onDisk(BUCKET, key()))).toBe(true);
      expect(await bytesOf((await alice.client.storage.from(BUCKET).download(key())).data)).toEqual(png("secret"));
    });

    it("user B cannot upload into (or overwrite in) user A's folder, and nothing reaches the disk", async () => {
      const intruder = `${alice.id}/planted.png`;
      const plain = await bob.client.storage.from(BUCKET).upload(intruder, png("evil"), { contentType: "image/png" });
      expect(plain.data).toBeNull();
      expect(apiError(plain.error)).toMatchObject({
        status: 400,
        statusCode: "403",
        code: "AccessDenied",
        message: "new row violates row-level security policy",
      });

      const blob = await bob.client.storage.from(BUCKET).upload(intruder, new Blob([png("evil")], { type: "image/png" }));
      expect(apiError(blob.error)).toMatchObject({ statusCode: "403" });

      const overwrite = await bob.client.storage.from(BUCKET).upload(key(), png("evil"), { contentType: "image/png", upsert: true });
      expect(apiError(overwrite.error)).toMatchObject({ statusCode: "403" });

      expect(await rowOf(BUCKET, intruder)).toBeUndefined();
      expect(await bytesOf((await alice.client.storage.from(BUCKET).download(key())).data)).toEqual(png("secret"));
      if (storageDir) {
        expect(existsSync(onDisk(BUCKET, intruder))).toBe(false);
        expect(readdirSync(path.join(storageDir, ".staging"))).toEqual([]);
      }
    });

    it("anon cannot read or write the private bucket", async () => {
      const anon = anonClient(sut);
      const download = await anon.storage.from(BUCKET).download(key());
      expect(apiError(download.error)).toMatchObject({ statusCode: "404" });
      const list = await anon.storage.from(BUCKET).list(alice.id);
      expect(list.data).toEqual([]);
      const upload = await anon.storage.from(BUCKET).upload(`${alice.id}/anon.png`, png("anon"), {
        contentType: "image/png",
      });
      expect(apiError(upload.error)).toMatchObject({ statusCode: "403" });
      // No Authorization at all: the plain object route treats it as anon, the
      // authenticated one refuses.
      const plain = await fetch(`${sut.url}/storage/v1/object/${BUCKET}/${key()}`, { headers: { apikey: sut.anonKey } });
      expect(plain.status).toBe(400);
      expect(await plain.json()).toMatchObject({ statusCode: "404", code: "NoSuchBucket" });
      const auth = await fetch(`${sut.url}/storage/v1/object/authenticated/${BUCKET}/${key()}`, {
        headers: { apikey: sut.anonKey },
      });
      expect(await auth.json()).toMatchObject({ statusCode: "403", code: "AccessDenied" });
    });

    it("needs only an INSERT policy for a plain upload, and INSERT+SELECT+UPDATE for upsert", async () => {
      const bucket = "test-insert-only";
      await pool!.query(`insert into storage.buckets (id, name) values ($1, $1) on conflict do nothing`, [bucket]);
      await pool!.query(`drop policy if exists test_insert_only_insert on storage.objects`);
      await pool!.query(
        `create policy test_insert_only_insert on storage.objects for insert to authenticated
           with check (bucket_id = '${bucket}' and owner_id = (select auth.uid())::text)`,
      );
      const plain = await alice.client.storage.from(bucket).upload("drop.png", png("drop"), { contentType: "image/png" });
      expect(plain.error).toBeNull();
      expect(await rowOf(bucket, "drop.png")).toMatchObject({ owner_id: alice.id });
      const upsert = await alice.client.storage.from(bucket).upload("drop2.png", png("drop"), { contentType: "image/png", upsert: true });
      expect(apiError(upsert.error)).toMatchObject({ statusCode: "403", code: "AccessDenied" });
      const read = await alice.client.storage.from(bucket).download("drop.png");
      expect(apiError(read.error)).toMatchObject({ statusCode: "404" });
    });

    it("removes the own file: row and bytes are gone", async () => {
      const own = `${alice.id}/to-delete.png`;
      expect((await alice.client.storage.from(BUCKET).upload(own, png("bye"), { contentType: "image/png" })).error).toBeNull();
      const removed = await alice.client.storage.from(BUCKET).remove([own, `${alice.id}/does-not-exist.png`]);
      expect(removed.error).toBeNull();
      expect(removed.data).toHaveLength(1);
      expect(removed.data![0]).toMatchObject({ name: own, bucket_id: BUCKET });
      expect(await rowOf(BUCKET, own)).toBeUndefined();
      if (storageDir) expect(existsSync(onDisk(BUCKET, own))).toBe(false);
      const download = await alice.client.storage.from(BUCKET).download(own);
      expect(apiError(download.error)).toMatchObject({ statusCode: "404" });
    });
  });

  describe("bucket limits", () => {
    it("refuses a file over the bucket's size limit (EntityTooLarge, 413) and leaves nothing", async () => {
      const key = `${alice.id}/huge.png`;
      const big = png("huge", FIVE_MB + 1);
      const raw = await alice.client.storage.from(BUCKET).upload(key, big, { contentType: "image/png" });
      expect(apiError(raw.error)).toMatchObject({ status: 400, statusCode: "413", code: "EntityTooLarge" });
      const blob = await alice.client.storage.from(BUCKET).upload(key, new Blob([big], { type: "image/png" }));
      expect(apiError(blob.error)).toMatchObject({ statusCode: "413", code: "EntityTooLarge" });
      expect(await rowOf(BUCKET, key)).toBeUndefined();
      if (storageDir) expect(existsSync(onDisk(BUCKET, key))).toBe(false);

      // A streamed body has no content-length: the limit is enforced while reading.
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let offset = 0; offset < big.length; offset += 1024 * 1024) {
            controller.enqueue(big.subarray(offset, offset + 1024 * 1024));
          }
          controller.close();
        },
      });
      const streamed = await alice.client.storage.from(BUCKET).upload(key, stream, { contentType: "image/png" });
      expect(apiError(streamed.error)).toMatchObject({ statusCode: "413", code: "EntityTooLarge" });
      if (storageDir) expect(readdirSync(path.join(storageDir, ".staging"))).toEqual([]);

      const exact = await alice.client.storage.from(BUCKET).upload(`${alice.id}/exact.png`, png("exact", FIVE_MB), { contentType: "image/png" });
      expect(exact.error).toBeNull();
    });

    it("refuses a MIME type the bucket does not allow (InvalidMimeType, 415)", async () => {
      const text = await alice.client.storage.from(BUCKET).upload(`${alice.id}/notes.txt`, "hello", { contentType: "text/plain" });
      expect(apiError(text.error)).toMatchObject({ status: 400, statusCode: "415", code: "InvalidMimeType" });
      // storage-js's default content type for raw bodies is text/plain too.
      const defaulted = await alice.client.storage.from(BUCKET).upload(`${alice.id}/default.png`, "hello");
      expect(apiError(defaulted.error)).toMatchObject({ statusCode: "415" });
      const blob = await alice.client.storage.from(BUCKET).upload(`${alice.id}/doc.pdf`, new Blob(["%PDF"], { type: "application/pdf" }));
      expect(apiError(blob.error)).toMatchObject({ statusCode: "415" });
      expect(await rowOf(BUCKET, `${alice.id}/notes.txt`)).toBeUndefined();
    });

    it("accepts any subtype in a `type/*` bucket and nothing else", async () => {
      const gif = await alice.client.storage
        .from(WILDCARD_BUCKET)
        .upload(`${alice.id}/anim.gif`, new Blob([new Uint8Array([0x47, 0x49, 0x46])], { type: "image/gif" }));
      expect(gif.error).toBeNull();
      const svg = await alice.client.storage.from(WILDCARD_BUCKET).upload(`${alice.id}/logo.svg`, "<svg/>", { contentType: "image/svg+xml" });
      expect(svg.error).toBeNull();
      const pdf = await alice.client.storage.from(WILDCARD_BUCKET).upload(`${alice.id}/doc.pdf`, "%PDF", { contentType: "application/pdf" });
      expect(apiError(pdf.error)).toMatchObject({ statusCode: "415", code: "InvalidMimeType" });
    });
  });

  describe("signed URLs", () => {
    const key = () => `${alice.id}/signed.png`;

    beforeAll(async () => {
      const { error } = await alice.client.storage.from(BUCKET).upload(key(), png("signed"), { contentType: "image/png" });
      expect(error).toBeNull();
    });

    it("gives a URL that works without any auth", async () => {
      const { data, error } = await alice.client.storage.from(BUCKET).createSignedUrl(key(), 60);
      expect(error).toBeNull();
      expect(data!.signedUrl).toContain(`${sut.url}/storage/v1/object/sign/${BUCKET}/${key()}?token=`);
      const res = await fetch(data!.signedUrl);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/png");
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(png("signed"));

      const token = new URL(data!.signedUrl).searchParams.get("token")!;
      const payload = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8"));
      expect(payload).toMatchObject({ url: `${BUCKET}/${key()}` });
      expect(payload.exp - payload.iat).toBe(60);

      const download = await fetch(`${data!.signedUrl}&download=shot.png`);
      expect(download.headers.get("content-disposition")).toContain("shot.png");
    });

    it("signs several paths at once", async () => {
      const { data, error } = await alice.client.storage.from(BUCKET).createSignedUrls([key(), `${alice.id}/missing.png`], 60);
      expect(error).toBeNull();
      expect(data![0]).toMatchObject({ path: key(), error: null });
      expect((await fetch(data![0]!.signedUrl!)).status).toBe(200);
      expect(data![1]).toMatchObject({ path: `${alice.id}/missing.png`, signedUrl: null });
    });

    it("fails after expiry", async () => {
      const { data } = await alice.client.storage.from(BUCKET).createSignedUrl(key(), 1);
      await new Promise((r) => setTimeout(r, 2100));
      const res = await fetch(data!.signedUrl);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ statusCode: "400", code: "InvalidJWT", message: "jwt expired" });
    });

    it("fails with a tampered token or another object's token", async () => {
      const { data } = await alice.client.storage.from(BUCKET).createSignedUrl(key(), 60);
      const url = new URL(data!.signedUrl);
      const token = url.searchParams.get("token")!;
      const [h, p, s] = token.split(".") as [string, string, string];
      const payload = JSON.parse(Buffer.from(p, "base64url").toString("utf8"));
      payload.exp += 3600;
      url.searchParams.set("token", `${h}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${s}`);
      const tampered = await fetch(url);
      expect(tampered.status).toBe(400);
      expect(await tampered.json()).toMatchObject({ statusCode: "400", code: "InvalidJWT" });

      const other = await fetch(`${sut.url}/storage/v1/object/sign/${BUCKET}/${alice.id}/trade-1.png?token=${encodeURIComponent(token)}`);
      expect(await other.json()).toMatchObject({ statusCode: "400", code: "InvalidSignature" });

      const missing = await fetch(`${sut.url}/storage/v1/object/sign/${BUCKET}/${key()}`);
      expect(missing.status).toBe(400);
    });
  });

  describe("list", () => {
    beforeAll(async () => {
      for (const name of ["b.png", "a.png", "sub/c.png", "sub/deeper/d.png", "Sub2/e.png"]) {
        const { error } = await alice.client.storage
          .from(WILDCARD_BUCKET)
          .upload(`${alice.id}/gallery/${name}`, png(name), { contentType: "image/png" });
        expect(error).toBeNull();
      }
    });

    it("lists a prefix with files and folders (folders have id null)", async () => {
      const { data, error } = await alice.client.storage.from(WILDCARD_BUCKET).list(`${alice.id}/gallery`);
      expect(error).toBeNull();
      expect(data!.map((e) => e.name)).toEqual(["a.png", "b.png", "sub", "Sub2"]);
      const folder = data!.find((e) => e.name === "sub")!;
      expect(folder).toMatchObject({ id: null, updated_at: null, created_at: null, metadata: null });
      const file = data!.find((e) => e.name === "a.png")!;
      expect(file.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(file.metadata).toMatchObject({ mimetype: "image/png", size: png("a.png").length });
      expect(typeof file.created_at).toBe("string");

      const sub = await alice.client.storage.from(WILDCARD_BUCKET).list(`${alice.id}/gallery/sub/`);
      expect(sub.data!.map((e) => [e.name, e.id === null])).toEqual([
        ["c.png", false],
        ["deeper", true],
      ]);
    });

    it("honours limit, offset, sortBy and search", async () => {
      const prefix = `${alice.id}/gallery`;
      const page = await alice.client.storage.from(WILDCARD_BUCKET).list(prefix, { limit: 2, offset: 1 });
      expect(page.data!.map((e) => e.name)).toEqual(["b.png", "sub"]);
      const desc = await alice.client.storage.from(WILDCARD_BUCKET).list(prefix, { sortBy: { column: "name", order: "desc" } });
      expect(desc.data!.map((e) => e.name)).toEqual(["Sub2", "sub", "b.png", "a.png"]);
      const search = await alice.client.storage.from(WILDCARD_BUCKET).list(prefix, { search: "s" });
      expect(search.data!.map((e) => e.name)).toEqual(["sub", "Sub2"]);
      const byCreated = await alice.client.storage.from(WILDCARD_BUCKET).list(prefix, { sortBy: { column: "created_at", order: "asc" } });
      expect(byCreated.data!.slice(0, 2).every((e) => e.id === null)).toBe(true);
      expect(byCreated.data!.slice(2).map((e) => e.name)).toEqual(["b.png", "a.png"]);
    });

    it("lists the user's root folder", async () => {
      const root = await alice.client.storage.from(WILDCARD_BUCKET).list();
      expect(root.data!.map((e) => e.name)).toEqual([alice.id]);
      expect((await bob.client.storage.from(WILDCARD_BUCKET).list()).data).toEqual([]);
    });
  });

  describe("paths and credentials", () => {
    it("rejects path traversal in keys", async () => {
      for (const key of [
        `${alice.id}/..%2F..%2Fescape.png`,
        `${alice.id}/%2E%2E%2F%2E%2E%2F%2E%2E%2Fescape.png`,
        `${alice.id}/..%5C..%5Cescape.png`,
        `${alice.id}/a%00b.png`,
        `%2F${alice.id}/abs.png`,
      ]) {
        const res = await fetch(`${sut.url}/storage/v1/object/${BUCKET}/${key}`, {
          method: "POST",
          headers: {
            apikey: sut.anonKey,
            authorization: `Bearer ${alice.accessToken}`,
            "content-type": "image/png",
          },
          body: png("escape"),
        });
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({ statusCode: "400", code: "InvalidKey" });
      }
      const viaClient = await alice.client.storage
        .from(BUCKET)
        .upload(`${alice.id}/..%2F..%2Fescape.png`, png("escape"), { contentType: "image/png" });
      expect(apiError(viaClient.error)).toMatchObject({ code: "InvalidKey" });
      const download = await alice.client.storage.from(BUCKET).download(`${alice.id}/..%2F..%2F..%2Fetc/passwd`);
      expect(apiError(download.error)).toMatchObject({ code: "InvalidKey" });
      // Literal dot segments never reach the service as such: the URL is normalised first.
      const literal = await rawRequest("POST", `/storage/v1/object/${BUCKET}/${alice.id}/../../../escape.png`, png("escape"));
      expect(literal).not.toBe(200);
      if (storageDir) {
        expect(existsSync(path.join(storageDir, "escape.png"))).toBe(false);
        expect(existsSync(path.join(storageDir, BUCKET, "escape.png"))).toBe(false);
        expect(existsSync(path.join(path.dirname(storageDir), "escape.png"))).toBe(false);
      }
    });

    it("refuses bad, expired or foreign JWTs as AccessDenied", async () => {
      const upload = (token: string) =>
        clientWithToken(sut, token).storage.from(BUCKET).upload(`${alice.id}/jwt.png`, png("jwt"), { contentType: "image/png" });

      const [h, p, s] = alice.accessToken.split(".") as [string, string, string];
      const tampered = await upload(`${h}.${p}.${s.slice(0, -2)}xx`);
      expect(apiError(tampered.error)).toMatchObject({ status: 400, statusCode: "403", code: "AccessDenied" });

      if (sut.jwtSecret) {
        const now = Math.floor(Date.now() / 1000);
        const expired = await signJwt(sut.jwtSecret, {
          sub: alice.id,
          role: "authenticated",
          aud: "authenticated",
          iat: now - 7200,
          exp: now - 3600,
        });
        const res = await upload(expired);
        expect(apiError(res.error)).toMatchObject({ statusCode: "403", code: "AccessDenied", message: "jwt expired" });
        const foreign = await signJwt("another-secret-with-at-least-32-characters!!", {
          sub: alice.id,
          role: "service_role",
          exp: now + 3600,
        });
        expect(apiError((await upload(foreign)).error)).toMatchObject({ statusCode: "403" });
      }
      expect(await rowOf(BUCKET, `${alice.id}/jwt.png`)).toBeUndefined();
    });

    it("requires an apikey on API routes (not on signed or public URLs)", async () => {
      const res = await fetch(`${sut.url}/storage/v1/object/list/${BUCKET}`, {
        method: "POST",
        headers: { authorization: `Bearer ${alice.accessToken}`, "content-type": "application/json" },
        body: JSON.stringify({ prefix: alice.id }),
      });
      expect(res.status).toBe(401);
    });
  });

  describe("service role and public buckets", () => {
    it("service role reads any object and lists/gets buckets", async () => {
      const admin = createClient(sut.url, sut.serviceRoleKey, {
        auth: { persistSession: false, autoRefreshToken: false },
      });
      const { data, error } = await admin.storage.from(BUCKET).download(`${alice.id}/trade-1.png`);
      expect(error).toBeNull();
      expect(await bytesOf(data)).toEqual(png("trade-1"));

      const buckets = await admin.storage.listBuckets();
      expect(buckets.error).toBeNull();
      expect(buckets.data!.map((b) => b.id)).toEqual(expect.arrayContaining([BUCKET, WILDCARD_BUCKET, PUBLIC_BUCKET]));
      const bucket = await admin.storage.getBucket(BUCKET);
      expect(bucket.data).toMatchObject({
        id: BUCKET,
        public: false,
        file_size_limit: FIVE_MB,
        allowed_mime_types: ["image/png", "image/jpeg", "image/webp"],
      });
      const missing = await admin.storage.getBucket("no-such-bucket");
      expect(apiError(missing.error)).toMatchObject({ statusCode: "404" });
    });

    it("serves public buckets without auth", async () => {
      const admin = createClient(sut.url, sut.serviceRoleKey, {
        auth: { persistSession: false, autoRefreshToken: false },
      });
      const up = await admin.storage.from(PUBLIC_BUCKET).upload("logos/app.png", png("logo"), { contentType: "image/png" });
      expect(up.error).toBeNull();
      const { data } = admin.storage.from(PUBLIC_BUCKET).getPublicUrl("logos/app.png");
      const res = await fetch(data.publicUrl);
      expect(res.status).toBe(200);
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(png("logo"));
      const privateViaPublic = await fetch(`${sut.url}/storage/v1/object/public/${BUCKET}/${alice.id}/trade-1.png`);
      expect(await privateViaPublic.json()).toMatchObject({ statusCode: "404", code: "NoSuchBucket" });
    });
  });
});
