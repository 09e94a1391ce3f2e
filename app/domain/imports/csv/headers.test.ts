import { describe, expect, it } from "vitest";
import { missingMappedFields, suggestMapping } from "./generic-fields.ts";
import { headerSignature, normaliseHeader, uniqueHeaderKeys } from "./headers.ts";

describe("uniqueHeaderKeys", () => {
  it("numbers the repeats of positional names (open, then close)", () => {
    expect(uniqueHeaderKeys(["Time", "Position", "Price", "Time", "Price", ""])).toEqual({
      ok: true,
      keys: ["Time", "Position", "Price", "Time (2)", "Price (2)", "Column 6"],
    });
  });

  it("refuses other repeated names and says which columns", () => {
    expect(uniqueHeaderKeys(["Profit", "Comment", "profit ", "Comment"])).toEqual({
      ok: false,
      error: {
        code: "duplicate-headers",
        message: expect.stringContaining('"Profit" (columns 1, 3) and "Comment" (columns 2, 4)'),
      },
    });
  });
});

describe("headerSignature", () => {
  it("ignores case, accents and spacing but not order; stays within 128 characters", () => {
    const signature = headerSignature(["Symbole", "Durée", "Prix"]);
    expect(signature).toBe(headerSignature([" symbole", "DUREE", "prix "]));
    expect(signature).not.toBe(headerSignature(["Prix", "Symbole", "Durée"]));
    expect(signature.length).toBeLessThanOrEqual(128);
  });

  it("normalises names", () => {
    expect(normaliseHeader("  Closing Time (UTC+3) ")).toBe("closing time utc 3");
    expect(normaliseHeader("Schließzeit")).toBe("schlie zeit");
  });
});

describe("suggestMapping", () => {
  it("maps the MT5-style English header with its repeated Time and Price", () => {
    const keys = ["Time", "Position", "Symbol", "Type", "Volume", "Price", "S / L", "T / P", "Time (2)", "Price (2)", "Commission", "Swap", "Profit"];
    expect(suggestMapping(keys)).toMatchObject({
      openTime: "Time",
      positionId: "Position",
      symbol: "Symbol",
      side: "Type",
      volume: "Volume",
      openPrice: "Price",
      stopLoss: "S / L",
      takeProfit: "T / P",
      closeTime: "Time (2)",
      closePrice: "Price (2)",
      commission: "Commission",
      swap: "Swap",
      profit: "Profit",
    });
  });

  it("maps Spanish and Italian headers", () => {
    expect(
      suggestMapping([
        "Símbolo",
        "Tipo",
        "Volumen",
        "Fecha de apertura",
        "Precio de apertura",
        "Fecha de cierre",
        "Precio de cierre",
        "Beneficio",
        "Comisión",
      ]),
    ).toMatchObject({
      symbol: "Símbolo",
      side: "Tipo",
      volume: "Volumen",
      openTime: "Fecha de apertura",
      openPrice: "Precio de apertura",
      closeTime: "Fecha de cierre",
      closePrice: "Precio de cierre",
      profit: "Beneficio",
      commission: "Comisión",
    });
  });

  it("lists what a mapping still lacks", () => {
    const keys = ["Symbol", "Type", "Open Time", "Lots", "Price", "Close Time"];
    expect(missingMappedFields(undefined, keys)).toContain("Symbol");
    const mapping = { symbol: "Symbol", side: "Type", openTime: "Open Time", volume: "Lots", openPrice: "Price", closeTime: "Close Time" };
    expect(missingMappedFields(mapping, keys)).toEqual(["Profit or Net profit", "Close price (Close time is mapped)"]);
    expect(missingMappedFields({ ...mapping, symbol: "Nope" }, keys)).toContain("Symbol");
  });
});
