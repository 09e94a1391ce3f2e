// The shapes of the analytics views as loaders return them, in a module of
// types only, so components import them without touching server code.
import type { BreakdownDimension, BreakdownRow, CalendarMonth, DayRule, HeatmapCell, Summary } from "~/domain/analytics/index.ts";
import type { PeriodKey } from "~/domain/periods/period.ts";

export interface ScopeAccount {
  id: string;
  name: string;
  currency: string;
  kind: "manual" | "mt5";
}

export interface AnalyticsScope {
  accounts: ScopeAccount[];
  /** Currencies the user holds accounts in, most accounts first. */
  currencies: string[];
  /** The accounts the view sums; empty when the user has none. */
  accountIds: string[];
  currency: string;
  /** "account=…" value of the view: an account id or "all-USD". */
  key: string;
  label: string;
  timeZone: string;
  dayRule: DayRule;
  tags: { id: string; name: string }[];
}

export interface PeriodView {
  key: PeriodKey;
  label: string;
  firstDay: string | null;
  lastDay: string | null;
  previous: { firstDay: string; lastDay: string } | null;
}

/** A balance-curve point for the browser: seconds since the epoch, money as text. */
export interface CurvePointView {
  time: number;
  balance: string;
  drawdown: string;
  drawdownPercent: number;
  kind: "start" | "trade" | "cash";
  refId: string | null;
}

export interface DashboardStats {
  currency: string;
  scopeLabel: string;
  period: PeriodView;
  summary: Summary;
  previous: Summary | null;
  curve: CurvePointView[];
  /** Points of the full curve (the chart shows `curve`, thinned when this is larger). */
  curvePoints: number;
  cashMovements: number;
  calendar: CalendarMonth[];
}

export interface AnalyticsBreakdowns {
  currency: string;
  scopeLabel: string;
  period: PeriodView;
  summary: Summary;
  breakdowns: Record<BreakdownDimension, BreakdownRow[]>;
  heatmap: HeatmapCell[];
}
