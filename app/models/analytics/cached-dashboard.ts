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
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const fractionDigits = (text: string) => {
  const point = text.indexOf(".");
  return point < 0 ? 0 : text.length - point - 1;
};

/** Decimal text ("-12.5") as an integer count of 10^-decimals (decimals ≥ its own fraction digits). */
function unitsAt(text: string, decimals: number): number {
  const negative = text.startsWith("-");
  const [whole = "", fraction = ""] = (negative ? text.slice(1) : text).split(".");
  const units = Number(whole + fraction.padEnd(decimals, "0"));
  return negative ? -units : units;
}

/**
 * The drawdown percent of a curve point from its money text, as the balance
 * curve computes it from integer units: drawdown / (balance + drawdown). Both
 * read at the same (their longer) decimals are the curve's units divided by
 * one power of ten, so the quotient is the same double whenever they are
 * exact integers — and packCurve keeps the percents when any point differs.
 */
export function drawdownPercentOf(balance: string, drawdown: string): number {
  const decimals = Math.max(fractionDigits(balance), fractionDigits(drawdown));
  const down = unitsAt(drawdown, decimals);
  const peak = unitsAt(balance, decimals) + down;
  return peak <= 0 ? 0 : (down / peak) * 100;
}

function packIds(curve: CurvePointView[]): string | null {
  const bytes = Buffer.alloc(16 * curve.length);
  let length = 0;
  for (const point of curve) {
    if (point.kind === "start") {
      if (point.refId !== null) return null;
      continue;
    }
    if (point.refId === null || !UUID.test(point.refId)) return null;
    bytes.write(point.refId.replaceAll("-", ""), length, "hex");
    length += 16;
  }
  return bytes.subarray(0, length).toString("base64");
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
  const ids = typeof packed.refIds === "string" ? Buffer.from(packed.refIds, "base64") : null;
  let next = 0;
  const idAt = (k: number, kind: CurvePointView["kind"]): string | null => {
    if (!ids) return (packed.refIds as (string | null)[])[k]!;
    if (kind === "start") return null;
    const hex = ids.toString("hex", next * 16, ++next * 16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
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
