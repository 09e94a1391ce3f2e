import { describe, expect, it } from "vitest";
import { displayPrice, symbolDigits } from "./price-display.ts";

describe("prices as the broker prints them", () => {
  it("pads to the symbol's digits, so a typed and an imported price read the same", () => {
    expect(displayPrice("1.0712", symbolDigits("EURUSD"))).toEqual({ text: "1.07120", exact: null });
    expect(displayPrice("1.07120", symbolDigits("EURUSD.z"))).toEqual({ text: "1.07120", exact: null });
    expect(displayPrice("150.1", symbolDigits("USDJPY"))).toEqual({ text: "150.100", exact: null });
  });

  it("shows an average of fills with one digit more, and keeps the exact value for hover", () => {
    expect(displayPrice("1.29634333", 5)).toEqual({ text: "1.296343", exact: "1.29634333" });
    expect(displayPrice("2350.1255", 2)).toEqual({ text: "2350.126", exact: "2350.1255" });
  });

  it("leaves a price alone when the symbol is unknown, and shows a dash for none", () => {
    expect(displayPrice("0.12345678", symbolDigits("MYSTERY"))).toEqual({ text: "0.12345678", exact: null });
    expect(displayPrice(null, 5).text).toBe("—");
  });
});
