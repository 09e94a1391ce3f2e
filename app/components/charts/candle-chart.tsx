// A candlestick chart (lightweight-charts v5), drawn only in the browser: the
// server renders a placeholder of the chart's exact height (no layout shift)
// and the chart is made after hydration. The library is imported with the
// module (not after hydration): the chart is the page's main content, so its
// code loads beside the route's instead of one round trip later; only the
// routes that draw candles carry it.
// Bars stay UTC; only the labels show the given time zone. Markers sit on the
// bar containing their time, and the shaded span is an overlay kept in step
// with the time scale.
import { useEffect, useRef, useState } from "react";
import {
  CandlestickSeries,
  ColorType,
  createChart,
  createSeriesMarkers,
  CrosshairMode,
  LineStyle,
  type AutoscaleInfo,
  type CandlestickData,
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type MouseEventParams,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from "lightweight-charts";
import { barIndexAt, priceExtentBetween, spanRange, type PricedTimes } from "~/domain/charts/chart-geometry.ts";

import { crosshairLabel, tickLabel, type TickKind } from "~/domain/charts/zone-time-format.ts";
import { SpanShade } from "./span-shade.ts";
import type { CandleChartProps, ChartCandle } from "./candle-chart-types.ts";

export type { CandleChartProps, ChartCandle, ChartMarker, ChartPriceLine, ChartSpan } from "./candle-chart-types.ts";

const TICK_KINDS: readonly TickKind[] = ["year", "month", "day", "time", "seconds"];
const DEFAULT_HEIGHT = 360;
const SPAN_COLOR = "rgba(99, 102, 241, 0.14)";

const THEME = {
  background: "#111118",
  text: "#9ca3af",
  grid: "#1d1d2b",
  border: "#26263a",
  up: "#22c55e",
  down: "#ef4444",
} as const;

interface ChartHandles {
  chart: IChartApi;
  series: ISeriesApi<"Candlestick">;
  shade: SpanShade;
  markers: ISeriesMarkersPluginApi<Time>;
  lineStyle: { solid: number; dashed: number };
  /** False once the chart is removed: effect cleanups running after it must not touch it (the library throws). */
  live: { current: boolean };
}

interface Hover {
  text: string;
  x: number;
  y: number;
}

function toSeconds(time: Time): number {
  return typeof time === "number" ? time : typeof time === "string" ? Date.parse(time) / 1000 : Date.UTC(time.year, time.month - 1, time.day) / 1000;
}

function priceFormat(digits: number) {
  const precision = Math.max(0, Math.min(10, Math.trunc(digits)));
  return { type: "price" as const, precision, minMove: 1 / 10 ** precision };
}

export function CandleChart(props: CandleChartProps) {
  const { candles, markers, onMarkerClick, priceLines, span, timeZone, digits, ariaLabel } = props;
  const height = props.height ?? DEFAULT_HEIGHT;
  const container = useRef<HTMLDivElement>(null);
  const [handles, setHandles] = useState<ChartHandles | null>(null);
  const [failed, setFailed] = useState(false);
  const [hover, setHover] = useState<Hover | null>(null);
  // Read from inside the library's callbacks, which are subscribed once.
  const latest = useRef({ candles, markers, onMarkerClick, span, timeZone, priceLines });
  // The at-price markers' times and prices in time order, for the price scale.
  const markerPrices = useRef<PricedTimes>({ times: [], prices: [] });
  latest.current = { candles, markers, onMarkerClick, span, timeZone, priceLines };

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    let chart: IChartApi | null = null;
    // Marks for the paint benchmark (bench/trade-chart.ts): from here to the first frame after the bars are set.
    performance.mark("candle-chart:create");
    const live = { current: true };
    try {
      chart = createChart(element, {
        autoSize: true,
        layout: {
          background: { type: ColorType.Solid, color: THEME.background },
          textColor: THEME.text,
          fontSize: 11,
          attributionLogo: false,
        },
        grid: { vertLines: { color: THEME.grid }, horzLines: { color: THEME.grid } },
        rightPriceScale: { borderColor: THEME.border },
        timeScale: {
          borderColor: THEME.border,
          timeVisible: true,
          secondsVisible: false,
          tickMarkFormatter: (time: Time, type: number) => tickLabel(toSeconds(time), TICK_KINDS[type] ?? "time", latest.current.timeZone),
        },
        localization: { timeFormatter: (time: Time) => crosshairLabel(toSeconds(time), latest.current.timeZone) },
        crosshair: { mode: CrosshairMode.Normal },
      });
      const series = chart.addSeries(CandlestickSeries, {
        upColor: THEME.up,
        downColor: THEME.down,
        borderVisible: false,
        wickUpColor: THEME.up,
        wickDownColor: THEME.down,
        priceFormat: priceFormat(digits),
        priceLineVisible: false,
        // The price scale takes in the stop and target too (a stop off-screen would hide the trade's risk), and the markers placed at prices in view.
        autoscaleInfoProvider: (base: () => AutoscaleInfo | null) => {
          const range = chart?.timeScale().getVisibleRange();
          const placed = range ? priceExtentBetween(markerPrices.current, toSeconds(range.from), toSeconds(range.to)) : null;
          return withPrices(base(), [...(latest.current.priceLines ?? []).map((line) => line.price), ...(placed ? [placed.min, placed.max] : [])]);
        },
      });
      const shade = new SpanShade(SPAN_COLOR);
      series.attachPrimitive(shade);
      const markerApi = createSeriesMarkers(series, []);
      chart.subscribeClick((param: MouseEventParams<Time>) => {
        const id = hoveredMarkerId(param);
        if (id) latest.current.onMarkerClick?.(id);
      });
      chart.subscribeCrosshairMove((param: MouseEventParams<Time>) => {
        const id = hoveredMarkerId(param);
        const marker = id ? latest.current.markers?.find((m) => m.id === id) : undefined;
        const text = marker?.tooltip ?? marker?.text;
        setHover(text && param.point ? { text, x: param.point.x, y: param.point.y } : null);
      });
      setHandles({ chart, series, shade, markers: markerApi, lineStyle: { solid: LineStyle.Solid, dashed: LineStyle.Dashed }, live });
    } catch {
      setFailed(true);
    }
    return () => {
      live.current = false;
      chart?.remove();
      setHandles(null);
    };
    // The chart is made once; props reach it through the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    handles?.series.applyOptions({ priceFormat: priceFormat(digits) });
  }, [handles, digits]);

  useEffect(() => {
    // The formatters read the zone from `latest`; re-applying them redraws the labels.
    handles?.chart.applyOptions({
      localization: { timeFormatter: (time: Time) => crosshairLabel(toSeconds(time), timeZone) },
    });
  }, [handles, timeZone]);

  // Bars: a live update of the last bar (or one new bar) goes through update(), anything else replaces the data.
  const shown = useRef<{ candles: ChartCandle[]; spanKey: string } | null>(null);
  useEffect(() => {
    if (!handles) return;
    const before = shown.current?.candles;
    const spanKey = span ? `${span.from}-${span.to}` : "";
    const live =
      before &&
      before.length > 0 &&
      (candles.length === before.length || candles.length === before.length + 1) &&
      candles[before.length - 2] === before[before.length - 2] &&
      candles[0] === before[0];
    if (live) {
      const last = candles[candles.length - 1]!;
      handles.series.update(last as CandlestickData<UTCTimestamp>);
    } else {
      handles.series.setData(candles as CandlestickData<UTCTimestamp>[]);
      performance.mark("candle-chart:data");
    }
    if (!live || shown.current?.spanKey !== spanKey) fit(handles.chart, candles, span);
    shown.current = { candles, spanKey };
  }, [handles, candles, span]);

  useEffect(() => {
    if (!handles) return;
    const drawn = (markers ?? [])
      .map((marker): SeriesMarker<Time> => {
        const bar = candles[barIndexAt(candles, marker.time)];
        const common = {
          id: marker.id,
          time: (bar?.time ?? marker.time) as UTCTimestamp,
          shape: marker.shape,
          color: marker.color,
          ...(marker.text ? { text: marker.text } : {}),
        };
        if (marker.position === "aboveBar" || marker.position === "belowBar") return { ...common, position: marker.position };
        return { ...common, position: marker.position, price: marker.price ?? bar?.close ?? 0 };
      })
      .sort((a, b) => (a.time as number) - (b.time as number));
    const priced = drawn.filter((marker) => "price" in marker && marker.price !== undefined);
    markerPrices.current = {
      times: priced.map((marker) => marker.time as number),
      prices: priced.map((marker) => (marker as { price: number }).price),
    };
    handles.markers.setMarkers(drawn);
    if (markers?.length) performance.mark("candle-chart:markers");
  }, [handles, candles, markers]);

  useEffect(() => {
    if (!handles) return;
    const lines: IPriceLine[] = (priceLines ?? []).map((line) =>
      handles.series.createPriceLine({
        price: line.price,
        color: line.color,
        title: line.title,
        lineWidth: 1,
        lineStyle: line.dashed ? handles.lineStyle.dashed : handles.lineStyle.solid,
        axisLabelVisible: true,
      }),
    );
    return () => {
      if (handles.live.current) for (const line of lines) handles.series.removePriceLine(line);
    };
  }, [handles, priceLines]);

  // The shaded span: from its first bar (the one a mid-bar open falls in) to its last, behind the candles.
  useEffect(() => {
    if (!handles) return;
    // A span wholly before the first bar shades nothing (barStart would name the first bar).
    const shown = span && candles.length > 0 && span.to >= candles[0]!.time;
    handles.shade.setBars(shown ? { first: barStart(candles, span.from), last: barStart(candles, span.to) } : null);
  }, [handles, candles, span]);

  const last = candles[candles.length - 1];
  return (
    <div
      role="img"
      aria-label={ariaLabel}
      className="relative w-full overflow-hidden rounded-md border border-border bg-surface"
      style={{ height }}
      data-chart-state={failed ? "failed" : handles ? "ready" : "pending"}
      // What the canvas shows, for tests and tools that cannot read pixels.
      data-candle-count={candles.length}
      data-last-bar={last ? `${last.time}:${last.close}` : undefined}
      data-marker-count={markers?.length ?? 0}
      data-price-lines={priceLines?.map((line) => line.title).join("|") || undefined}
    >
      <div ref={container} className="absolute inset-0" />
      {hover ? (
        <div
          role="tooltip"
          className="pointer-events-none absolute z-10 max-w-[16rem] rounded border border-border bg-raised px-2 py-1 text-xs whitespace-pre-line text-fg shadow"
          style={{ left: Math.max(4, hover.x - 80), top: Math.max(4, hover.y - 56) }}
        >
          {hover.text}
        </div>
      ) : null}
      {failed ? (
        <p className="absolute inset-0 flex items-center justify-center p-4 text-center text-sm text-fg-muted">
          The chart could not be drawn. Reload the page to try again.
        </p>
      ) : null}
      <noscript>
        <p className="absolute inset-0 flex items-center justify-center p-4 text-center text-sm text-fg-muted">
          Charts need JavaScript. Everything else on this page works without it.
        </p>
      </noscript>
    </div>
  );
}

function hoveredMarkerId(param: MouseEventParams<Time>): string | null {
  const info = param.hoveredInfo;
  if (info?.objectKind !== "series-marker") return null;
  return typeof info.objectId === "string" ? info.objectId : null;
}

function fit(chart: IChartApi, candles: readonly ChartCandle[], span: CandleChartProps["span"]): void {
  if (candles.length === 0) return;
  const range = span ? spanRange(candles, span) : null;
  if (range) chart.timeScale().setVisibleLogicalRange(range);
  else chart.timeScale().fitContent();
}

/** Open time of the bar containing `time` (a trade opening mid-bar shades that whole bar). */
function barStart(candles: readonly ChartCandle[], time: number): number {
  return candles[barIndexAt(candles, time)]?.time ?? time;
}

function withPrices(info: AutoscaleInfo | null, prices: number[]): AutoscaleInfo | null {
  if (!info?.priceRange || prices.length === 0) return info;
  return {
    ...info,
    priceRange: { minValue: Math.min(info.priceRange.minValue, ...prices), maxValue: Math.max(info.priceRange.maxValue, ...prices) },
  };
}
