import { readFileSync } from "node:fs";
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { readXlsxRows, XlsxError } from "./xlsx.ts";

function utf16(text: string): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out[0] = 0xff;
  out[1] = 0xfe;
  for (let i = 0; i < text.length; i += 1) {
    out[2 + 2 * i] = text.charCodeAt(i) & 0xff;
    out[3 + 2 * i] = text.charCodeAt(i) >> 8;
  }
  return out;
}

const sheet = `<?xml version="1.0"?><worksheet xmlns="x"><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>in&amp;line</t></is></c></row>
<row r="3"><c r="B3"><v>1.12895</v></c><c r="D3" t="s"><v>1</v></c><c r="E3" t="b"><v>1</v></c></row>
<row r="4"/>
</sheetData></worksheet>`;
const shared = `<?xml version="1.0"?><sst><si><t>Time</t></si><si><r><t>EUR</t></r><r><t xml:space="preserve">USD.Z</t></r><rPh><t>x</t></rPh></si></sst>`;

describe("readXlsxRows", () => {
  it.each([
    ["UTF-16LE with BOM", utf16],
    ["UTF-8", strToU8],
  ] as const)("reads %s parts: shared, inline, numbers, gaps", (_, encode) => {
    const bytes = zipSync({ "xl/worksheets/sheet1.xml": encode(sheet), "xl/sharedStrings.xml": encode(shared) });
    expect(readXlsxRows(bytes)).toEqual([
      { rowNumber: 1, cells: ["Time", "", "in&line"] },
      { rowNumber: 3, cells: ["", "1.12895", "", "EURUSD.Z", "TRUE"] },
      { rowNumber: 4, cells: [] },
    ]);
  });

  it("reads the real HFM export (UTF-16 parts, times as text)", () => {
    const rows = readXlsxRows(new Uint8Array(readFileSync(new URL("../../../tests/fixtures/real/ReportHistory-hfm-demo.xlsx", import.meta.url))));
    expect(rows[2]!.cells.slice(0, 4)).toEqual(["Account:", "", "", "57174315 (USD, HFMarketsKE-Demo2, demo, Hedge)"]);
    expect(rows[7]!.cells.slice(0, 6)).toEqual(["2025.04.15 17:11:31", "35324172", "EURUSD.Z", "buy", "0.01", "1.12895"]);
  });

  it("refuses truncated and non-zip input with a clear error", () => {
    const bytes = zipSync({ "xl/worksheets/sheet1.xml": strToU8(sheet) });
    expect(() => readXlsxRows(bytes.subarray(0, bytes.length - 30))).toThrow(XlsxError);
    expect(() => readXlsxRows(strToU8("not a zip at all"))).toThrow(/truncated/);
  });
});
