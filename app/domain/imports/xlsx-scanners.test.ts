// The worksheet and shared-string scanners on the SpreadsheetML that writers
// other than MT5 produce, in both encodings, with every element cut across
// pieces of the inflated stream.
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { forEachXlsxRowAsync, inflateInPieces, readXlsxRows, readXlsxRowsAsync, type Inflate } from "./xlsx.ts";

function utf16(text: string, bigEndian = false): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out[0] = bigEndian ? 0xfe : 0xff;
  out[1] = bigEndian ? 0xff : 0xfe;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    out[2 + 2 * i] = bigEndian ? code >> 8 : code & 0xff;
    out[3 + 2 * i] = bigEndian ? code & 0xff : code >> 8;
  }
  return out;
}

const crumbs =
  (size: number): Inflate =>
  (compressed, onPiece) =>
    inflateInPieces(compressed, (piece) => {
      for (let at = 0; at < piece.length; at += size) onPiece(piece.subarray(at, at + size));
    });

const sheet = `<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="x"><cols><col min="1" max="3" width="9"/></cols><sheetData>
<row r='2' spans="1:4"><c t='s' r='A2'><v>0</v></c><c s="3" r="B2" t="str"><f>A2&amp;"!"</f><v>Ümlaut &amp; &lt;tag&gt; _x000D_</v></c></row>
<row r="3"><c r="C3"><v></v></c><c r="D3" t="inlineStr"><is><r><t>in</t></r><r><t xml:space="preserve"> line</t></r></is></c><c r="E3" t="b"><v>0</v></c></row>
<row><c><v>7</v></c><c><v>1.5</v></c></row>
<row r="9" /><row r="10"></row>
<rowBreaks count="1"><brk id="9"/></rowBreaks>
</sheetData></worksheet>`;
const shared = `<sst count="2"><si><t>Zeit 时间 — €</t></si><si><r><t>a</t></r><rPh><t>x</t></rPh></si><si/></sst>`;
const expected = [
  { rowNumber: 2, cells: ["Zeit 时间 — €", "Ümlaut & <tag> \r"] },
  { rowNumber: 3, cells: ["", "", "", "in line", "FALSE"] },
  { rowNumber: 4, cells: ["7", "1.5"] },
  { rowNumber: 9, cells: [] },
  { rowNumber: 10, cells: [] },
];

describe("the XLSX scanners", () => {
  it.each([
    ["UTF-8", strToU8],
    ["UTF-16LE", (text: string) => utf16(text)],
    ["UTF-16BE", (text: string) => utf16(text, true)],
  ] as const)("read %s parts: attribute order, quotes, formulas, inline and rich text, escapes, gaps", async (_, encode) => {
    const bytes = zipSync({ "xl/worksheets/sheet1.xml": encode(sheet), "xl/sharedStrings.xml": encode(shared) });
    expect(readXlsxRows(bytes)).toEqual(expected);
    for (const size of [1, 2, 3, 7, 64]) expect(await readXlsxRowsAsync(bytes, crumbs(size))).toEqual(expected);
  });

  it("reads every form of shared-string item, plain ones in one pass, cut anywhere", async () => {
    const items = [
      "<si><t>plain</t></si>",
      "<si><t>a&amp;b &lt;c&gt;</t></si>",
      "<si><t>_x000D_line</t></si>",
      '<si><t xml:space="preserve"> spaced </t></si>',
      "<si><t></t></si>",
      "<si><r><t>ri</t></r><r><t>ch</t></r></si>",
      "<si><t>snake_case</t></si>",
    ];
    const sst = `<sst count="${items.length}">\n ${items.join("\n ")}\n</sst>`;
    const row = items.map((_, i) => `<c r="${columnName(i)}1" t="s"><v>${i}</v></c>`).join("");
    const xml = `<worksheet><sheetData><row r="1">${row}</row></sheetData></worksheet>`;
    const want = [{ rowNumber: 1, cells: ["plain", "a&b <c>", "\rline", " spaced ", "", "rich", "snake_case"] }];
    for (const encode of [strToU8, (text: string) => utf16(text), (text: string) => utf16(text, true)]) {
      const bytes = zipSync({ "xl/worksheets/sheet1.xml": encode(xml), "xl/sharedStrings.xml": encode(sst) });
      expect(readXlsxRows(bytes)).toEqual(want);
      for (const size of [1, 2, 5, 9, 17]) expect(await readXlsxRowsAsync(bytes, crumbs(size))).toEqual(want);
    }
  });

  it("reads a row far larger than the inflater's pieces", async () => {
    const cells = Array.from({ length: 3000 }, (_, i) => `<c r="${columnName(i)}1"><v>${i}</v></c>`).join("");
    const bytes = zipSync({ "xl/worksheets/sheet1.xml": utf16(`<worksheet><sheetData><row r="1">${cells}</row></sheetData></worksheet>`) });
    const rows = await readXlsxRowsAsync(bytes, crumbs(1000));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.cells).toEqual(Array.from({ length: 3000 }, (_, i) => String(i)));
  });

  it("hands every row in one array when asked to, refilled", async () => {
    const bytes = zipSync({ "xl/worksheets/sheet1.xml": strToU8(sheet), "xl/sharedStrings.xml": strToU8(shared) });
    const arrays = new Set<string[]>();
    const copies: string[][] = [];
    await forEachXlsxRowAsync(
      bytes,
      (cells) => {
        arrays.add(cells);
        copies.push([...cells]);
      },
      inflateInPieces,
      { reuseCells: true },
    );
    expect(arrays.size).toBe(1);
    expect(copies).toEqual(expected.map((row) => row.cells));
  });

  it.each([
    ["UTF-8", strToU8],
    ["UTF-16LE", (text: string) => utf16(text)],
  ] as const)("passes over the rows it is told to skip (%s), numbering the rest as a full read does", async (_, encode) => {
    const bytes = zipSync({ "xl/worksheets/sheet1.xml": encode(sheet), "xl/sharedStrings.xml": encode(shared) });
    for (const skipped of [[3], [2, 9], [2, 3, 10], [2, 3, 4, 9, 10]]) {
      const wanted = expected.filter((row) => !skipped.includes(row.rowNumber));
      for (const size of [1, 3, 64, 4096]) {
        const rows: { rowNumber: number; cells: string[] }[] = [];
        await forEachXlsxRowAsync(bytes, (cells, rowNumber) => rows.push({ rowNumber, cells: [...cells] }), crumbs(size), {
          reuseCells: true,
          skipRow: (rowNumber) => skipped.includes(rowNumber),
        });
        expect(rows).toEqual(wanted);
      }
    }
  });

  it.each([
    ["UTF-8", strToU8],
    ["UTF-16LE", (text: string) => utf16(text)],
  ] as const)("gives light rows the gist a full read gives (%s), passing over what cannot change it", async (_, encode) => {
    const rowsXml = [
      // A section title alone.
      `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"/><c r="C1"><v> </v></c></row>`,
      // Orders-like: the first column and more; the rest (escapes, inline text, a formula) is passed over.
      `<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2"><v>7</v></c><c r="C2" t="inlineStr"><is><t>wow &lt;/row&gt; w</t></is></c><c r="D2" t="str"><f>A1</f><v>_x000D_</v></c></row>`,
      // The first column empty: every cell counts.
      `<row r="3"><c r="A3"><v></v></c><c r="B3"><v>2</v></c><c r="C3" t="s"><v>2</v></c><c r="D3"><v>3</v></c><c r="E3"><v>4</v></c></row>`,
      // Blank texts do not count; the first non-blank one is trimmed.
      `<row r="4"><c r="A4" t="s"><v>2</v></c><c r="B4" t="inlineStr"><is><t xml:space="preserve">  label:  </t></is></c></row>`,
      // Out of column order: read again in full.
      `<row r="5"><c r="C5"><v>9</v></c><c r="A5"><v>1</v></c><c r="B5"><v>2</v></c></row>`,
      `<row r="6"><c r="A6" t="b"><v>1</v></c><c r="B6"><v>5</v></c></row>`,
    ].join("\n");
    const bytes = zipSync({
      "xl/worksheets/sheet1.xml": encode(`<worksheet><sheetData>${rowsXml}</sheetData></worksheet>`),
      "xl/sharedStrings.xml": encode(`<sst><si><t>Orders</t></si><si><t>2024.01.02 08:00:00</t></si><si><t xml:space="preserve">   </t></si></sst>`),
    });
    // The gist of a fully read row, as a consumer of light rows may rely on it.
    const gistOf = (cells: string[]) => {
      const texts = cells.map((cell) => cell.replace(/^[\s\u00a0]+|[\s\u00a0]+$/g, ""));
      const index = texts.findIndex((text) => text !== "");
      const count = texts.filter((text) => text !== "").length;
      return { index, text: index < 0 ? "" : texts[index]!, count: index === 0 ? Math.min(count, 2) : count };
    };
    const full = (await readXlsxRowsAsync(bytes, crumbs(64))).map((row) => ({ rowNumber: row.rowNumber, ...gistOf(row.cells) }));
    expect(full.map((row) => row.count)).toEqual([1, 2, 3, 1, 2, 2]);
    for (const size of [1, 3, 64, 4096]) {
      const light: typeof full = [];
      await forEachXlsxRowAsync(bytes, (cells, rowNumber) => light.push({ rowNumber, ...gistOf(cells) }), crumbs(size), {
        reuseCells: true,
        light: {
          wanted: () => true,
          onRow: (first, rowNumber) =>
            light.push({ rowNumber, index: first.index, text: first.text, count: Math.min(first.count, first.index === 0 ? 2 : Infinity) }),
        },
      });
      expect(light).toEqual(full);
    }
  });
});

function columnName(index: number): string {
  let name = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}
