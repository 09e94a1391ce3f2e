// The plain breakdown chart must draw exactly what nivo's <Bar> drew with the
// props the page used: the same markup, byte for byte, for gains, losses,
// zeros, every row a loss, one row, more rows than are shown, and two rows
// sharing a label. The value axis spans losses too (nivo's default started it
// at 0, so a loss's bar ran left over the row labels) and has about four ticks.
import { Bar } from "@nivo/bar";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { BreakdownRow } from "~/domain/analytics/index.ts";
import { formatMoney } from "~/lib/format.ts";
import { BreakdownChart } from "./breakdown-chart.tsx";

/** The chart as it was drawn with nivo (app/components/analytics/breakdown-table.tsx before it). */
function NivoBreakdownChart({ rows, currency, title }: { rows: BreakdownRow[]; currency: string; title: string }) {
  if (rows.length === 0) return null;
  const shown = rows.slice(0, 24);
  const data = shown.map((row) => ({ key: row.label || "—", net: Number(row.net) })).reverse();
  const height = Math.max(120, 26 * shown.length + 50);
  return (
    <div className="min-w-0 overflow-x-auto" role="img" aria-label={`Net P&L ${title}`}>
      <Bar
        width={560}
        height={height}
        data={data}
        keys={["net"]}
        indexBy="key"
        layout="horizontal"
        margin={{ top: 10, right: 24, bottom: 36, left: 110 }}
        padding={0.25}
        colors={({ data: datum }) => (Number(datum.net) >= 0 ? "#22c55e" : "#ef4444")}
        enableGridY={false}
        enableGridX
        enableLabel={false}
        animate={false}
        isInteractive={false}
        valueScale={{ type: "linear", min: "auto", max: "auto", nice: true }}
        gridXValues={4}
        axisBottom={{ tickSize: 0, tickPadding: 6, tickValues: 4, format: (value: number) => formatMoney(value, currency).replace(/\.00$/, "") }}
        axisLeft={{ tickSize: 0, tickPadding: 6 }}
        theme={{
          text: { fill: "#9ca3af", fontSize: 11 },
          axis: { ticks: { text: { fill: "#9ca3af", fontSize: 11 }, line: { stroke: "#26263a" } }, domain: { line: { stroke: "#26263a" } } },
          grid: { line: { stroke: "#1a1a24" } },
        }}
        role="presentation"
      />
    </div>
  );
}

const rows = (nets: number[], labels?: string[]): BreakdownRow[] =>
  nets.map((net, i) => ({ key: `k${i}`, label: labels?.[i] ?? `Row ${i}`, trades: 10, net: String(net) }) as unknown as BreakdownRow);

describe("BreakdownChart", () => {
  it.each([
    ["gains, a loss and a zero", rows([1234.5, -532.25, 0], ["EURUSD", "GBPUSD", ""])],
    ["every row a loss", rows([-10, -2000.5, -3])],
    ["only zeros", rows([0, 0])],
    ["one row", rows([5])],
    ["30 rows (24 shown)", rows(Array.from({ length: 30 }, (_, i) => Math.round(Math.sin(i) * 100000) / 100))],
    ["two rows sharing a label", rows([100, 200, 300], ["A", "A", "B"])],
    ["tiny and huge values", rows([0.004, 12345678.9, -99999])],
  ])("draws what nivo drew: %s", (_, given) => {
    for (const currency of ["USD", "EUR", "USDT"]) {
      const plain = renderToStaticMarkup(<BreakdownChart rows={given} currency={currency} title="by symbol" />);
      expect(plain).toContain("<svg");
      expect(plain).toBe(renderToStaticMarkup(<NivoBreakdownChart rows={given} currency={currency} title="by symbol" />));
    }
  });

  it("keeps a loss's bar inside the plot, right of the row labels, with at most seven money ticks", () => {
    const markup = renderToStaticMarkup(<BreakdownChart rows={rows([1234.5, -532.25, -1900])} currency="USD" title="by symbol" />);
    const barOffsets = [...markup.matchAll(/<g transform="translate\(([-\d.]+), [-\d.]+\)"><rect/g)].map((match) => Number(match[1]));
    expect(barOffsets).toHaveLength(3);
    for (const x of barOffsets) expect(x).toBeGreaterThanOrEqual(0);
    const tickLabels = [...markup.matchAll(/text-before-edge[^>]*>([^<]*)</g)].map((match) => match[1]);
    expect(tickLabels.length).toBeLessThanOrEqual(7);
    expect(tickLabels).toContain("$0");
  });

  it("draws nothing without rows", () => {
    expect(renderToStaticMarkup(<BreakdownChart rows={[]} currency="USD" title="by symbol" />)).toBe("");
  });
});
