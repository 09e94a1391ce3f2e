// How the psychology signals read, the same on the trade, the day and
// /analytics: "opened 12 min after a −$240.00 loss on EURUSD at 1.6× its size".
import { OVERTRADING_MEDIAN_MULTIPLE } from "~/domain/psychology/rules.ts";
import { formatDecimal, formatMoney } from "~/lib/format.ts";

/** Where the rules and thresholds are explained in the app. */
export const SIGNALS_HELP_PATH = "/metrics#psychology-signals";

export function lossAmount(net: string, currency: string): string {
  // A typographic minus: "−$240.00" reads as one amount.
  return formatMoney(net, currency).replace(/^-/, "−");
}

export function sizeRatioText(ratio: string): string {
  return `${formatDecimal(ratio, 1)}×`;
}

export function minutesText(minutes: number): string {
  return minutes < 1 ? "less than a minute" : `${minutes} min`;
}

export function perDay(value: number): string {
  return formatDecimal(value, 1);
}

/** "twice" for the default overtrading multiple, "3×" otherwise. */
export const OVERTRADING_MULTIPLE_TEXT = OVERTRADING_MEDIAN_MULTIPLE === 2 ? "twice" : `${OVERTRADING_MEDIAN_MULTIPLE}×`;
