// A workbook that is not an MT5 report goes through the generic column mapping.
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { parseImportFile } from "./parse-import.ts";

const options = { serverTimeZone: "NY+7", marginMode: "hedging" as const, accountCurrency: "USD" };

/** A numeric cell written exactly as given (Excel stores up to 17 significant digits). */
const serial = (text: string) => ({ number: text });

function workbook(rows: (string | number | { number: string })[][]): Uint8Array {
  const column = (index: number) => String.fromCharCode(65 + index);
  const sheetRows = rows
    .map((cells, rowIndex) => {
      const xml = cells
        .map((cell, index) => {
          const ref = `${column(index)}${rowIndex + 1}`;
          if (typeof cell === "number") return `<c r="${ref}"><v>${cell}</v></c>`;
          if (typeof cell === "object") return `<c r="${ref}"><v>${cell.number}</v></c>`;
          return `<c r="${ref}" t="inlineStr"><is><t>${cell}</t></is></c>`;
        })
        .join("");
      return `<row r="${rowIndex + 1}">${xml}</row>`;
    })
    .join("");
  return zipSync({
    "[Content_Types].xml": strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    "xl/workbook.xml": strToU8('<?xml version="1.0"?><workbook><sheets><sheet name="Trades" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": strToU8(
      '<?xml version="1.0"?><Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
    ),
    "xl/worksheets/sheet1.xml": strToU8(`<?xml version="1.0"?><worksheet><sheetData>${sheetRows}</sheetData></worksheet>`),
  });
}

describe("spreadsheets that are not MT5 reports", () => {
  const bytes = workbook([
    ["Ticket", "Symbol", "Type", "Lots", "Open Time", "Open Price", "Close Time", "Close Price", "Profit"],
    // 45762.716331018519 = 2025-04-15 17:11:31 and 45763.934259259259 = 2025-04-16 22:25:20 (days since 1899-12-30).
    [101, "EURUSD", "buy", 0.1, serial("45762.716331018519"), 1.12895, serial("45763.934259259259"), 1.14086, 119.1],
    [102, "EURUSD", "sell", 0.1, "2025.04.17 10:00:00", 1.135, "2025.04.17 12:00:00", 1.134, 10],
  ]);

  it("asks for a column mapping, then reads serial and text dates", () => {
    const first = parseImportFile(bytes, options);
    if (first.ok || !("mapping" in first)) throw new Error("expected needs-mapping");
    expect(first.mapping.headers).toEqual(["Ticket", "Symbol", "Type", "Lots", "Open Time", "Open Price", "Close Time", "Close Price", "Profit"]);
    const parsed = parseImportFile(bytes, { ...options, columnMapping: first.mapping.suggested });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.parsed.format).toBe("generic-csv");
    // NY+7 is UTC+3 in April 2025.
    expect(JSON.parse(JSON.stringify(parsed.parsed.trades))).toMatchObject([
      { positionId: "101", openedAt: "2025-04-15T14:11:31.000Z", closedAt: "2025-04-16T19:25:20.000Z", volume: "0.1", grossProfit: "119.1" },
      { positionId: "102", openedAt: "2025-04-17T07:00:00.000Z", direction: "sell", grossProfit: "10" },
    ]);
  });

  it("keeps a report-titled workbook without rows a 'no trades' report", () => {
    const outcome = parseImportFile(workbook([["Trade History Report"], ["Name:", "Demo"], ["Positions"]]), options);
    expect(outcome).toMatchObject({ ok: false, format: "mt5-xlsx", error: { code: "no-trades" } });
  });
});
