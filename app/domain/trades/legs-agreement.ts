// A trade's money against the sum of its legs. Storage keeps both: the
// trade's own gross profit, commission, swap and fee (what the broker's
// position row says, or what the user typed) and every deal's. They agree
// unless a figure was edited by hand or the broker rounded the position and
// its deals differently; the trade page then shows both figures.
import { dec, sum, toDecimalString } from "../decimal.ts";

export interface MoneyFields {
  grossProfit: string;
  commission: string;
  swap: string;
  fee: string;
}

export interface LegMoney {
  profit: string;
  commission: string;
  swap: string;
  fee: string;
}

export interface LegsDisagreement {
  field: keyof MoneyFields;
  /** "Gross profit", "Commission", … as the page labels them. */
  label: string;
  trade: string;
  legs: string;
  /** trade − legs. */
  difference: string;
}

const FIELDS: { field: keyof MoneyFields; leg: keyof LegMoney; label: string }[] = [
  { field: "grossProfit", leg: "profit", label: "Gross profit" },
  { field: "commission", leg: "commission", label: "Commission" },
  { field: "swap", leg: "swap", label: "Swap" },
  { field: "fee", leg: "fee", label: "Fees" },
];

/** The money fields where the trade and the sum of its legs differ (none for a trade without legs). */
export function legsDisagreements(trade: MoneyFields, legs: readonly LegMoney[]): LegsDisagreement[] {
  if (legs.length === 0) return [];
  const out: LegsDisagreement[] = [];
  for (const { field, leg, label } of FIELDS) {
    const legsTotal = sum(legs.map((item) => item[leg]));
    const difference = dec(trade[field]).minus(legsTotal);
    if (!difference.eq(0)) {
      out.push({
        field,
        label,
        trade: toDecimalString(dec(trade[field])),
        legs: toDecimalString(legsTotal),
        difference: toDecimalString(difference),
      });
    }
  }
  return out;
}
