// What an uploaded file really is, read from its first bytes: the format by
// its magic number and the pixel size from the format's own header. The
// declared content type and the file name are never trusted (a renamed
// executable says ".png"; an SVG says "image/svg+xml" and can carry script).
// Only PNG, JPEG and WebP are recognised; anything else is "unsupported".

export type ImageFormat = "png" | "jpeg" | "webp";

export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
}

export type ImageHeaderResult =
  | { ok: true; image: ImageHeader }
  /** unsupported: not PNG/JPEG/WebP by its bytes; malformed: the right magic but a header we cannot read. */
  | { ok: false; reason: "unsupported" | "malformed" };

export const CONTENT_TYPE: Record<ImageFormat, string> = { png: "image/png", jpeg: "image/jpeg", webp: "image/webp" };
export const EXTENSION: Record<ImageFormat, string> = { png: "png", jpeg: "jpg", webp: "webp" };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((byte, i) => bytes[at + i] === byte);
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  if (bytes.length < at + length) return "";
  return String.fromCharCode(...bytes.subarray(at, at + length));
}

const u16be = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u16le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u24le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
const u32be = (b: Uint8Array, at: number) => ((b[at]! << 24) >>> 0) + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!);
const u32le = (b: Uint8Array, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) + ((b[at + 3]! << 24) >>> 0);

const malformed: ImageHeaderResult = { ok: false, reason: "malformed" };

function sized(format: ImageFormat, width: number, height: number): ImageHeaderResult {
  if (!(width > 0 && height > 0)) return malformed;
  return { ok: true, image: { format, width, height } };
}

/** PNG: the signature, then IHDR first with width and height as big-endian u32. */
function readPng(bytes: Uint8Array): ImageHeaderResult {
  if (bytes.length < 24 || ascii(bytes, 12, 4) !== "IHDR") return malformed;
  return sized("png", u32be(bytes, 16), u32be(bytes, 20));
}

// Start-of-frame markers carry the size: C0–CF except DHT (C4), JPG (C8) and DAC (CC).
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
// Markers that stand alone, without a length: TEM, RST0–7.
const isStandalone = (marker: number) => marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);

/** JPEG: walk the marker segments after SOI up to the first start-of-frame. */
function readJpeg(bytes: Uint8Array): ImageHeaderResult {
  let at = 2;
  while (at < bytes.length) {
    if (bytes[at] !== 0xff) return malformed;
    while (bytes[at] === 0xff) at++; // fill bytes
    const marker = bytes[at];
    at++;
    if (marker === undefined || marker === 0xd9 || marker === 0xda) return malformed; // end of image or scan before any frame
    if (isStandalone(marker)) continue;
    if (at + 2 > bytes.length) return malformed;
    const length = u16be(bytes, at);
    if (length < 2) return malformed;
    if (isStartOfFrame(marker)) {
      if (at + 7 > bytes.length) return malformed;
      return sized("jpeg", u16be(bytes, at + 5), u16be(bytes, at + 3));
    }
    at += length;
  }
  return malformed;
}

/** WebP: RIFF/WEBP, then a VP8 (lossy), VP8L (lossless) or VP8X (extended) chunk. */
function readWebp(bytes: Uint8Array): ImageHeaderResult {
  const chunk = ascii(bytes, 12, 4);
  if (chunk === "VP8X") {
    if (bytes.length < 30) return malformed;
    return sized("webp", u24le(bytes, 24) + 1, u24le(bytes, 27) + 1);
  }
  if (chunk === "VP8L") {
    if (bytes.length < 25 || bytes[20] !== 0x2f) return malformed;
    const bits = u32le(bytes, 21);
    return sized("webp", (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === "VP8 ") {
    if (bytes.length < 30 || !startsWith(bytes, [0x9d, 0x01, 0x2a], 23)) return malformed;
    return sized("webp", u16le(bytes, 26) & 0x3fff, u16le(bytes, 28) & 0x3fff);
  }
  return malformed;
}

/** The image's format and size from its bytes, whatever it was called. */
export function readImageHeader(bytes: Uint8Array): ImageHeaderResult {
  if (startsWith(bytes, PNG_SIGNATURE)) return readPng(bytes);
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return readJpeg(bytes);
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WEBP") return readWebp(bytes);
  return { ok: false, reason: "unsupported" };
}
