// Which legacy code page bytes that are not UTF-8 were written in, when the
// file does not say (MT4 writes its statement in the terminal's ANSI code
// page and declares no charset). Each candidate decoding is scored by how
// plausible its non-ASCII text is, so a Chinese name is not shown as
// "ÐìÔöÁÁ" (windows-1252) or "ТмФцББ" (windows-1251):
// - GBK is judged on its byte pairs: the 3,755 common hanzi (GB2312 level 1,
//   lead bytes B0–D7) and Chinese punctuation are what real text is made of;
//   rare hanzi (level 2) count half, and pairs outside GB2312 (GBK's
//   extension, which a Latin accent followed by an ASCII letter produces)
//   count against it.
// - Single-byte decodings are judged on their words: a letter that starts a
//   word or follows ASCII text is fine, but an uppercase letter right after a
//   lowercase one, runs of accented Latin letters, Cyrillic inside an ASCII
//   word and rare symbols are the marks of mojibake.
// Ties go to the earlier candidate, so text with no telling characters stays
// windows-1252, the HTML default.

export type LegacyEncoding = "windows-1252" | "windows-1251" | "gbk";

export const LEGACY_ENCODING_NAMES: Record<LegacyEncoding, string> = {
  "windows-1252": "windows-1252 (Western)",
  "windows-1251": "windows-1251 (Cyrillic)",
  gbk: "GBK (Chinese)",
};

const CANDIDATES: LegacyEncoding[] = ["windows-1252", "windows-1251", "gbk"];

// Non-ASCII punctuation and symbols ordinary text uses.
const COMMON_SYMBOLS = new Set([..."\u00a0«»–—‘’‚“”„…•€£¥°№©®™§±×·"]);

function isLetter(char: string): boolean {
  return /\p{L}/u.test(char);
}

function isUpper(char: string): boolean {
  return char !== char.toLowerCase() && char === char.toUpperCase();
}

function isLower(char: string): boolean {
  return char !== char.toUpperCase() && char === char.toLowerCase();
}

/** Plausibility of the non-ASCII characters of a single-byte decoding. */
export function singleByteScore(text: string): number {
  let score = 0;
  let previous = " ";
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x80) {
      previous = char;
      continue;
    }
    if (code < 0xa0 || code === 0xfffd) score -= 5;
    else if (!isLetter(char)) score += COMMON_SYMBOLS.has(char) ? 0 : -2;
    else {
      const cyrillic = /\p{Script=Cyrillic}/u.test(char);
      // Cyrillic letters beyond Russian's (Ђ, Ѓ, Љ… windows-1251 gives the bytes 0x80–0xBF) earn nothing.
      if (!cyrillic || /[А-яЁё]/.test(char)) score += 1;
      if (isUpper(char) && isLower(previous)) score -= 3;
      if (previous.charCodeAt(0) >= 0x80 && isLetter(previous)) {
        // Runs of accented Latin letters are rare ("ções" has the longest common one);
        // Cyrillic words are all non-ASCII.
        if (!cyrillic) score -= 1;
        else if (!/\p{Script=Cyrillic}/u.test(previous)) score -= 3;
      } else if (cyrillic && /[A-Za-z]/.test(previous)) score -= 2;
    }
    previous = char;
  }
  return score;
}

/** Plausibility of bytes as GBK, from their byte pairs; null when they are not valid GBK. */
export function gbkScore(bytes: Uint8Array): number | null {
  let score = 0;
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index]!;
    if (lead < 0x80) {
      index += 1;
      continue;
    }
    if (lead === 0x80 || lead === 0xff) return null;
    const trail = bytes[index + 1];
    if (trail === undefined || trail < 0x40 || trail === 0x7f || trail === 0xff) return null;
    if (trail < 0xa1 || lead < 0xa1 || lead > 0xf7) score -= 1;
    else if (lead >= 0xb0 && lead <= 0xd7) score += 2;
    else if (lead >= 0xd8) score += 1;
    else if (lead <= 0xa3) score += 2; // punctuation and fullwidth forms
    index += 2;
  }
  return score;
}

export interface LegacyDecoding {
  encoding: LegacyEncoding;
  text: string;
}

/** The most plausible legacy decoding of bytes that are not UTF-8. */
export function decodeLegacyText(bytes: Uint8Array): LegacyDecoding {
  let best: LegacyDecoding & { score: number } = { encoding: "windows-1252", text: "", score: -Infinity };
  for (const encoding of CANDIDATES) {
    let score: number | null;
    let text = "";
    if (encoding === "gbk") {
      score = gbkScore(bytes);
      if (score !== null) text = new TextDecoder("gbk").decode(bytes);
    } else {
      text = new TextDecoder(encoding).decode(bytes);
      score = singleByteScore(text);
    }
    if (score !== null && score > best.score) best = { encoding, text, score };
  }
  return { encoding: best.encoding, text: best.text };
}
