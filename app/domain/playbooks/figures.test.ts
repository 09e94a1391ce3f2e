import { describe, expect, it } from "vitest";
import { trade } from "~/domain/analytics/test-support.ts";
import { followedEveryRule, playbookFigures, SMALL_SAMPLE, type PlaybookTrade } from "./figures.ts";

const RULES = ["r1", "r2", "r3"];

function pt(
  id: string,
  day: number,
  amounts: { profit: string; commission?: string; initialRisk?: string },
  checked: string[],
  currency = "USD",
): PlaybookTrade {
  const opened = `2026-02-${String(day).padStart(2, "0")}T09:00:00Z`;
  const closed = `2026-02-${String(day).padStart(2, "0")}T10:00:00Z`;
  return { ...trade(id, opened, closed, { initialRisk: null, ...amounts }), currency, checkedRuleIds: checked };
}

// The hand-checked fixture (rules r1, r2, r3):
//   T1 USD net  100 (102 − 2 commission)  risk 50 → R  2   ticked r1 r2 r3   every rule
//   T2 USD net  −40                        risk 40 → R −1   ticked r3 r2 r1   every rule
//   T3 USD net   60                        no stop          ticked all        every rule
//   T4 USD net  −50                        risk 25 → R −2   ticked r1         not every
//   T5 USD net    0                        risk 10 → R  0   ticked none       not every
//   T6 USD net  −30                        risk 30 → R −1   ticked r1 r2 + a deleted rule "old"   not every
//   T7 EUR net   20                        risk 20 → R  1   ticked all        every rule (its own block)
const fixture = [
  pt("T1", 2, { profit: "102", commission: "-2", initialRisk: "50" }, ["r1", "r2", "r3"]),
  pt("T2", 3, { profit: "-40", initialRisk: "40" }, ["r3", "r2", "r1"]),
  pt("T3", 4, { profit: "60" }, ["r1", "r2", "r3"]),
  pt("T4", 5, { profit: "-50", initialRisk: "25" }, ["r1"]),
  pt("T5", 6, { profit: "0", initialRisk: "10" }, []),
  pt("T6", 9, { profit: "-30", initialRisk: "30" }, ["r1", "r2", "old"]),
  pt("T7", 10, { profit: "20", initialRisk: "20" }, ["r1", "r2", "r3"], "EUR"),
];

describe("playbook figures, hand-checked", () => {
  const [usd, eur] = playbookFigures(fixture, RULES);

  it("keeps currencies apart, the one with most trades first", () => {
    expect([usd!.currency, eur!.currency]).toEqual(["USD", "EUR"]);
    expect(eur!.all.trades).toBe(1);
    expect(eur!.all.netTotal).toBe("20");
  });

  it("gives the playbook's own figures", () => {
    const all = usd!.all;
    expect([all.trades, all.wins, all.losses, all.breakevens]).toEqual([6, 2, 3, 1]);
    expect(all.winRate).toBeCloseTo(2 / 6, 12);
    expect(all.netTotal).toBe("40"); // 100 − 40 + 60 − 50 + 0 − 30
    expect(all.expectancy).toBe("6.666666666667"); // 40 / 6, 12 decimals
    expect(all.expectancyR).toBeCloseTo((2 - 1 - 2 + 0 - 1) / 5, 12); // −0.4, T3 has no stop
    expect([all.rTrades, all.rMissing]).toEqual([5, 1]);
    expect(all.smallSample).toBe(true);
  });

  it("compares trades that followed every rule with the rest", () => {
    const { everyRule, notEveryRule } = usd!.comparison!;
    // T1, T2, T3
    expect([everyRule.trades, everyRule.wins, everyRule.losses, everyRule.breakevens]).toEqual([3, 2, 1, 0]);
    expect(everyRule.winRate).toBeCloseTo(2 / 3, 12);
    expect(everyRule.netTotal).toBe("120");
    expect(everyRule.expectancy).toBe("40");
    expect(everyRule.expectancyR).toBeCloseTo(0.5, 12); // (2 − 1) / 2
    expect([everyRule.rTrades, everyRule.rMissing]).toEqual([2, 1]);
    // Wilson, 2 of 3, z = 1.96: centre (2/3 + z²/6) / (1 + z²/3) = 0.57308, half-width 0.36544.
    expect(everyRule.winRateInterval!.low).toBeCloseTo(0.2077, 3);
    expect(everyRule.winRateInterval!.high).toBeCloseTo(0.9385, 3);
    // T4, T5, T6 (a ticked rule since deleted does not count)
    expect([notEveryRule.trades, notEveryRule.wins, notEveryRule.losses, notEveryRule.breakevens]).toEqual([3, 0, 2, 1]);
    expect(notEveryRule.winRate).toBe(0);
    expect(notEveryRule.netTotal).toBe("-80");
    expect(notEveryRule.expectancy).toBe("-26.666666666667");
    expect(notEveryRule.expectancyR).toBeCloseTo(-1, 12); // (−2 + 0 − 1) / 3
    // Wilson, 0 of 3: [0, 2 × 0.28075].
    expect(notEveryRule.winRateInterval!.low).toBeCloseTo(0, 12);
    expect(notEveryRule.winRateInterval!.high).toBeCloseTo(0.5615, 3);
    expect(everyRule.smallSample && notEveryRule.smallSample).toBe(true);
  });

  it("has no comparison for a playbook without rules, and an empty group has no figures", () => {
    const [block] = playbookFigures(fixture.slice(0, 2), []);
    expect(block!.comparison).toBeNull();
    const [onlyFollowed] = playbookFigures(fixture.slice(0, 1), RULES);
    const empty = onlyFollowed!.comparison!.notEveryRule;
    expect(empty).toMatchObject({ trades: 0, winRate: null, winRateInterval: null, expectancy: null, expectancyR: null, netTotal: "0" });
    expect(playbookFigures([], RULES)).toEqual([]);
    // A list of playbooks asks for the headline figures only.
    const [headline] = playbookFigures(fixture, RULES, { compare: false });
    expect(headline!.comparison).toBeNull();
    expect(headline!.all.trades).toBe(6);
  });

  it("marks a group small below the metrics' sample size, and not from it on", () => {
    const many = Array.from({ length: SMALL_SAMPLE }, (_, i) => pt(`M${i}`, 1 + (i % 27), { profit: i % 2 ? "10" : "-5" }, RULES));
    const [block] = playbookFigures(many, RULES);
    expect(SMALL_SAMPLE).toBe(30);
    expect(block!.comparison!.everyRule.smallSample).toBe(false);
    expect(block!.comparison!.notEveryRule.smallSample).toBe(true);
  });
});

describe("followedEveryRule", () => {
  it("needs every current rule ticked, in any order", () => {
    expect(followedEveryRule(["r2", "r1", "r3"], RULES)).toBe(true);
    expect(followedEveryRule(["r1", "r2"], RULES)).toBe(false);
    expect(followedEveryRule(["r1", "r2", "r3", "old"], RULES)).toBe(true);
    expect(followedEveryRule([], [])).toBe(false);
  });
});
