// The balance curve of the period with cash movements marked, and the
// drawdown (cash-neutralised, metrics.md) in a pane beneath: lightweight-charts
// v5 (`chart.addSeries(…)`, `createSeriesMarkers`), loaded in the browser only
// so the dashboard's first load stays small. Zoom with the wheel, a pinch or a
// drag; hovering a point names the trade or movement behind it. Without
// JavaScript the figures beside it still read.
import { Link } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { formatDateTime, formatMoney } from "~/lib/format.ts";
import type { CurvePointView } from "~/models/analytics/types.ts";

interface Hovered {
  point: CurvePointView;
}

/** Chart times must rise strictly: points in the same second move apart by a second (display only). */
export function chartTimes(points: CurvePointView[]): number[] {
  const times: number[] = [];
  for (const point of points) times.push(times.length && point.time <= times.at(-1)! ? times.at(-1)! + 1 : point.time);
  return times;
}

export function EquityChart({
  points,
  currency,
  timeZone,
  totalPoints,
}: {
  points: CurvePointView[];
  currency: string;
  timeZone: string;
  totalPoints: number;
}) {
  const container = useRef<HTMLDivElement>(null);
  const [hovered, setHovered] = useState<Hovered | null>(null);
  const [ready, setReady] = useState(false);
  const resetRef = useRef<(() => void) | null>(null);

  useEffect(() => {
    const element = container.current;
    if (!element || points.length < 2) return;
    let disposed = false;
    let cleanup = () => {};
    void import("lightweight-charts").then(({ createChart, createSeriesMarkers, LineSeries, AreaSeries, ColorType, CrosshairMode }) => {
      if (disposed) return;
      const times = chartTimes(points);
      const byTime = new Map(times.map((time, index) => [time, points[index]!]));
      const dateText = (time: number) => formatDateTime(new Date(time * 1000), timeZone);
      const chart = createChart(element, {
        autoSize: true,
        layout: { background: { type: ColorType.Solid, color: "#111118" }, textColor: "#9ca3af", panes: { separatorColor: "#26263a" } },
        grid: { vertLines: { color: "#1a1a24" }, horzLines: { color: "#1a1a24" } },
        rightPriceScale: { borderColor: "#26263a" },
        timeScale: {
          borderColor: "#26263a",
          timeVisible: true,
          tickMarkFormatter: (time: number) => dateText(time).slice(0, 10),
        },
        localization: { timeFormatter: (time: number) => dateText(time), priceFormatter: (price: number) => formatMoney(price.toFixed(2), currency) },
        crosshair: { mode: CrosshairMode.Magnet },
      });
      const balance = chart.addSeries(LineSeries, { color: "#818cf8", lineWidth: 2, priceLineVisible: false, lastValueVisible: true }, 0);
      balance.setData(times.map((time, index) => ({ time: time as never, value: Number(points[index]!.balance) })));
      const drawdown = chart.addSeries(
        AreaSeries,
        {
          lineColor: "#ef4444",
          topColor: "rgba(239,68,68,0.05)",
          bottomColor: "rgba(239,68,68,0.4)",
          lineWidth: 1,
          priceLineVisible: false,
          invertFilledArea: true,
        },
        1,
      );
      drawdown.setData(times.map((time, index) => ({ time: time as never, value: -Number(points[index]!.drawdown) })));
      chart.panes()[1]?.setHeight(110);
      createSeriesMarkers(
        balance,
        points.flatMap((point, index) =>
          point.kind === "cash"
            ? [
                {
                  time: times[index] as never,
                  position: Number(point.balance) >= 0 ? ("belowBar" as const) : ("aboveBar" as const),
                  shape: "circle" as const,
                  color: "#38bdf8",
                  size: 1,
                },
              ]
            : [],
        ),
      );
      chart.subscribeCrosshairMove((param) => {
        const point = typeof param.time === "number" ? byTime.get(param.time) : undefined;
        setHovered(point ? { point } : null);
      });
      chart.timeScale().fitContent();
      resetRef.current = () => chart.timeScale().fitContent();
      setReady(true);
      cleanup = () => chart.remove();
    });
    return () => {
      disposed = true;
      cleanup();
      resetRef.current = null;
    };
  }, [points, currency, timeZone]);

  if (points.length < 2) {
    return <p className="card px-4 py-6 text-sm text-fg-muted">The balance curve appears once the period has a closed trade or a cash movement.</p>;
  }
  const shown = hovered?.point ?? points.at(-1)!;
  return (
    <div className="card p-3">
      <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2 text-xs" aria-live="polite" data-chart-legend>
        <p className="text-fg-muted">
          <span className="tabular-nums text-fg">{formatDateTime(new Date(shown.time * 1000), timeZone)}</span> · balance{" "}
          <span className="tabular-nums text-fg">{formatMoney(shown.balance, currency)}</span> · drawdown{" "}
          <span className="tabular-nums text-red-300">{formatMoney(shown.drawdown, currency)}</span>
          {shown.kind === "trade" && shown.refId ? (
            <>
              {" · "}
              <Link to={`/trades/${shown.refId}`} className="link">
                the trade
              </Link>
            </>
          ) : shown.kind === "cash" ? (
            <span className="text-sky-300"> · cash movement</span>
          ) : null}
        </p>
        <div className="flex items-center gap-3">
          {totalPoints > points.length ? <span className="text-fg-subtle">{totalPoints.toLocaleString("en-US")} points, drawn thinned</span> : null}
          <button type="button" className="btn-ghost px-2 py-0.5 text-xs" onClick={() => resetRef.current?.()} disabled={!ready}>
            Reset zoom
          </button>
        </div>
      </div>
      <div
        ref={container}
        className="h-80 w-full sm:h-96"
        role="img"
        aria-label="Balance curve with the drawdown beneath"
        data-chart-ready={ready ? "true" : "false"}
      >
        <noscript>
          <p className="p-4 text-sm text-fg-muted">The balance chart needs JavaScript; the figures above do not.</p>
        </noscript>
      </div>
    </div>
  );
}
