import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeText, htmlTruncationError, sniffUtf16WithoutBom } from "./decode-text.ts";

const BAD = join(import.meta.dirname, "../../../tests/fixtures/imports/bad");
const bytesOf = (...values: number[]) => new Uint8Array(values);
const utf16le = (text: string) => new Uint8Array(Buffer.from(text, "utf16le"));

describe("decodeText", () => {
  it("reads UTF-8 with and without a BOM", () => {
    expect(decodeText(new TextEncoder().encode("a,b\r\n1,Zürich"))).toMatchObject({
      ok: true,
      encoding: "utf-8",
      hadBom: false,
      text: "a,b\r\n1,Zürich",
    });
    expect(decodeText(bytesOf(0xef, 0xbb, 0xbf, 0x61))).toMatchObject({ ok: true, encoding: "utf-8", hadBom: true, text: "a" });
  });

  it("reads UTF-16LE and UTF-16BE with a BOM (the MT5 HTML report)", () => {
    expect(decodeText(new Uint8Array([0xff, 0xfe, ...utf16le("<html>é</html>")]))).toMatchObject({
      ok: true,
      encoding: "utf-16le",
      text: "<html>é</html>",
    });
    const be = Buffer.from(utf16le("Ticket;Prix")).swap16();
    expect(decodeText(new Uint8Array([0xfe, 0xff, ...be]))).toMatchObject({ ok: true, encoding: "utf-16be", text: "Ticket;Prix" });
  });

  it("recognises UTF-16 without a BOM from its NUL pattern and warns", () => {
    const bytes = utf16le("Symbol,Type,Volume\r\nEURUSD,buy,0.10\r\n");
    expect(sniffUtf16WithoutBom(bytes)).toBe("utf-16le");
    const result = decodeText(bytes);
    expect(result).toMatchObject({ ok: true, encoding: "utf-16le", text: "Symbol,Type,Volume\r\nEURUSD,buy,0.10\r\n" });
    if (result.ok) expect(result.warnings[0]).toContain("UTF-16LE without a byte-order mark");
  });

  it("calls a UTF-16 file with an odd byte count truncated", () => {
    const bytes = new Uint8Array([0xff, 0xfe, ...utf16le("<html>"), 0x3c]);
    expect(decodeText(bytes)).toEqual({
      ok: false,
      error: { code: "truncated", message: expect.stringContaining("odd number of bytes") },
    });
  });

  it("reads a windows-1252 MT4 statement (HTML without a charset) and says how", () => {
    const result = decodeText(new Uint8Array(readFileSync(join(BAD, "mt4-statement-windows-1252.htm"))));
    expect(result).toMatchObject({ ok: true, encoding: "windows-1252" });
    if (!result.ok) return;
    expect(result.text).toContain("Société Générale – démo");
    expect(result.warnings[0]).toContain("read as windows-1252");
  });

  it("refuses HTML that declares UTF-8 but is not", () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('<html><head><meta charset="utf-8"></head><body>Soci'),
      0xe9,
      ...new TextEncoder().encode("t</body></html>"),
    ]);
    expect(decodeText(bytes)).toMatchObject({ ok: false, error: { code: "encoding", message: expect.stringContaining("declares charset utf-8") } });
  });

  it("refuses windows-1252 CSV text, naming the byte and what was tried", () => {
    const result = decodeText(new Uint8Array(readFileSync(join(BAD, "windows-1252.csv"))));
    expect(result).toMatchObject({ ok: false, error: { code: "encoding" } });
    if (result.ok) return;
    expect(result.error.message).toContain("0xE9 at byte 93");
    expect(result.error.message).toContain("Tried: byte-order mark, UTF-16 and UTF-8");
  });

  it.each([
    [[0x25, 0x50, 0x44, 0x46, 0x2d, 0x31], "a PDF document"],
    [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "a PNG image"],
    [[0xff, 0xd8, 0xff, 0xe0, 0, 0x10], "a JPEG image"],
    [[0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0], "a Windows program"],
    [[0x7f, 0x45, 0x4c, 0x46, 2, 1], "a Linux program"],
    [[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1], "an old Excel 97–2003 (.xls)"],
  ])("names binary file type %#", (bytes, what) => {
    expect(decodeText(new Uint8Array(bytes))).toEqual({
      ok: false,
      error: { code: "binary", message: expect.stringContaining(`This looks like ${what}`) },
    });
  });

  it("does not take text that merely starts with MZ for a program", () => {
    expect(decodeText(new TextEncoder().encode("MZN,buy,1\n"))).toMatchObject({ ok: true });
  });

  it("refuses UTF-8 text full of control characters", () => {
    const junk = new Uint8Array(200).map((_, index) => (index % 3 === 0 ? 0x01 : 0x41));
    expect(decodeText(junk)).toMatchObject({ ok: false, error: { code: "binary", message: expect.stringContaining("control characters") } });
  });
});

describe("htmlTruncationError", () => {
  it("accepts a report that ends with </html>", () => {
    expect(htmlTruncationError("<html><body><table></table></body></html>\r\n")).toBeNull();
  });

  it("says which closing tags are missing", () => {
    expect(htmlTruncationError("<html><body><table><tr><td>1")?.message).toContain("</table></body></html>");
    expect(htmlTruncationError("<html><body><table></table></body>")?.message).toContain("closing </html> tags");
  });
});
