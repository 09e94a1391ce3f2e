// Text inside SpreadsheetML: XML character references and Excel's own
// `_xHHHH_` escapes, and the runs of a string item (<t>, rich <r> runs; the
// phonetic <rPh> guide is not part of the text).

export function decodeXmlText(text: string): string {
  let out = text;
  if (out.includes("&")) {
    out = out.replace(/&(#[xX][0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (whole, body: string) => {
      switch (body) {
        case "amp":
          return "&";
        case "lt":
          return "<";
        case "gt":
          return ">";
        case "quot":
          return '"';
        case "apos":
          return "'";
        default: {
          const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
          return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
        }
      }
    });
  }
  if (out.includes("_x")) out = out.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return out;
}

const TEXT_RUN = /<t(?:\s[^>]*)?>([\s\S]*?)<\/t>|<t(?:\s[^>]*)?\/>/g;

/** The text of a string item's content (`<t>…</t>`, or rich runs). */
export function stringItemText(inner: string): string {
  const source = inner.includes("<rPh") ? inner.replace(/<rPh\b[\s\S]*?<\/rPh>/g, "") : inner;
  let text = "";
  TEXT_RUN.lastIndex = 0;
  for (let match = TEXT_RUN.exec(source); match; match = TEXT_RUN.exec(source)) text += match[1] ?? "";
  return decodeXmlText(text);
}
