// The compact shared-string table must give back every item exactly as the
// scanner found it, whatever the encoding and whatever the characters.
import { describe, expect, it } from "vitest";
import { TextColumn } from "./mt5-report/text-column.ts";
import { SharedStrings } from "./xlsx-shared-strings.ts";

const utf16 = (text: string) => Uint16Array.from(text, (_, i) => text.charCodeAt(i));
const texts = ["2025.01.02 03:00:00", "EURUSD", "", "Zeit 时间 — €", "café ÿ", "x".repeat(10_000), " ", "\u00a0lead", "buy"];

describe("SharedStrings", () => {
  it.each([
    ["UTF-16", (text: string) => utf16(text)],
    ["UTF-8", (text: string) => new TextEncoder().encode(text)],
  ] as const)("gives back plain %s items, decoded items and nothing past the end", (_, encode) => {
    const table = new SharedStrings();
    for (const text of texts) {
      const units = encode(`<t>${text}</t>`);
      table.addPlain(units, 3, units.length - 4);
    }
    table.addText("a & b");
    table.addText("");
    const all = [...texts, "a & b", ""];
    expect(all.map((_, index) => table.at(index))).toEqual(all);
    // Asked twice, a short item is one string.
    expect(table.at(1)).toBe(table.at(1));
    expect(all.map((_, index) => table.firstUnit(index) >= 0)).toEqual(all.map((text) => text !== ""));
    expect(table.firstUnit(0)).toBe(50);
    expect(table.at(all.length)).toBeUndefined();
    expect(table.at(-1)).toBeUndefined();
    expect(table.firstUnit(all.length)).toBe(-1);
  });
});

describe("SharedStrings, long items", () => {
  it.each([
    ["Latin-1", (i: number) => `2025.01.${String(i % 28).padStart(2, "0")} 03:00:00 é${i}`],
    ["wider than Latin-1", (i: number) => `時間 2025.01.02 03:00:${i}`],
  ] as const)("gives back %s items read while the table grows", (_, textOf) => {
    const table = new SharedStrings();
    const added: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const text = textOf(i);
      const units = utf16(`<t>${text}</t>`);
      table.addPlain(units, 3, units.length - 4);
      added.push(text);
      // Read back as the table grows past its first arrays (a view of them is made anew).
      if (i % 997 === 0) expect(table.at(i)).toBe(text);
    }
    expect(added.every((text, index) => table.at(index) === text)).toBe(true);
  });
});

describe("TextColumn", () => {
  it("gives back texts, nulls and wide characters in order", () => {
    const column = new TextColumn<string | null>();
    const values = ["1.12895", null, "-197.37", "", "150.141", "ÿ€", "9".repeat(5000), null, "0"];
    for (let round = 0; round < 300; round++) for (const value of values) column.push(value);
    expect(column.length).toBe(300 * values.length);
    for (let index = 0; index < column.length; index++) expect(column.get(index)).toBe(values[index % values.length]);
    expect(column.get(column.length)).toBeUndefined();
  });
});
