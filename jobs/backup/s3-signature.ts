// AWS Signature Version 4 for the S3 requests the backup target makes
// (./s3-target.ts), on node:crypto alone: canonical request → string to sign
// → HMAC chain of the secret over date, region and service. Pure: the same
// code signs our requests and, in the tests, checks them on the server side.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
import { createHash, createHmac } from "node:crypto";

export const EMPTY_PAYLOAD_SHA256 = createHash("sha256").update("").digest("hex");

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** "s3" for S3; the generic AWS test suite signs for "service". */
  service: string;
}

export interface RequestToSign {
  method: string;
  url: URL;
  /** Header names in any case; every one given is signed (host is taken from the URL when absent). */
  headers: Record<string, string>;
  /** Hex sha256 of the body, or UNSIGNED-PAYLOAD. */
  payloadHash: string;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** RFC 3986 percent-encoding, as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** "20130524T000000Z" */
export function amzDate(at: Date): string {
  return at
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "");
}

function canonicalHeaders(request: RequestToSign): [string, string][] {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(request.headers)) headers.set(name.toLowerCase(), value.trim().replace(/\s+/g, " "));
  if (!headers.has("host")) headers.set("host", request.url.host);
  return [...headers].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function canonicalRequest(request: RequestToSign): string {
  // S3 encodes each path segment once (no double encoding, unlike other services); the URL keeps them decoded-safe.
  const uri = request.url.pathname
    .split("/")
    .map((segment) => encodeRfc3986(decodeURIComponent(segment)))
    .join("/");
  const query = [...request.url.searchParams]
    .map(([key, value]) => [encodeRfc3986(key), encodeRfc3986(value)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join("&");
  const headers = canonicalHeaders(request);
  return [
    request.method.toUpperCase(),
    uri || "/",
    query,
    headers.map(([name, value]) => `${name}:${value}\n`).join(""),
    headers.map(([name]) => name).join(";"),
    request.payloadHash,
  ].join("\n");
}

export function signedHeaderNames(request: RequestToSign): string {
  return canonicalHeaders(request)
    .map(([name]) => name)
    .join(";");
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

/** The hex signature of a request whose headers already carry x-amz-date. */
export function signature(request: RequestToSign, credentials: SigningCredentials, at: Date): string {
  const stamp = amzDate(at);
  const day = stamp.slice(0, 8);
  const scope = `${day}/${credentials.region}/${credentials.service}/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", stamp, scope, sha256Hex(canonicalRequest(request))].join("\n");
  let key = hmac(`AWS4${credentials.secretAccessKey}`, day);
  for (const part of [credentials.region, credentials.service, "aws4_request"]) key = hmac(key, part);
  return createHmac("sha256", key).update(toSign).digest("hex");
}

export function authorizationHeader(request: RequestToSign, credentials: SigningCredentials, at: Date): string {
  const scope = `${amzDate(at).slice(0, 8)}/${credentials.region}/${credentials.service}/aws4_request`;
  return (
    `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, ` +
    `SignedHeaders=${signedHeaderNames(request)}, Signature=${signature(request, credentials, at)}`
  );
}

/** The headers to send: the given ones, x-amz-date, x-amz-content-sha256 and Authorization. */
export function signRequest(
  request: Omit<RequestToSign, "headers"> & { headers?: Record<string, string> },
  credentials: SigningCredentials,
  at: Date,
): Record<string, string> {
  const headers: Record<string, string> = {
    ...request.headers,
    host: request.url.host,
    "x-amz-date": amzDate(at),
    "x-amz-content-sha256": request.payloadHash,
  };
  const full = { ...request, headers };
  return { ...headers, authorization: authorizationHeader(full, credentials, at) };
}
