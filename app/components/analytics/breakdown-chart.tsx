// Net P&L per breakdown row as horizontal bars: the SVG nivo's <Bar> drew for
// this chart (same scales from @nivo/scales, same geometry, same markup), as
// plain elements. nivo's component runs every bar, tick and grid line through
// react-spring even with animation off, which made these charts most of the
// analytics page's server render; the chart never animated or reacted to the
// pointer, so nothing is lost. Rendered on the server, it reads without
// JavaScript, and it scrolls sideways on a phone rather than shrinking.
import { centerScale, computeScale, getScaleTicks, type ScaleBand, type ScaleLinear } from "@nivo/scales";
import type { BreakdownRow } from "~/domain/analytics/index.ts";
import { formatMoney } from "~/lib/format.ts";

const WIDTH = 560;
const MARGIN = { top: 10, right: 24, bottom: 36, left: 110 };
const PADDING = 0.25;
const TICK_PADDING = 6;
const TICKS = 4;
const AXIS_LINE = { stroke: "#26263a", strokeWidth: 1 };
const GRID_STROKE = "#1a1a24";
const TICK_TEXT = { fontFamily: "sans-serif", fontSize: 11, fill: "#9ca3af" };
const GAIN = "rgba(34, 197, 94, 1)";
const LOSS = "rgba(239, 68, 68, 1)";

export function BreakdownChart({ rows, currency, title }: { rows: BreakdownRow[]; currency: string; title: string }) {
  if (rows.length === 0) return null;
  const shown = rows.slice(0, 24);
  // The first datum is drawn at the bottom: reversed, the bars read in the table's order.
  const data = shown.map((row) => ({ key: row.label || "—", net: Number(row.net) })).reverse();
  const height = Math.max(120, 26 * shown.length + 50);
  const innerWidth = WIDTH - MARGIN.left - MARGIN.right;
  const innerHeight = height - MARGIN.top - MARGIN.bottom;

  // As nivo's (stacked, diverging) bar layout builds its scales: each row spans [0, net] or [net, 0]; the
  // value axis runs from the smallest end to the largest, made nice, so a loss's bar stays right of the
  // labels; about four ticks, so the money labels never run into each other; one band per row, from the bottom.
  const spans = data.map(({ net }): [number, number] => (net > 0 ? [0, net] : net < 0 ? [net, 0] : [0, 0]));
  const ends = spans.flat();
  const valueScale = computeScale(
    { type: "linear", min: "auto", max: "auto", nice: true },
    { all: ends, min: Math.min(...ends), max: Math.max(...ends) },
    innerWidth,
    "x",
  ) as ScaleLinear<number>;
  const rowScale = (
    computeScale({ type: "band" }, { all: data.map((datum) => datum.key), min: 0, max: 0 }, innerHeight, "y") as ScaleBand<string>
  ).padding(PADDING);
  const rowCentre = centerScale(rowScale);
  const bandHeight = rowScale.bandwidth();
  const valueTicks = getScaleTicks(valueScale, TICKS) as number[];
  // One bar per band (two rows with one label share a band and the first bars are drawn), as nivo drew them.
  const bars = data.slice(0, rowScale.domain().length).map((datum, index) => {
    const x = valueScale(spans[index]![0]) ?? 0;
    return { index, x, y: rowScale(datum.key) ?? 0, width: (valueScale(spans[index]![1]) ?? 0) - x, colour: datum.net > 0 ? GAIN : LOSS };
  });

  return (
    <div className="min-w-0 overflow-x-auto" role="img" aria-label={`Net P&L ${title}`}>
      <div style={{ position: "relative" }}>
        <svg xmlns="http://www.w3.org/2000/svg" width={WIDTH} height={height} role="presentation" focusable="false">
          <rect width={WIDTH} height={height} fill="transparent" />
          <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
            <g>
              {valueTicks.map((value) => {
                const x = valueScale(value) ?? 0;
                return <line key={value} opacity={1} x1={x} x2={x} y1={0} y2={innerHeight} stroke={GRID_STROKE} strokeWidth={1} />;
              })}
            </g>
            <g transform={`translate(0,${innerHeight})`}>
              {valueTicks.map((value) => (
                <g key={value} transform={`translate(${valueScale(value) ?? 0},0)`} style={{ opacity: 1 }}>
                  <line x1={0} x2={0} y1={0} y2={0} style={AXIS_LINE} />
                  <text
                    dominantBaseline="text-before-edge"
                    textAnchor="middle"
                    transform={`translate(0,${TICK_PADDING}) rotate(0)`}
                    style={TICK_TEXT}
                  >
                    {formatMoney(value, currency).replace(/\.00$/, "")}
                  </text>
                </g>
              ))}
              <line style={AXIS_LINE} x1={0} x2={innerWidth} y1={0} y2={0} />
            </g>
            <g transform="translate(0,0)">
              {rowScale.domain().map((key) => (
                <g key={key} transform={`translate(0,${rowCentre(key) ?? 0})`} style={{ opacity: 1 }}>
                  <line x1={0} x2={0} y1={0} y2={0} style={AXIS_LINE} />
                  <text dominantBaseline="central" textAnchor="end" transform={`translate(-${TICK_PADDING},0) rotate(0)`} style={TICK_TEXT}>
                    {key}
                  </text>
                </g>
              ))}
              <line style={AXIS_LINE} x1={0} x2={0} y1={0} y2={innerHeight} />
            </g>
            {bars.map((bar) => (
              <g key={bar.index} transform={`translate(${bar.x}, ${bar.y})`}>
                <rect
                  width={bar.width}
                  height={bandHeight}
                  rx={0}
                  ry={0}
                  fill={bar.colour}
                  strokeWidth={0}
                  stroke={bar.colour}
                  focusable="false"
                  data-testid={`bar.item.net.${bar.index}`}
                />
              </g>
            ))}
          </g>
        </svg>
      </div>
    </div>
  );
}
