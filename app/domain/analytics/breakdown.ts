import { divideMoney, formatMoney, type MoneyScale } from "./money.ts";
import { openWeekHours, prepare } from "./prepare.ts";
import { profitFactor } from "./ratios.ts";
import { MIN_SAMPLE } from "./sequences.ts";
import { wilsonInterval } from "./statistics.ts";
import type { AnalyticsSource, BreakdownDimension, BreakdownRow, DayRule } from "./types.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Holding-time buckets: lower bound inclusive, upper exclusive. */
export const DURATION_BUCKETS = [
  { key: "under-5m", label: "< 5 min", below: 5 * MINUTE },
  { key: "5m-30m", label: "5–30 min", below: 30 * MINUTE },
  { key: "30m-2h", label: "30 min–2 h", below: 2 * HOUR },
  { key: "2h-8h", label: "2–8 h", below: 8 * HOUR },
  { key: "8h-1d", label: "8 h–1 d", below: DAY },
  { key: "1d-7d", label: "1–7 d", below: 7 * DAY },
  { key: "over-7d", label: "> 7 d", below: Infinity },
] as const;

export const WEEKDAY_LABELS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** Key of the row for trades without a session / without tags (never a real session or tag). */
export const NONE_KEY = "";

class RowTotals {
  trades = 0;
  wins = 0;
  grossProfit = 0;
  grossLoss = 0;
  rTotal = 0;
  rCount = 0;

  readonly key: string;
  readonly label: string;

  constructor(key: string, label: string) {
    this.key = key;
    this.label = label;
  }

  /** Adds a trade: its net in integer units and its R (NaN without one). */
  add(net: number, r: number): void {
    this.trades++;
    if (net > 0) {
      this.wins++;
      this.grossProfit += net;
    } else if (net < 0) {
      this.grossLoss += net;
    }
    if (r === r) {
      this.rTotal += r;
      this.rCount++;
    }
  }

  row(scale: MoneyScale): BreakdownRow {
    const net = this.grossProfit + this.grossLoss;
    return {
      key: this.key,
      label: this.label,
      trades: this.trades,
      wins: this.wins,
      winRate: this.trades ? this.wins / this.trades : null,
      winRateInterval: wilsonInterval(this.wins, this.trades),
      net: formatMoney(net, scale),
      expectancy: this.trades ? divideMoney(net, this.trades, scale) : null,
      profitFactor: this.trades ? profitFactor(this.grossProfit, this.grossLoss) : null,
      averageR: this.rCount ? this.rTotal / this.rCount : null,
      smallSample: this.trades < MIN_SAMPLE,
    };
  }
}

function durationKeyIndex(ms: number): number {
  return DURATION_BUCKETS.findIndex((bucket) => ms < bucket.below);
}

/**
 * Per-row figures by one dimension (docs/metrics.md#breakdowns). Weekday and
 * hour use the OPEN time on the user's wall clock (no day-start shift).
 * Ordinal dimensions (weekday, hour, duration, direction) list every bucket
 * in natural order, empty ones with null figures; categorical ones (symbol,
 * session, tag) list the values present, most trades first, then by key.
 * A trade counts once in each of its (distinct) tags; trades without tags,
 * or without a session, go to the row keyed "" ("Untagged" / "No session").
 */
export function breakdown(input: AnalyticsSource, by: BreakdownDimension, rule: DayRule = input.dayRule): BreakdownRow[] {
  const prepared = prepare(input);
  const { net, r, scale } = prepared;
  const n = prepared.count;
  const fixed = (entries: readonly { key: string; label: string }[]) => entries.map((e) => new RowTotals(e.key, e.label));
  // Categorical rows by code (one code per distinct value), made as the values appear.
  const named: (RowTotals | undefined)[] = [];
  const namedRow = (code: number, key: string, label: string) => (named[code] ??= new RowTotals(key, label));

  let rows: RowTotals[] | null = null;
  switch (by) {
    case "weekday": {
      rows = fixed(WEEKDAY_LABELS.map((label, i) => ({ key: String(i), label })));
      const cells = openWeekHours(prepared, rule.timeZone);
      for (let i = 0; i < n; i++) rows[Math.floor(cells[i]! / 24)]!.add(net[i]!, r[i]!);
      break;
    }
    case "hour": {
      rows = fixed(Array.from({ length: 24 }, (_, h) => ({ key: String(h), label: `${String(h).padStart(2, "0")}:00` })));
      const cells = openWeekHours(prepared, rule.timeZone);
      for (let i = 0; i < n; i++) rows[cells[i]! % 24]!.add(net[i]!, r[i]!);
      break;
    }
    case "duration": {
      rows = fixed(DURATION_BUCKETS);
      for (let i = 0; i < n; i++) rows[durationKeyIndex(prepared.closeMs[i]! - prepared.openMs[i]!)]!.add(net[i]!, r[i]!);
      break;
    }
    case "direction": {
      rows = fixed([
        { key: "buy", label: "Buy" },
        { key: "sell", label: "Sell" },
      ]);
      for (let i = 0; i < n; i++) rows[prepared.buy[i] ? 0 : 1]!.add(net[i]!, r[i]!);
      break;
    }
    case "symbol":
      for (let i = 0; i < n; i++) {
        const code = prepared.symbol[i]!;
        namedRow(code, prepared.symbols[code]!, prepared.symbols[code]!).add(net[i]!, r[i]!);
      }
      break;
    case "session":
      for (let i = 0; i < n; i++) {
        const code = prepared.session[i]!;
        const session = prepared.sessions[code] ?? null;
        namedRow(code, session ?? NONE_KEY, session ?? "No session").add(net[i]!, r[i]!);
      }
      break;
    case "tag": {
      // Tag codes are distinct per trade; "Untagged" takes the code after the last tag.
      const untagged = prepared.tagNames.length;
      for (let i = 0; i < n; i++) {
        const first = prepared.tagStart[i]!;
        const end = prepared.tagStart[i + 1]!;
        if (first === end) namedRow(untagged, NONE_KEY, "Untagged").add(net[i]!, r[i]!);
        for (let j = first; j < end; j++) {
          const code = prepared.tagCode[j]!;
          namedRow(code, prepared.tagNames[code]!, prepared.tagNames[code]!).add(net[i]!, r[i]!);
        }
      }
      break;
    }
  }
  if (rows) return rows.map((row) => row.row(scale));
  return named
    .filter((row) => row !== undefined)
    .sort((a, b) => b.trades - a.trades || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((row) => row.row(scale));
}
