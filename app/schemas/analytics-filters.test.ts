import { describe, expect, it } from "vitest";
import { analyticsFiltersQuery, parseAnalyticsFilters } from "./analytics-filters.ts";

const parse = (query: string) => parseAnalyticsFilters(new URLSearchParams(query));

describe("analytics filters in the URL", () => {
  it("defaults to this month over the default scope", () => {
    expect(parse("")).toEqual({ period: "month", from: null, to: null, account: null, symbol: null, session: null, direction: null, tag: null });
  });

  it("reads every filter and writes them back, defaults left out", () => {
    const filters = parse("period=custom&from=2026-11-01&to=2026-11-30&account=all-EUR&symbol=eurusd&session=london&direction=buy");
    expect(filters).toMatchObject({
      period: "custom",
      from: "2026-11-01",
      to: "2026-11-30",
      account: "all-EUR",
      symbol: "EURUSD",
      session: "london",
      direction: "buy",
    });
    expect(analyticsFiltersQuery(filters)).toBe(
      "?period=custom&from=2026-11-01&to=2026-11-30&account=all-EUR&symbol=EURUSD&session=london&direction=buy",
    );
    expect(analyticsFiltersQuery(filters, { period: "month" })).toBe("?account=all-EUR&symbol=EURUSD&session=london&direction=buy");
  });

  it("falls back per field on a bad value, and drops days outside a custom range", () => {
    expect(parse("period=decade&account=all-usd&session=tokyo&from=2026-02-30")).toMatchObject({
      period: "month",
      account: null,
      session: null,
      from: null,
    });
    expect(parse("period=week&from=2026-11-01")).toMatchObject({ period: "week", from: null });
    expect(parse("period=custom")).toMatchObject({ period: "month" });
  });
});
