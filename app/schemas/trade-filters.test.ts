import { describe, expect, it } from "vitest";
import { hasActiveFilters, nextSortDirection, parseTradeFilters, tradeFiltersQuery } from "./trade-filters.ts";

const parse = (query: string) => parseTradeFilters(new URLSearchParams(query));
const ACCOUNT = "8c0f6a52-1b51-4c1b-9d0e-0f3f4f0a0a01";

describe("parseTradeFilters", () => {
  it("has defaults for an empty URL", () => {
    expect(parse("")).toEqual({
      account: null,
      from: null,
      to: null,
      symbol: null,
      direction: null,
      session: null,
      status: null,
      tag: null,
      result: null,
      sort: "closed_at",
      dir: "desc",
      page: 1,
    });
  });

  it("reads every filter", () => {
    expect(
      parse(
        `account=${ACCOUNT}&from=2026-01-01&to=2026-01-31&symbol=%20eurusd%20&direction=sell&session=late-ny` +
          `&status=closed&tag=${ACCOUNT.toUpperCase()}&result=loss&sort=pips&dir=asc&page=3`,
      ),
    ).toEqual({
      account: ACCOUNT,
      from: "2026-01-01",
      to: "2026-01-31",
      symbol: "EURUSD",
      direction: "sell",
      session: "late-ny",
      status: "closed",
      tag: ACCOUNT,
      result: "loss",
      sort: "pips",
      dir: "asc",
      page: 3,
    });
  });

  it("falls back to the default for each bad value without failing the others", () => {
    const filters = parse(
      "account=not-a-uuid&from=2026-02-30&to=yesterday&symbol=%3Dcmd&direction=long&session=tokyo&status=all" +
        "&tag=1&result=big&sort=id;drop&dir=sideways&page=-4&unknown=1",
    );
    expect(filters).toEqual(parse(""));
    expect(parse("page=2.5").page).toBe(1);
    expect(parse("page=abc&symbol=GBPJPY").symbol).toBe("GBPJPY");
  });

  it("treats empty fields from the GET form as no filter", () => {
    expect(parse("account=&symbol=&direction=&page=")).toEqual(parse(""));
  });

  it("swaps a backwards date range", () => {
    const filters = parse("from=2026-03-31&to=2026-03-01");
    expect([filters.from, filters.to]).toEqual(["2026-03-01", "2026-03-31"]);
  });
});

describe("tradeFiltersQuery", () => {
  it("leaves defaults out and applies changes", () => {
    const filters = parse("symbol=EURUSD&page=4");
    expect(tradeFiltersQuery(filters)).toBe("?symbol=EURUSD&page=4");
    expect(tradeFiltersQuery(filters, { page: 1 })).toBe("?symbol=EURUSD");
    expect(tradeFiltersQuery(filters, { sort: "net_profit", dir: "asc", page: 1 })).toBe("?symbol=EURUSD&sort=net_profit&dir=asc");
    expect(tradeFiltersQuery(parse(""))).toBe("");
  });

  it("round-trips through the parser", () => {
    const filters = parse(`account=${ACCOUNT}&from=2026-01-01&result=win&sort=duration&dir=asc&page=2`);
    expect(parse(tradeFiltersQuery(filters).slice(1))).toEqual(filters);
  });
});

describe("helpers", () => {
  it("knows when the list is filtered", () => {
    expect(hasActiveFilters(parse("sort=pips&page=2"))).toBe(false);
    expect(hasActiveFilters(parse("status=open"))).toBe(true);
  });

  it("flips the current sort column and starts others in their natural direction", () => {
    expect(nextSortDirection(parse(""), "closed_at")).toBe("asc");
    expect(nextSortDirection(parse("sort=closed_at&dir=asc"), "closed_at")).toBe("desc");
    expect(nextSortDirection(parse(""), "symbol")).toBe("asc");
    expect(nextSortDirection(parse(""), "net_profit")).toBe("desc");
  });
});
