// Every expected figure below is worked out by hand from the bars in the test.
import { describe, expect, it } from "vitest";
import { excursionOf, seriesCovers, type ExcursionBar, type ExcursionTrade } from "./excursion.ts";

const at = (iso: string) => Date.parse(iso);
const bar = (iso: string, high: string, low: string): ExcursionBar => ({ openMs: at(iso), high, low });

describe("excursionOf", () => {
  it("measures a buy from the bars wholly inside it, leaving out the entry and exit bars' extremes", () => {
    const trade: ExcursionTrade = {
      direction: "buy",
      openedMs: at("2026-03-02T10:00:30Z"),
      closedMs: at("2026-03-02T10:05:20Z"),
      entryPrice: "1.10000",
      exitPrice: "1.10150",
      grossProfit: "150",
      initialStopLoss: "1.09800",
      initialRiskAmount: null,
      pipSize: "0.0001",
    };
    const bars = [
      bar("2026-03-02T09:59:00Z", "1.11000", "1.09000"), // before the entry: not the trade's
      bar("2026-03-02T10:00:00Z", "1.10300", "1.09700"), // entry bar, only half in the trade: extremes left out
      bar("2026-03-02T10:01:00Z", "1.10080", "1.09950"),
      bar("2026-03-02T10:02:00Z", "1.10200", "1.09900"), // highest high and lowest low of the whole bars
      bar("2026-03-02T10:03:00Z", "1.10120", "1.09920"),
      bar("2026-03-02T10:04:00Z", "1.10160", "1.09960"),
      bar("2026-03-02T10:05:00Z", "1.10400", "1.09500"), // exit bar: left out
      bar("2026-03-02T10:06:00Z", "1.12000", "1.08000"), // after the exit
    ];
    // MFE 1.10200 − 1.10000 = 0.002 = 20 pips; MAE 1.10000 − 1.09900 = 0.001 = 10 pips.
    // Captured 1.10150 − 1.10000 = 0.0015 → efficiency 0.0015 / 0.002 = 0.75.
    // Money per price unit = 150 / 0.0015 = 100,000 → MFE $200, MAE $100.
    // Stop distance 1.10000 − 1.09800 = 0.002 → MFE 1R, MAE 0.5R.
    expect(excursionOf(trade, bars, "M1")).toEqual({
      timeframe: "M1",
      maePrice: "0.001",
      mfePrice: "0.002",
      maePips: "10",
      mfePips: "20",
      maeMoney: "100",
      mfeMoney: "200",
      maeR: "0.5",
      mfeR: "1",
      efficiency: "0.75",
      maeAtMs: at("2026-03-02T10:02:00Z"),
      mfeAtMs: at("2026-03-02T10:02:00Z"),
      barsOverlapping: 6,
    });
  });

  it("measures a sell the other way round, in the account currency through the trade's own P&L and in R from the recorded risk", () => {
    // USDJPY sell 1 lot at 150.000 on a USD account, bought back at 149.800: 20,000 JPY = 133.51 USD.
    const trade: ExcursionTrade = {
      direction: "sell",
      openedMs: at("2026-03-02T10:00:00Z"),
      closedMs: at("2026-03-02T10:03:00Z"),
      entryPrice: "150.000",
      exitPrice: "149.800",
      grossProfit: "133.51",
      initialStopLoss: "150.150",
      initialRiskAmount: "100",
      pipSize: "0.01",
    };
    const bars = [
      bar("2026-03-02T10:00:00Z", "150.050", "149.950"), // opens at the entry instant: wholly inside
      bar("2026-03-02T10:01:00Z", "150.120", "149.900"), // highest high → MAE
      bar("2026-03-02T10:02:00Z", "150.000", "149.700"), // lowest low → MFE
      bar("2026-03-02T10:03:00Z", "149.900", "149.500"), // opens at the exit instant: only partly the trade's
    ];
    // MAE 150.120 − 150 = 0.12 = 12 pips; MFE 150 − 149.700 = 0.3 = 30 pips.
    // Captured 150 − 149.8 = 0.2 → efficiency 0.2 / 0.3 = 0.66666… → 0.6667.
    // Money per price unit 133.51 / 0.2 = 667.55 → MFE 0.3 × 667.55 = 200.265 → 200.27, MAE 0.12 × 667.55 = 80.106 → 80.11.
    // R from the recorded $100 at risk: MFE 200.265 / 100 = 2.00265 → 2, MAE 0.80106 → 0.8.
    expect(excursionOf(trade, bars, "M1")).toMatchObject({
      maePrice: "0.12",
      mfePrice: "0.3",
      maePips: "12",
      mfePips: "30",
      maeMoney: "80.11",
      mfeMoney: "200.27",
      maeR: "0.8",
      mfeR: "2",
      efficiency: "0.6667",
      maeAtMs: at("2026-03-02T10:01:00Z"),
      mfeAtMs: at("2026-03-02T10:02:00Z"),
      barsOverlapping: 4,
    });
  });

  it("keeps measuring after a partial exit until the last exit, and captures the average exit", () => {
    // Buy 1 lot at 1.20000; 0.5 closed at 1.20300 (10:02:30), 0.5 at 1.20100 (10:06:00): average exit 1.20200,
    // gross 0.5 × 0.003 × 100,000 + 0.5 × 0.001 × 100,000 = 150 + 50 = 200.
    const trade: ExcursionTrade = {
      direction: "buy",
      openedMs: at("2026-03-02T10:00:00Z"),
      closedMs: at("2026-03-02T10:06:00Z"),
      entryPrice: "1.20000",
      exitPrice: "1.20200",
      exitLegPrices: ["1.20300", "1.20100"],
      grossProfit: "200",
      initialStopLoss: null,
      initialRiskAmount: null,
      pipSize: "0.0001",
    };
    const bars = [
      bar("2026-03-02T10:00:00Z", "1.20100", "1.19950"),
      bar("2026-03-02T10:01:00Z", "1.20250", "1.20050"),
      bar("2026-03-02T10:02:00Z", "1.20350", "1.20200"), // the partial exit's bar: highest high
      bar("2026-03-02T10:03:00Z", "1.20280", "1.20100"),
      bar("2026-03-02T10:04:00Z", "1.20150", "1.19900"), // after the partial exit, still the trade's: lowest low
      bar("2026-03-02T10:05:00Z", "1.20120", "1.20000"),
      bar("2026-03-02T10:06:00Z", "1.20500", "1.19000"), // opens at the last exit: left out
    ];
    // MFE 1.20350 − 1.2 = 0.0035 = 35 pips; MAE 1.2 − 1.19900 = 0.001 = 10 pips.
    // Captured 1.202 − 1.2 = 0.002 → efficiency 0.002 / 0.0035 = 0.571428… → 0.5714.
    // Money per price unit 200 / 0.002 = 100,000 → MFE $350, MAE $100. No initial stop: no R (null, not 0).
    expect(excursionOf(trade, bars, "M1")).toMatchObject({
      maePrice: "0.001",
      mfePrice: "0.0035",
      maePips: "10",
      mfePips: "35",
      maeMoney: "100",
      mfeMoney: "350",
      maeR: null,
      mfeR: null,
      efficiency: "0.5714",
      maeAtMs: at("2026-03-02T10:04:00Z"),
      mfeAtMs: at("2026-03-02T10:02:00Z"),
    });
  });

  it("counts exit legs inside partly covered bars by their own prices, and the average exit when legs are unknown", () => {
    // Buy at 1.20000 (10:00:10); 0.5 out at 1.20300 (10:00:40), 0.5 out at 1.20100 (10:01:30): average 1.20200.
    // Both bars are only partly the trade's, so their wide extremes (1.205/1.195, 1.206/1.19) never count.
    const base: ExcursionTrade = {
      direction: "buy",
      openedMs: at("2026-03-02T10:00:10Z"),
      closedMs: at("2026-03-02T10:01:30Z"),
      entryPrice: "1.20000",
      exitPrice: "1.20200",
      grossProfit: "200",
      initialStopLoss: "1.19900",
      initialRiskAmount: null,
      pipSize: "0.0001",
    };
    const bars = [bar("2026-03-02T10:00:00Z", "1.20500", "1.19500"), bar("2026-03-02T10:01:00Z", "1.20600", "1.19000")];
    // With the legs: MFE = the better leg 1.203 − 1.2 = 0.003 (30 pips, 3R on a 0.001 stop); efficiency 0.002 / 0.003 → 0.6667.
    expect(excursionOf({ ...base, exitLegPrices: ["1.20300", "1.20100"] }, bars, "M1")).toMatchObject({
      mfePrice: "0.003",
      maePrice: "0",
      mfeR: "3",
      maeR: "0",
      efficiency: "0.6667",
      barsOverlapping: 2,
    });
    // Without them only the average exit is known: MFE 0.002, efficiency 1.
    expect(excursionOf(base, bars, "M1")).toMatchObject({ mfePrice: "0.002", maePrice: "0", efficiency: "1" });
  });

  it("measures a trade entirely inside one bar by its entry and exit only", () => {
    const win: ExcursionTrade = {
      direction: "buy",
      openedMs: at("2026-03-02T10:00:10Z"),
      closedMs: at("2026-03-02T10:00:50Z"),
      entryPrice: "1.10000",
      exitPrice: "1.10050",
      grossProfit: "50",
      initialStopLoss: "1.09900",
      initialRiskAmount: null,
      pipSize: "0.0001",
    };
    const bars = [bar("2026-03-02T10:00:00Z", "1.10200", "1.09700")];
    // The bar's 20-pip high and 30-pip low may lie outside the 40 seconds: MFE = the exit's 5 pips, MAE 0, efficiency 1.
    expect(excursionOf(win, bars, "M1")).toMatchObject({
      mfePrice: "0.0005",
      mfePips: "5",
      maePrice: "0",
      maeMoney: "0",
      mfeMoney: "50",
      mfeR: "0.5",
      efficiency: "1",
      barsOverlapping: 1,
    });
    // A loser inside one bar: MAE = the 2 pips it closed at, MFE 0, so no efficiency (nothing to capture).
    const loss = { ...win, exitPrice: "1.09980", grossProfit: "-20" };
    expect(excursionOf(loss, bars, "M1")).toMatchObject({ maePrice: "0.0002", maePips: "2", maeMoney: "20", mfePrice: "0", efficiency: null });
    // The same on M5: the one bar 10:00–10:05 is still only partly the trade's.
    expect(excursionOf(win, bars, "M5")).toMatchObject({ timeframe: "M5", mfePrice: "0.0005", maePrice: "0" });
  });

  it("skips missing bars, and has nothing to say when no bar overlaps the trade", () => {
    const trade: ExcursionTrade = {
      direction: "sell",
      openedMs: at("2026-03-02T10:00:00Z"),
      closedMs: at("2026-03-02T10:10:00Z"),
      entryPrice: "2000.00",
      exitPrice: "1995.00",
      grossProfit: "500",
      initialStopLoss: "2010.00",
      initialRiskAmount: null,
      pipSize: "0.1",
    };
    // Only two bars in ten minutes (a data gap).
    const gappy = [bar("2026-03-02T10:01:00Z", "2003.50", "1999.00"), bar("2026-03-02T10:07:00Z", "1998.00", "1992.00")];
    // Sell: MAE 2003.5 − 2000 = 3.5 (35 pips of 0.1), MFE 2000 − 1992 = 8 (80 pips); captured 5 → efficiency 0.625.
    // Money per price unit 500 / 5 = 100 → MAE $350, MFE $800. Stop distance 10 → MAE 0.35R, MFE 0.8R.
    expect(excursionOf(trade, gappy, "M1")).toMatchObject({
      maePrice: "3.5",
      mfePrice: "8",
      maePips: "35",
      mfePips: "80",
      maeMoney: "350",
      mfeMoney: "800",
      maeR: "0.35",
      mfeR: "0.8",
      efficiency: "0.625",
      barsOverlapping: 2,
    });
    expect(excursionOf(trade, [], "M1")).toBeNull();
    expect(excursionOf(trade, [bar("2026-03-02T09:58:00Z", "2100", "1900"), bar("2026-03-02T10:11:00Z", "2100", "1900")], "M1")).toBeNull();
  });

  it("carries a weekend gap against the trade in its MAE", () => {
    // EURUSD bought Friday 21:58 UTC at 1.08000; the market shuts at 22:00 UTC and reopens Sunday 21:00 UTC
    // (New York's clocks moved on 8 March) 20 pips lower; sold Sunday 21:02 at 1.07800 for −$200 on 1 lot.
    const trade: ExcursionTrade = {
      direction: "buy",
      openedMs: at("2026-03-06T21:58:00Z"),
      closedMs: at("2026-03-08T21:02:00Z"),
      entryPrice: "1.08000",
      exitPrice: "1.07800",
      grossProfit: "-200",
      initialStopLoss: "1.07500",
      initialRiskAmount: null,
      pipSize: "0.0001",
    };
    const bars = [
      bar("2026-03-06T21:58:00Z", "1.08020", "1.07990"),
      bar("2026-03-06T21:59:00Z", "1.08040", "1.08000"), // highest high before the close
      bar("2026-03-08T21:00:00Z", "1.07900", "1.07700"), // the gap: lowest low
      bar("2026-03-08T21:01:00Z", "1.07850", "1.07750"),
      bar("2026-03-08T21:02:00Z", "1.07900", "1.07000"), // exit bar: left out
    ];
    // MFE 1.0804 − 1.08 = 0.0004 (4 pips); MAE 1.08 − 1.077 = 0.003 (30 pips).
    // Captured −0.002 → efficiency −0.002 / 0.0004 = −5. Money per price unit −200 / −0.002 = 100,000 → MAE $300, MFE $40.
    // Stop distance 0.005 → MAE 0.6R, MFE 0.08R.
    expect(excursionOf(trade, bars, "M1")).toMatchObject({
      maePips: "30",
      mfePips: "4",
      maeMoney: "300",
      mfeMoney: "40",
      maeR: "0.6",
      mfeR: "0.08",
      efficiency: "-5",
      maeAtMs: at("2026-03-08T21:00:00Z"),
      mfeAtMs: at("2026-03-06T21:59:00Z"),
      barsOverlapping: 5,
    });
  });

  it("prices a trade closed at its entry with the instrument's value per price unit, or leaves money empty without one", () => {
    const flat: ExcursionTrade = {
      direction: "buy",
      openedMs: at("2026-03-02T10:00:00Z"),
      closedMs: at("2026-03-02T10:03:00Z"),
      entryPrice: "1.10000",
      exitPrice: "1.10000",
      grossProfit: "0",
      initialStopLoss: "1.09900",
      initialRiskAmount: null,
      pipSize: "0.0001",
    };
    const bars = [bar("2026-03-02T10:00:00Z", "1.10030", "1.09980"), bar("2026-03-02T10:01:00Z", "1.10010", "1.09960")];
    // MFE 0.0003, MAE 0.0004; 0.5 lot → 50,000 per price unit: MFE $15, MAE $20; stop 0.001 → 0.3R / 0.4R; captured 0.
    expect(excursionOf({ ...flat, fallbackMoneyPerPrice: "50000" }, bars, "M1")).toMatchObject({
      mfeMoney: "15",
      maeMoney: "20",
      mfeR: "0.3",
      maeR: "0.4",
      efficiency: "0",
    });
    expect(excursionOf(flat, bars, "M1")).toMatchObject({ mfeMoney: null, maeMoney: null, mfeR: "0.3", maeR: "0.4" });
    // Unknown instrument: no pips either.
    expect(excursionOf({ ...flat, pipSize: null }, bars, "M1")).toMatchObject({ mfePips: null, maePips: null, mfePrice: "0.0003" });
  });
});

describe("excursionOf on M1 ends and M5 middle", () => {
  it("gives the M1 figures when M5 bars stand for the M1 bars between the ends", () => {
    // Buy at 1.10000 from 10:02:30 to 10:16:20, stop 1.09900.
    const trade: ExcursionTrade = {
      direction: "buy",
      openedMs: at("2026-03-02T10:02:30Z"),
      closedMs: at("2026-03-02T10:16:20Z"),
      entryPrice: "1.10000",
      exitPrice: "1.10020",
      grossProfit: "20",
      initialStopLoss: "1.09900",
      initialRiskAmount: null,
      pipSize: "0.0001",
    };
    const m5 = (iso: string, high: string, low: string): ExcursionBar => ({ ...bar(iso, high, low), spanMs: 300_000 });
    const series = [
      bar("2026-03-02T10:02:00Z", "1.10500", "1.09500"), // entry bar: partial, left out
      bar("2026-03-02T10:03:00Z", "1.10040", "1.09990"),
      bar("2026-03-02T10:04:00Z", "1.10030", "1.09970"), // lowest whole-bar low
      m5("2026-03-02T10:05:00Z", "1.10090", "1.09980"), // the M5 bar is its five M1 bars' high and low
      m5("2026-03-02T10:10:00Z", "1.10120", "1.10000"), // highest high
      bar("2026-03-02T10:15:00Z", "1.10060", "1.10010"),
      bar("2026-03-02T10:16:00Z", "1.10800", "1.09000"), // exit bar: partial, left out
    ];
    // MFE 1.1012 − 1.1 = 0.0012 (12 pips, 1.2R); MAE 1.1 − 1.0997 = 0.0003 (3 pips, 0.3R); efficiency 0.0002 / 0.0012 → 0.1667.
    expect(excursionOf(trade, series, "M1")).toMatchObject({
      timeframe: "M1",
      mfePips: "12",
      maePips: "3",
      mfeR: "1.2",
      maeR: "0.3",
      efficiency: "0.1667",
      mfeAtMs: at("2026-03-02T10:10:00Z"),
      maeAtMs: at("2026-03-02T10:04:00Z"),
      barsOverlapping: 7,
    });
    // An M5 bar reaching past the exit is only partly the trade's.
    expect(excursionOf({ ...trade, closedMs: at("2026-03-02T10:13:00Z") }, series.slice(0, 5), "M1")).toMatchObject({ mfePips: "9" });
  });
});

describe("seriesCovers", () => {
  const trade = { openedMs: at("2026-03-02T10:00:30Z"), closedMs: at("2026-03-02T10:20:00Z") };

  it("wants history back to the entry bar and a bar overlapping the trade", () => {
    expect(seriesCovers([bar("2026-03-02T10:00:00Z", "1", "1"), bar("2026-03-02T10:05:00Z", "1", "1")], "M5", trade)).toBe(true);
    // M1 history that starts ten minutes after the entry (the terminal keeps too few M1 bars): M5 is used instead.
    expect(seriesCovers([bar("2026-03-02T10:10:00Z", "1", "1")], "M1", trade)).toBe(false);
    expect(seriesCovers([], "M1", trade)).toBe(false);
    // History reaches back, but every bar is outside the trade.
    expect(seriesCovers([bar("2026-03-02T09:00:00Z", "1", "1"), bar("2026-03-02T11:00:00Z", "1", "1")], "M1", trade)).toBe(false);
    // The entry minute printed no tick: the next bar still counts as reaching the entry.
    expect(seriesCovers([bar("2026-03-02T10:01:00Z", "1", "1")], "M1", trade)).toBe(true);
  });
});
