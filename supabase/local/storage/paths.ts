// Bucket names and object keys as they arrive in URLs, and where the bytes
// live on disk: `<storageDir>/<bucket>/<key>`. Every key is checked before it
// touches the file system: no `..`/`.` segments, no absolute paths, no NUL or
// control characters, no backslashes and no empty segments (which would make
// two different keys share one file).
import path from "node:path";
import { ERRORS } from "./errors.ts";

/** Temporary uploads are staged here (same file system, so rename is atomic). */
export const STAGING_DIR_NAME = ".staging";

// storage-api's bucket-name pattern [storage src/storage/limits.ts isValidBucketName].
const BUCKET_NAME = /^(\w|!|-|\.|\*|'|\(|\)| |&|\$|@|=|;|:|\+|,|\?)*$/;

export function decodePathPart(raw: string, kind: "bucket" | "key"): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw kind === "bucket" ? ERRORS.invalidBucketName() : ERRORS.invalidKey(raw);
  }
}

export function validateBucketName(bucket: string): void {
  if (!bucket || bucket.length > 100 || bucket.trim() !== bucket || bucket.startsWith(".") || !BUCKET_NAME.test(bucket)) {
    throw ERRORS.invalidBucketName();
  }
}

export function validateObjectKey(key: string): void {
  const invalid =
    !key ||
    key.length > 1024 ||
    key.startsWith("/") ||
    key.includes("\\") ||
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f]/.test(key) ||
    key.split("/").some((segment) => segment === "" || segment === "." || segment === "..");
  if (invalid) throw ERRORS.invalidKey(key);
}

/** Absolute path of an object's bytes; throws unless it stays inside the bucket directory. */
export function objectFilePath(root: string, bucket: string, key: string): string {
  validateBucketName(bucket);
  validateObjectKey(key);
  const bucketDir = path.resolve(root, bucket);
  const file = path.resolve(bucketDir, ...key.split("/"));
  if (!file.startsWith(bucketDir + path.sep) || path.dirname(bucketDir) !== path.resolve(root)) {
    throw ERRORS.invalidKey(key);
  }
  return file;
}

export function isEmptyFolderPlaceholder(key: string): boolean {
  return key.endsWith(".emptyFolderPlaceholder");
}
