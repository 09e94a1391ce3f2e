import { describe, expect, it } from "vitest";
import { readCsv, sniffDecimalSeparator, sniffDelimiter } from "./read-csv.ts";

describe("sniffDelimiter", () => {
  it.each([
    ["a,b,c\n1,2,3\n", ","],
    ["a;b;c\n1,5;2,5;3\n", ";"],
    ["a\tb\tc\n1\t2\t3\n", "\t"],
    ['"x;y",b,c\n1,2,3\n', ","],
    ["Deals\nA,B,C,D\n1,2,3,4\n5,6,7,8\n\nT\nX,Y\n", ","],
  ])("%j → %j", (text, delimiter) => {
    expect(sniffDelimiter(text)).toBe(delimiter);
  });
});

describe("sniffDecimalSeparator", () => {
  it("reads decimal commas only in ; or tab files whose numbers say so", () => {
    expect(sniffDecimalSeparator([["1,10", "-2,50", "1.234,56"]], ";")).toBe(",");
    expect(sniffDecimalSeparator([["1.10", "-2.50", "15.04.2025"]], ";")).toBe(".");
    expect(sniffDecimalSeparator([["1,10"]], ",")).toBe(".");
  });
});

describe("readCsv", () => {
  it("keeps quoted delimiters and newlines inside one cell", () => {
    const read = readCsv('a,b\r\n"x, y","line 1\nline 2"\r\n');
    expect(read).toEqual({
      ok: true,
      table: {
        delimiter: ",",
        rows: [
          ["a", "b"],
          ["x, y", "line 1\nline 2"],
        ],
      },
    });
  });

  it("follows Excel's sep= hint and keeps row numbers", () => {
    expect(readCsv("sep=;\r\na,b;c\r\n1,5;2\r\n")).toEqual({ ok: true, table: { delimiter: ";", rows: [[""], ["a,b", "c"], ["1,5", "2"]] } });
  });

  it("calls a last row cut inside a quote truncated", () => {
    expect(readCsv('a,b\n1,"cut')).toEqual({
      ok: false,
      error: { code: "truncated", message: expect.stringContaining("row 2 opens a quote that never closes") },
    });
  });
});
