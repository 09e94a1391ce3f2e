// The image header reader and the screenshot rules on real images (tiny
// PNG, JPEG and WebP files Chromium encoded, as the browser will send them)
// and on what the issue lists as bad input: a 6 MB file, an executable renamed
// .png, an SVG, a header claiming 40,000 pixels, and truncated headers.
import { describe, expect, it } from "vitest";
import { readImageHeader } from "./image-header.ts";
import { checkScreenshot, fitLongEdge, MAX_SCREENSHOT_BYTES, screenshotObjectPath } from "./screenshot-rules.ts";

const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

// canvas.toBlob(…) in Chromium, 3 × 2 px (the alpha one 5 × 4).
const PNG_3X2 = fromBase64(
  "iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAYAAACddGYaAAAAEklEQVR4AWI6Y2z8H4aZGJAAAAAA///qnsSoAAAABklEQVQDAH+1BpjuJVuvAAAAAElFTkSuQmCC",
);
const JPEG_3X2 = fromBase64(
  "/9j/4AAQSkZJRgABAQAAAQABAAD/4gHYSUNDX1BST0ZJTEUAAQEAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABhY3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADb/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAACAAMDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAb/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAABQf/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCWAAqu/9k=",
);
/** VP8X (with an ICC profile) around a lossy VP8 frame. */
const WEBP_EXTENDED_3X2 = fromBase64(
  "UklGRhwCAABXRUJQVlA4WAoAAAAgAAAAAgAAAQAASUNDUMgBAAAAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABhY3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADZWUDggLgAAAJABAJ0BKgMAAgABQCYloAJ0ugADmAD+7v+f/AXT3Ri3/7g4/7Bx/2Dj90wAAAA=",
);
/** VP8X around a lossless VP8L frame (quality 1). */
const WEBP_EXTENDED_LOSSLESS_3X2 = fromBase64(
  "UklGRgACAABXRUJQVlA4WAoAAAAgAAAAAgAAAQAASUNDUMgBAAAAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABhY3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADZWUDhMEQAAAC8CQAAAB9CZMnem/4GI6H8AAA==",
);

const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));
const u32le = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];

/** The simple-format WebP (RIFF, WEBP, one frame chunk) holding the extended file's frame. */
function simpleWebp(extended: Uint8Array, chunk: "VP8 " | "VP8L"): Uint8Array {
  const text = String.fromCharCode(...extended);
  const at = text.indexOf(chunk);
  const frame = extended.subarray(at, at + 8 + (extended[at + 4]! | (extended[at + 5]! << 8)));
  return Uint8Array.from([...ascii("RIFF"), ...u32le(4 + frame.length), ...ascii("WEBP"), ...frame]);
}

/** A PNG whose IHDR claims `width` × `height` (no pixels follow: the header is all a reader may look at). */
function pngClaiming(width: number, height: number): Uint8Array {
  const bytes = PNG_3X2.slice();
  new DataView(bytes.buffer).setUint32(16, width);
  new DataView(bytes.buffer).setUint32(20, height);
  return bytes;
}

const EXE_AS_PNG = Uint8Array.from([...ascii("MZ"), 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, ...ascii("This program cannot be run in DOS mode.")]);
const SVG = new TextEncoder().encode(
  '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
);

describe("readImageHeader", () => {
  it.each([
    ["PNG", PNG_3X2, "png", 3, 2],
    ["JPEG (JFIF, ICC profile before the frame)", JPEG_3X2, "jpeg", 3, 2],
    ["extended WebP (VP8X) with a lossy frame", WEBP_EXTENDED_3X2, "webp", 3, 2],
    ["extended WebP (VP8X) with a lossless frame", WEBP_EXTENDED_LOSSLESS_3X2, "webp", 3, 2],
    ["simple lossy WebP (VP8)", simpleWebp(WEBP_EXTENDED_3X2, "VP8 "), "webp", 3, 2],
    ["simple lossless WebP (VP8L)", simpleWebp(WEBP_EXTENDED_LOSSLESS_3X2, "VP8L"), "webp", 3, 2],
  ])("reads a real %s", (_, bytes, format, width, height) => {
    expect(readImageHeader(bytes)).toEqual({ ok: true, image: { format, width, height } });
  });

  it("reads the size a header claims without decoding anything", () => {
    expect(readImageHeader(pngClaiming(40_000, 300))).toEqual({ ok: true, image: { format: "png", width: 40_000, height: 300 } });
  });

  it.each([
    ["an executable renamed .png", EXE_AS_PNG],
    ["an SVG", SVG],
    ["a GIF", Uint8Array.from(ascii("GIF89a\x01\x00\x01\x00"))],
    ["a RIFF that is not WebP (WAV)", Uint8Array.from([...ascii("RIFF"), 0, 0, 0, 0, ...ascii("WAVEfmt ")])],
    ["nothing", new Uint8Array(0)],
  ])("calls %s unsupported", (_, bytes) => {
    expect(readImageHeader(bytes)).toEqual({ ok: false, reason: "unsupported" });
  });

  it.each([
    ["a PNG cut inside IHDR", PNG_3X2.subarray(0, 20)],
    ["a PNG claiming 0 pixels wide", pngClaiming(0, 2)],
    ["a JPEG cut before its frame header", JPEG_3X2.subarray(0, 200)],
    ["a JPEG whose scan comes before any frame", Uint8Array.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02])],
    ["a WebP cut inside its VP8X chunk", WEBP_EXTENDED_3X2.subarray(0, 26)],
    [
      "a VP8 frame without its start code",
      (() => {
        const b = simpleWebp(WEBP_EXTENDED_3X2, "VP8 ");
        b[23] = 0;
        return b;
      })(),
    ],
  ])("calls %s malformed", (_, bytes) => {
    expect(readImageHeader(bytes)).toEqual({ ok: false, reason: "malformed" });
  });
});

describe("checkScreenshot", () => {
  it("accepts each real format with its type, extension and size", () => {
    expect(checkScreenshot(PNG_3X2)).toEqual({
      ok: true,
      screenshot: { format: "png", contentType: "image/png", extension: "png", width: 3, height: 2, bytes: PNG_3X2.length },
    });
    expect(checkScreenshot(JPEG_3X2)).toMatchObject({ ok: true, screenshot: { contentType: "image/jpeg", extension: "jpg" } });
    expect(checkScreenshot(WEBP_EXTENDED_3X2)).toMatchObject({ ok: true, screenshot: { contentType: "image/webp", extension: "webp" } });
  });

  it("refuses a 6 MB file before reading it, and takes exactly 5 MB", () => {
    const six = new Uint8Array(6 * 1024 * 1024);
    six.set(PNG_3X2);
    expect(checkScreenshot(six)).toEqual({ ok: false, code: "too_large", message: "That image is 6.0 MB; screenshots can be up to 5 MB." });
    const five = new Uint8Array(MAX_SCREENSHOT_BYTES);
    five.set(PNG_3X2);
    expect(checkScreenshot(five)).toMatchObject({ ok: true });
  });

  it.each([
    ["an executable renamed .png", EXE_AS_PNG],
    ["an SVG (script risk)", SVG],
  ])("refuses %s by its bytes", (_, bytes) => {
    expect(checkScreenshot(bytes)).toEqual({
      ok: false,
      code: "unsupported",
      message: "That file is not a PNG, JPEG or WebP image. Screenshots can only be one of those (SVG is not accepted).",
    });
  });

  it.each([
    [40_000, 300, false],
    [300, 16_385, false],
    [16_384, 2_442, false], // 40.01 MP
    [16_384, 2_441, true], // 39.99 MP
    [6_000, 4_000, true],
  ])("%i × %i px accepted: %s", (width, height, accepted) => {
    const result = checkScreenshot(pngClaiming(width, height));
    expect(result.ok).toBe(accepted);
    if (!result.ok) expect(result.message).toMatch(new RegExp(`^That image is ${width} × ${height} pixels`));
  });

  it("refuses an empty file and a damaged header with a sentence each", () => {
    expect(checkScreenshot(new Uint8Array(0))).toMatchObject({ ok: false, message: expect.stringMatching(/empty/) });
    expect(checkScreenshot(PNG_3X2.subarray(0, 20))).toMatchObject({ ok: false, message: expect.stringMatching(/damaged/) });
  });
});

describe("fitLongEdge and screenshotObjectPath", () => {
  it("scales the long edge to 1920 keeping the shape, and never upscales", () => {
    expect(fitLongEdge(2560, 1600)).toEqual({ width: 1920, height: 1200 });
    expect(fitLongEdge(1080, 2400)).toEqual({ width: 864, height: 1920 });
    expect(fitLongEdge(800, 600)).toEqual({ width: 800, height: 600 });
    expect(fitLongEdge(40_000, 1)).toEqual({ width: 1920, height: 1 });
  });

  it("puts the object under the user's folder, then the trade or the day", () => {
    const user = "0b7e4f6a-1c2d-4e3f-8a9b-5c6d7e8f9a0b";
    const trade = "6f1c2a5e-8d3b-4c1a-9e2f-0a1b2c3d4e5f";
    expect(screenshotObjectPath(user, { kind: "trade", tradeId: trade }, "abc", "webp")).toBe(`${user}/${trade}/abc.webp`);
    expect(screenshotObjectPath(user, { kind: "day", date: "2026-12-04" }, "abc", "png")).toBe(`${user}/day-2026-12-04/abc.png`);
  });
});
