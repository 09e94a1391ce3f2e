import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeHtmlEntities, gridCells, hiddenTexts, readHtmlTableRows } from "./html-table.ts";

describe("readHtmlTableRows", () => {
  it("decodes entities, keeps NBSP, reads titles, colspans and unquoted attributes", () => {
    const rows = readHtmlTableRows(`<table><tr align=right><td title="#20 [sl]">77953025</td><td colspan=4>cancelled</td>
      <td class=mspt>1&nbsp;434.86</td><th>A &amp; B<br>C</th></tr></table>`);
    expect(rows).toHaveLength(1);
    const cells = rows[0]!.cells;
    expect(cells[0]).toMatchObject({ text: "77953025", title: "#20 [sl]", colspan: 1, hidden: false, header: false });
    expect(cells[1]).toMatchObject({ text: "cancelled", colspan: 4 });
    expect(cells[2]!.text).toBe("1\u00a0434.86");
    expect(cells[3]).toMatchObject({ text: "A & B C", header: true });
    expect(gridCells(rows[0]!)).toEqual(["77953025", "cancelled", "", "", "", "1\u00a0434.86", "A & B C"]);
  });

  it("flags hidden cells and leaves them out of the grid", () => {
    const [row] = readHtmlTableRows('<tr><td>1</td><td class="hidden" colspan="8">my comment</td><td style="display: none">x</td><td>2</td></tr>');
    expect(gridCells(row!)).toEqual(["1", "2"]);
    expect(hiddenTexts(row!)).toEqual(["my comment", "x"]);
  });

  it("skips comments, style and script content and closes rows without </tr>", () => {
    const rows = readHtmlTableRows("<style><!-- td { x: '<tr><td>no</td>' } --></style><!-- <tr><td>no</td></tr> --><tr><td>a<tr><td>b</table>");
    expect(rows.map(gridCells)).toEqual([["a"], ["b"]]);
  });

  it("lays the real MT5 template's Positions row on 13 columns despite the hidden colspan=8 cell", () => {
    const bytes = readFileSync(new URL("../../../tests/fixtures/real/ReportHistory-template.htm", import.meta.url));
    const rows = readHtmlTableRows(new TextDecoder("utf-16le").decode(bytes));
    const withHidden = rows.filter((row) => row.cells.some((cell) => cell.hidden === false && cell.colspan === 8) || row.cells.length === 14);
    expect(withHidden.length).toBeGreaterThan(0);
    // The template's class attribute is a placeholder there, so mark it the way real exports do.
    const real = readHtmlTableRows(new TextDecoder("utf-16le").decode(bytes).replace('class="<!--POSITION_COMMENT_CLASS-->"', 'class="hidden"'));
    const positionRow = real.find((row) => row.cells.length === 14)!;
    expect(gridCells(positionRow)).toHaveLength(13);
  });

  it("decodes numeric entities", () => {
    expect(decodeHtmlEntities("&#8722;2.50 &#x41; &unknown;")).toBe("\u22122.50 A &unknown;");
  });

  it("reads 20 MB of report rows quickly", () => {
    const row =
      '<tr bgcolor="#FFFFFF" align="right"><td nowrap>2025.04.16 22:25:20</td><td nowrap>25615362</td><td nowrap>EURUSD.Z</td><td nowrap>sell</td><td nowrap>out</td><td nowrap>0.01</td><td nowrap>1.14086</td><td nowrap>35659174</td><td nowrap>0.00</td><td nowrap>0.00</td><td nowrap>0.00</td><td nowrap>11.91</td><td nowrap>1&nbsp;062.52</td><td nowrap>[tp 1.14086]</td></tr>\r\n';
    const html = `<table>${row.repeat(Math.ceil(20_000_000 / row.length))}</table>`;
    const started = performance.now();
    const rows = readHtmlTableRows(html);
    expect(rows.length).toBeGreaterThan(50_000);
    expect(performance.now() - started).toBeLessThan(15_000);
  });
});
