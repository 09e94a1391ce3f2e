// What a screenshot may be, on both sides of the upload: the browser shrinks
// an image to fit LONG_EDGE before sending it, and the server checks what
// arrives by its bytes (./image-header.ts) against these limits — the same
// limits the bucket and the journal_screenshots row enforce.
import { CONTENT_TYPE, EXTENSION, readImageHeader, type ImageFormat } from "./image-header.ts";

/** 5 MiB, the bucket's file_size_limit and the row's check. */
export const MAX_SCREENSHOT_BYTES = 5 * 1024 * 1024;
/** Per side, as the row's check; a header claiming more is refused before anything decodes it. */
export const MAX_SCREENSHOT_SIDE = 16_384;
/** 40 megapixels: a decompression bomb stays a refusal, not a 16k × 16k canvas in someone's browser. */
export const MAX_SCREENSHOT_PIXELS = 40_000_000;
/** The browser scales the long edge down to this before uploading. */
export const LONG_EDGE = 1920;
export const MAX_SCREENSHOTS_PER_ENTRY = 10;
export const MAX_CAPTION_LENGTH = 500;

export interface CheckedScreenshot {
  format: ImageFormat;
  contentType: string;
  extension: string;
  width: number;
  height: number;
  bytes: number;
}

export type ScreenshotRefusal = "empty" | "too_large" | "unsupported" | "damaged" | "too_many_pixels";

export type ScreenshotCheck = { ok: true; screenshot: CheckedScreenshot } | { ok: false; code: ScreenshotRefusal; message: string };

/** The refusal in words when only its code travelled (the no-JavaScript upload comes back through a redirect). */
export const REFUSAL_MESSAGE: Record<ScreenshotRefusal, string> = {
  empty: "That file is empty. Choose a PNG, JPEG or WebP image.",
  too_large: "That image is over 5 MB; screenshots can be up to 5 MB.",
  unsupported: "That file is not a PNG, JPEG or WebP image. Screenshots can only be one of those (SVG is not accepted).",
  damaged: "That image looks damaged: its header could not be read. Save it again and retry.",
  too_many_pixels: `That image is too big: screenshots can be up to 16,384 pixels a side and 40 megapixels.`,
};

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** The upload as the server will store it, or the sentence that says why not. */
export function checkScreenshot(bytes: Uint8Array): ScreenshotCheck {
  if (bytes.byteLength === 0) return { ok: false, code: "empty", message: REFUSAL_MESSAGE.empty };
  if (bytes.byteLength > MAX_SCREENSHOT_BYTES) {
    return { ok: false, code: "too_large", message: `That image is ${mb(bytes.byteLength)}; screenshots can be up to 5 MB.` };
  }
  const header = readImageHeader(bytes);
  if (!header.ok) {
    return header.reason === "unsupported"
      ? { ok: false, code: "unsupported", message: REFUSAL_MESSAGE.unsupported }
      : { ok: false, code: "damaged", message: REFUSAL_MESSAGE.damaged };
  }
  const { format, width, height } = header.image;
  if (width > MAX_SCREENSHOT_SIDE || height > MAX_SCREENSHOT_SIDE || width * height > MAX_SCREENSHOT_PIXELS) {
    return {
      ok: false,
      code: "too_many_pixels",
      message: `That image is ${width} × ${height} pixels; screenshots can be up to ${MAX_SCREENSHOT_SIDE} pixels a side and 40 megapixels.`,
    };
  }
  return {
    ok: true,
    screenshot: { format, contentType: CONTENT_TYPE[format], extension: EXTENSION[format], width, height, bytes: bytes.byteLength },
  };
}

/** The size that fits `longEdge` on the longer side, keeping the shape; never upscales. */
export function fitLongEdge(width: number, height: number, longEdge = LONG_EDGE): { width: number; height: number } {
  const scale = Math.min(1, longEdge / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

export type ScreenshotTarget = { kind: "trade"; tradeId: string } | { kind: "day"; date: string };

/** "<user id>/<trade id or day-YYYY-MM-DD>/<uuid>.<ext>": the first folder is what the bucket's policies check. */
export function screenshotObjectPath(userId: string, target: ScreenshotTarget, objectId: string, extension: string): string {
  const folder = target.kind === "trade" ? target.tradeId : `day-${target.date}`;
  return `${userId}/${folder}/${objectId}.${extension}`;
}
