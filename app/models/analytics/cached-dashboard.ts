// The dashboard's figures as the analytics cache stores them. Writing the
// cache row costs in proportion to its bytes (about 0.04 ms a KB: jsonb
// input, compression, WAL; bench/analytics.ts), and the balance curve (up to
// 2,002 points) was nine tenths of them as objects that repeat six key names,
// a 36-character id and a 17-digit percent each. So the curve is stored as
// columns, the ids as their 16 bytes in base64, and the drawdown percent not
// at all when every point's follows exactly from its balance and drawdown
// text. Reading gives back exactly the view that was stored: what would not
// come back the same (checked while packing) is stored as it is.
import type { CurvePointView, DashboardStats } from "./types.ts";

interface PackedCurve {
  time: number[];
  balance: string[];
  drawdown: string[];
  /** null: every point's is drawdownPercentOf(its balance, its drawdown). */
  drawdownPercent: number[] | null;
  /** One letter a point: s(tart), t(rade) or c(ash). */
  kind: string;
  /** Base64 of the 16 bytes of each id, the start point (no id) skipped; else the ids as they are. */
  refIds: string | (string | null)[];
}

export interface CachedDashboard extends Omit<DashboardStats, "curve"> {
  curve: PackedCurve;
}

const KIND_LETTERS = { start: "s", trade: "t", cash: "c" } as const;
const KINDS = { s: "start", t: "trade", c: "cash" } as const;
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * Decimal text ("-12.5") as an integer count of 10^-decimals, and its own
 * fraction digits (exact while the digits fit a double's 53 bits, which the
 * packing checks by comparing results).
 */
function unitsOf(text: string): { units: number; decimals: number } {
  const negative = text.charCodeAt(0) === 45; // "-"
  let units = 0;
  let decimals = -1;
  for (let i = negative ? 1 : 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 46)
      decimals = 0; // "."
    else {
      units = units * 10 + (code - 48);
      if (decimals >= 0) decimals++;
    }
  }
  return { units: negative ? -units : units, decimals: Math.max(decimals, 0) };
}

/**
 * The drawdown percent of a curve point from its money text, as the balance
 * curve computes it from integer units: drawdown / (balance + drawdown). Both
 * read at the same (their longer) decimals are the curve's units divided by
 * one power of ten, so the quotient is the same double whenever they are
 * exact integers — and packCurve keeps the percents when any point differs.
 */
export function drawdownPercentOf(balance: string, drawdown: string): number {
  const b = unitsOf(balance);
  const d = unitsOf(drawdown);
  const decimals = Math.max(b.decimals, d.decimals);
  const down = d.units * POWERS_OF_TEN[decimals - d.decimals]!;
  const peak = b.units * POWERS_OF_TEN[decimals - b.decimals]! + down;
  return peak <= 0 ? 0 : (down / peak) * 100;
}

/** The ids of the points after the start as base64 of their bytes, or null when one is not a lowercase uuid. */
function packIds(curve: CurvePointView[]): string | null {
  const hex: string[] = [];
  for (const { kind, refId: id } of curve) {
    if (kind === "start") {
      if (id !== null) return null;
      continue;
    }
    if (id === null || id.length !== 36 || id[8] !== "-" || id[13] !== "-" || id[18] !== "-" || id[23] !== "-") return null;
    hex.push(id.slice(0, 8), id.slice(9, 13), id.slice(14, 18), id.slice(19, 23), id.slice(24));
  }
  const text = hex.join("");
  // Buffer stops at the first character that is not hex: every one was if all came through.
  const bytes = Buffer.from(text, "hex");
  return bytes.length * 2 === text.length && text === text.toLowerCase() ? bytes.toString("base64") : null;
}

function packCurve(curve: CurvePointView[]): PackedCurve {
  const percents = curve.map((p) => p.drawdownPercent);
  const derivable = curve.every((p) => Object.is(drawdownPercentOf(p.balance, p.drawdown), p.drawdownPercent));
  return {
    time: curve.map((p) => p.time),
    balance: curve.map((p) => p.balance),
    drawdown: curve.map((p) => p.drawdown),
    drawdownPercent: derivable ? null : percents,
    kind: curve.map((p) => KIND_LETTERS[p.kind]).join(""),
    refIds: packIds(curve) ?? curve.map((p) => p.refId),
  };
}

function unpackCurve(packed: PackedCurve): CurvePointView[] {
  const hex = typeof packed.refIds === "string" ? Buffer.from(packed.refIds, "base64").toString("hex") : null;
  let next = 0;
  const idAt = (k: number, kind: CurvePointView["kind"]): string | null => {
    if (hex === null) return (packed.refIds as (string | null)[])[k]!;
    if (kind === "start") return null;
    const at = 32 * next++;
    return `${hex.slice(at, at + 8)}-${hex.slice(at + 8, at + 12)}-${hex.slice(at + 12, at + 16)}-${hex.slice(at + 16, at + 20)}-${hex.slice(at + 20, at + 32)}`;
  };
  return packed.time.map((time, k) => {
    const balance = packed.balance[k]!;
    const drawdown = packed.drawdown[k]!;
    const kind = KINDS[packed.kind[k] as keyof typeof KINDS];
    return {
      time,
      balance,
      drawdown,
      drawdownPercent: packed.drawdownPercent ? packed.drawdownPercent[k]! : drawdownPercentOf(balance, drawdown),
      kind,
      refId: idAt(k, kind),
    };
  });
}

/** The dashboard's figures as the cache stores them (cache.server.ts). */
export const dashboardCacheCodec = {
  store: (view: DashboardStats): CachedDashboard => ({ ...view, curve: packCurve(view.curve) }),
  read: (stored: CachedDashboard): DashboardStats => ({ ...stored, curve: unpackCurve(stored.curve) }),
};
