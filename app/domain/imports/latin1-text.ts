// Text from Latin-1 code units kept one byte each (the compact tables of the
// XLSX import). Its own function, used only with Uint8Arrays, so that the
// scanners' functions over code units keep seeing one array type.

/** Characters made into strings by String.fromCharCode at a time (its argument list is bounded). */
const APPLY_LIMIT = 4096;

export function latin1Text(c: Uint8Array, from: number, to: number): string {
  const f = String.fromCharCode;
  switch (to - from) {
    case 0:
      return "";
    case 1:
      return f(c[from]!);
    case 2:
      return f(c[from]!, c[from + 1]!);
    case 3:
      return f(c[from]!, c[from + 1]!, c[from + 2]!);
    case 4:
      return f(c[from]!, c[from + 1]!, c[from + 2]!, c[from + 3]!);
    case 5:
      return f(c[from]!, c[from + 1]!, c[from + 2]!, c[from + 3]!, c[from + 4]!);
    case 6:
      return f(c[from]!, c[from + 1]!, c[from + 2]!, c[from + 3]!, c[from + 4]!, c[from + 5]!);
    case 7:
      return f(c[from]!, c[from + 1]!, c[from + 2]!, c[from + 3]!, c[from + 4]!, c[from + 5]!, c[from + 6]!);
    case 8:
      return f(c[from]!, c[from + 1]!, c[from + 2]!, c[from + 3]!, c[from + 4]!, c[from + 5]!, c[from + 6]!, c[from + 7]!);
    default:
      return charCodesText(c, from, to);
  }
}

/** Any code units as text, APPLY_LIMIT at a time. */
export function charCodesText(c: Uint8Array | Uint16Array, from: number, to: number): string {
  let text = "";
  for (let at = from; at < to; at += APPLY_LIMIT) {
    text += String.fromCharCode.apply(null, c.subarray(at, Math.min(to, at + APPLY_LIMIT)) as unknown as number[]);
  }
  return text;
}
