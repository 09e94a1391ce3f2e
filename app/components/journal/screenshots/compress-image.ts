// Shrinks a screenshot in the browser before it is uploaded: the long edge
// scaled down to LONG_EDGE and re-encoded as WebP through a canvas. WebP
// quality steps down until the file fits TARGET_BYTES (a 2560 × 1600 chart
// capture lands well under it at the first step; a noisy photo needs the
// later ones). The original goes up unchanged when the browser cannot decode
// it or cannot encode WebP (Safari before 17 answers PNG), when its header is
// not an image we accept or is over the limits (the server then says why,
// without this tab decoding a 40,000 px "image"), or when it is already
// smaller than what re-encoding gives.
import { readImageHeader } from "~/domain/images/image-header.ts";
import { fitLongEdge, MAX_SCREENSHOT_PIXELS, MAX_SCREENSHOT_SIDE } from "~/domain/images/screenshot-rules.ts";

export const WEBP_QUALITIES = [0.82, 0.7, 0.55, 0.4] as const;
export const TARGET_BYTES = 500 * 1024;
/** Enough for the header behind a JPEG's EXIF block (at most 64 KB) and its friends. */
const HEADER_BYTES = 256 * 1024;

export interface CompressedScreenshot {
  blob: Blob;
  /** False when the original is sent as it was. */
  compressed: boolean;
}

type AnyCanvas = OffscreenCanvas | HTMLCanvasElement;

function canvasOf(width: number, height: number): AnyCanvas {
  if (typeof OffscreenCanvas === "function") return new OffscreenCanvas(width, height);
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

function encode(canvas: AnyCanvas, quality: number): Promise<Blob | null> {
  if ("convertToBlob" in canvas) return canvas.convertToBlob({ type: "image/webp", quality }).catch(() => null);
  return new Promise((resolve) => canvas.toBlob(resolve, "image/webp", quality));
}

export async function compressScreenshot(file: Blob): Promise<CompressedScreenshot> {
  const original = { blob: file, compressed: false };
  const header = readImageHeader(new Uint8Array(await file.slice(0, HEADER_BYTES).arrayBuffer()));
  if (!header.ok) return original;
  const { width, height } = header.image;
  if (width > MAX_SCREENSHOT_SIDE || height > MAX_SCREENSHOT_SIDE || width * height > MAX_SCREENSHOT_PIXELS) return original;
  if (typeof createImageBitmap !== "function") return original;

  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return original;
  }
  try {
    const size = fitLongEdge(bitmap.width, bitmap.height);
    const canvas = canvasOf(size.width, size.height);
    const context = canvas.getContext("2d") as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
    if (!context) return original;
    context.imageSmoothingQuality = "high";
    context.drawImage(bitmap, 0, 0, size.width, size.height);
    let best: Blob | null = null;
    for (const quality of WEBP_QUALITIES) {
      const blob = await encode(canvas, quality);
      // A browser that cannot write WebP hands back a PNG instead.
      if (!blob || blob.type !== "image/webp") return original;
      best = blob;
      if (blob.size <= TARGET_BYTES) break;
    }
    if (!best) return original;
    const resized = size.width !== bitmap.width || size.height !== bitmap.height;
    if (!resized && file.size <= best.size) return original;
    return { blob: best, compressed: true };
  } finally {
    bitmap.close();
  }
}

/** A file name whose extension matches the bytes (the server ignores it; it only helps anyone reading a log). */
export function uploadName(result: CompressedScreenshot, original: { name?: string }): string {
  if (result.compressed) return "screenshot.webp";
  return original.name || "screenshot";
}
