// Bytes → text for every text format (HTML, CSV, JSON). Tries, in order: a
// byte-order mark, UTF-16 without a BOM (recognised by its NUL pattern),
// strict UTF-8, windows-1252 for HTML that declares it, and for HTML that
// declares no charset at all (what MT4 writes, in the terminal's code page)
// the legacy code page its characters make most plausible (windows-1252,
// windows-1251 or GBK). Anything else is refused with what was tried, so a
// mangled "Ã©" never reaches the database.
import { decodeLegacyText, LEGACY_ENCODING_NAMES, type LegacyEncoding } from "./legacy-encoding.ts";
import type { ImportFileError } from "./outcome.ts";

export type TextEncodingName = "utf-8" | "utf-16le" | "utf-16be" | LegacyEncoding;

export type DecodeResult =
  { ok: true; text: string; encoding: TextEncodingName; hadBom: boolean; warnings: string[] } | { ok: false; error: ImportFileError };

interface MagicSignature {
  bytes: number[];
  what: string;
}

// Files people upload by mistake, named so the message says what it is.
const MAGIC_SIGNATURES: MagicSignature[] = [
  { bytes: [0x25, 0x50, 0x44, 0x46], what: "a PDF document" },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: "a PNG image" },
  { bytes: [0xff, 0xd8, 0xff], what: "a JPEG image" },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: "a GIF image" },
  { bytes: [0x52, 0x49, 0x46, 0x46], what: "a RIFF media file (WebP image, WAV or AVI)" },
  { bytes: [0x4d, 0x5a], what: "a Windows program (.exe/.dll)" },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: "a Linux program (ELF)" },
  { bytes: [0x1f, 0x8b], what: "a gzip archive" },
  { bytes: [0x52, 0x61, 0x72, 0x21], what: "a RAR archive" },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], what: "a 7-Zip archive" },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: "an old Excel 97–2003 (.xls) or Word (.doc) file" },
];

function startsWithBytes(bytes: Uint8Array, signature: number[]): boolean {
  if (bytes.length < signature.length) return false;
  return signature.every((value, index) => bytes[index] === value);
}

const WHAT_TO_UPLOAD = "Upload the MetaTrader history report (HTML or XLSX), the MT4 statement (HTML), a CSV or our JSON.";

export function binaryError(what: string): ImportFileError {
  return { code: "binary", message: `This looks like ${what}, not a trade report. ${WHAT_TO_UPLOAD}` };
}

/** A known binary file type from its first bytes, or null. */
export function recogniseBinarySignature(bytes: Uint8Array): ImportFileError | null {
  // "MZ" is also how some text starts ("MZN…"); a real program header has a
  // NUL within its first 64 bytes.
  for (const signature of MAGIC_SIGNATURES) {
    if (!startsWithBytes(bytes, signature.bytes)) continue;
    if (signature.bytes.length === 2 && signature.bytes[0] === 0x4d && !bytes.subarray(0, 64).includes(0)) continue;
    return binaryError(signature.what);
  }
  return null;
}

/** "utf-16le" / "utf-16be" when the NUL bytes fall on one parity, as in ASCII-heavy UTF-16 text. */
export function sniffUtf16WithoutBom(bytes: Uint8Array): "utf-16le" | "utf-16be" | null {
  const length = Math.min(bytes.length, 4096) & ~1;
  if (length < 4) return null;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let index = 0; index < length; index += 2) {
    if (bytes[index] === 0) evenNuls++;
    if (bytes[index + 1] === 0) oddNuls++;
  }
  const pairs = length / 2;
  if (oddNuls / pairs > 0.4 && evenNuls / pairs < 0.05) return "utf-16le";
  if (evenNuls / pairs > 0.4 && oddNuls / pairs < 0.05) return "utf-16be";
  return null;
}

function decodeStrict(bytes: Uint8Array, encoding: TextEncodingName): string | null {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

// C0 controls other than tab, LF, VT, FF, CR (and SUB/ESC, which old exports
// sometimes carry at the end) mean the bytes are not text.
function isControlCharacter(code: number): boolean {
  if (code === 0x7f) return true;
  if (code > 0x1f) return false;
  return !(code >= 0x09 && code <= 0x0d) && code !== 0x1a && code !== 0x1b;
}

function binaryJunkError(text: string): ImportFileError | null {
  const length = Math.min(text.length, 65536);
  let controls = 0;
  let nul = false;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    if (isControlCharacter(code)) {
      controls++;
      if (code === 0) nul = true;
    }
  }
  if (controls === 0) return null;
  if (nul || controls / length > 0.001) {
    return {
      code: "binary",
      message: `This looks like a binary file, not a trade report: it contains ${controls} control character${controls === 1 ? "" : "s"} (such as NUL bytes) that text exports never have. ${WHAT_TO_UPLOAD}`,
    };
  }
  return null;
}

function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const byte = bytes[index]!;
    const width = byte < 0x80 ? 1 : byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xf0 && byte <= 0xf4 ? 4 : 0;
    if (width === 0) return index;
    for (let next = 1; next < width; next++) {
      const continuation = bytes[index + next];
      if (continuation === undefined || (continuation & 0xc0) !== 0x80) return index;
    }
    index += width;
  }
  return -1;
}

const DECLARED_CHARSET = /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i;
const WINDOWS_1252_ALIASES = new Set(["windows-1252", "cp1252", "iso-8859-1", "latin1", "iso8859-1", "us-ascii", "ascii"]);

function looksLikeHtml(latin: string): boolean {
  return /^\s*(?:<!doctype html|<html|<head|<table)/i.test(latin.slice(0, 1024));
}

/** Turns uploaded bytes into text, or says precisely why it cannot. */
export function decodeText(bytes: Uint8Array): DecodeResult {
  const warnings: string[] = [];
  const signatureError = recogniseBinarySignature(bytes);
  if (signatureError) return { ok: false, error: signatureError };

  let encoding: TextEncodingName | null = null;
  let hadBom = false;
  let body = bytes;
  if (startsWithBytes(bytes, [0xef, 0xbb, 0xbf])) {
    encoding = "utf-8";
    body = bytes.subarray(3);
    hadBom = true;
  } else if (startsWithBytes(bytes, [0xff, 0xfe])) {
    encoding = "utf-16le";
    body = bytes.subarray(2);
    hadBom = true;
  } else if (startsWithBytes(bytes, [0xfe, 0xff])) {
    encoding = "utf-16be";
    body = bytes.subarray(2);
    hadBom = true;
  } else {
    encoding = sniffUtf16WithoutBom(bytes);
    if (encoding) warnings.push(`The file is ${encoding.toUpperCase()} without a byte-order mark; it was read as ${encoding.toUpperCase()}.`);
  }

  if (encoding === "utf-16le" || encoding === "utf-16be") {
    // One stray line feed after a complete UTF-16 document (a repository tool added it to a real
    // OANDA export) is not a cut-off end: drop it when what remains ends the HTML.
    if (body.length % 2 === 1 && body[body.length - 1] === 0x0a) {
      const kept = decodeStrict(body.subarray(0, body.length - 1), encoding);
      if (kept !== null && /<\/html>\s*$/i.test(kept)) {
        body = body.subarray(0, body.length - 1);
        warnings.push("The file ends with one stray byte after its last line; it was ignored.");
      }
    }
    if (body.length % 2 === 1) {
      return {
        ok: false,
        error: {
          code: "truncated",
          message: `The file is ${encoding.toUpperCase()} text with an odd number of bytes, so its end is cut off. Export the report again and upload the complete file.`,
        },
      };
    }
    const text = decodeStrict(body, encoding);
    if (text === null) {
      return {
        ok: false,
        error: {
          code: "encoding",
          message: `The file starts like ${encoding.toUpperCase()} text but contains invalid ${encoding.toUpperCase()} sequences. Export it again, or save it as UTF-8.`,
        },
      };
    }
    const junk = binaryJunkError(text);
    if (junk) return { ok: false, error: junk };
    return { ok: true, text, encoding, hadBom, warnings };
  }

  const utf8 = decodeStrict(body, "utf-8");
  if (utf8 !== null) {
    const junk = binaryJunkError(utf8);
    if (junk) return { ok: false, error: junk };
    return { ok: true, text: utf8, encoding: "utf-8", hadBom, warnings };
  }

  // Not UTF-8. NUL bytes here mean binary data, not a legacy code page.
  if (body.includes(0)) {
    const junk = binaryJunkError(new TextDecoder("windows-1252").decode(body.subarray(0, 65536)));
    if (junk) return { ok: false, error: junk };
  }
  const latin = new TextDecoder("windows-1252").decode(body);
  const offset = firstInvalidUtf8Offset(body);
  const badByte = offset >= 0 ? `0x${body[offset]!.toString(16).toUpperCase().padStart(2, "0")} at byte ${offset + 1}` : "an invalid sequence";
  if (looksLikeHtml(latin)) {
    const declared = DECLARED_CHARSET.exec(latin.slice(0, 4096))?.[1]?.toLowerCase() ?? null;
    if (declared === null) {
      const legacy = decodeLegacyText(body);
      const junk = binaryJunkError(legacy.text);
      if (junk) return { ok: false, error: junk };
      warnings.push(
        legacy.encoding === "windows-1252"
          ? "The HTML file is not UTF-8 and declares no charset; it was read as windows-1252, as browsers do."
          : `The HTML file is not UTF-8 and declares no charset; its characters read as ${LEGACY_ENCODING_NAMES[legacy.encoding]}, so it was read as that.`,
      );
      return { ok: true, text: legacy.text, encoding: legacy.encoding, hadBom, warnings };
    }
    if (WINDOWS_1252_ALIASES.has(declared)) {
      const junk = binaryJunkError(latin);
      if (junk) return { ok: false, error: junk };
      warnings.push(`The HTML file declares charset ${declared}; it was read as windows-1252.`);
      return { ok: true, text: latin, encoding: "windows-1252", hadBom, warnings };
    }
    return {
      ok: false,
      error: {
        code: "encoding",
        message: `The HTML file declares charset ${declared} but is not valid in it (${badByte}). Tried: byte-order mark, UTF-16, UTF-8 and windows-1252. Export the report again without editing it.`,
      },
    };
  }
  const junk = binaryJunkError(latin);
  if (junk) return { ok: false, error: junk };
  return {
    ok: false,
    error: {
      code: "encoding",
      message: `The file is not valid UTF-8 (${badByte}) and has no byte-order mark, so its characters cannot be read reliably. Tried: byte-order mark, UTF-16 and UTF-8. Save it as "CSV UTF-8" (in Excel: Save As → CSV UTF-8) and upload it again.`,
    },
  };
}

/**
 * An HTML report that stops before its closing tags lost its last sections
 * (Deals, Results) on the way: refuse it rather than import half a history.
 */
export function htmlTruncationError(text: string): ImportFileError | null {
  const tail = text.slice(-4096).toLowerCase();
  if (tail.includes("</html>")) return null;
  const missing = tail.includes("</body>") ? "</html>" : tail.includes("</table>") ? "</body></html>" : "</table></body></html>";
  return {
    code: "truncated",
    message: `The report ends without its closing ${missing} tags, so its last part (usually the Deals and Results sections) is missing: the file is cut off. Export the report again and upload the complete file.`,
  };
}
