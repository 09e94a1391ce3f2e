// The figures for those who want them: Sharpe, Sortino, SQN, recovery factor,
// AHPR, GHPR, Z-score and standard deviation, each with its definition on
// hover and focus and a link to its full definition (/metrics, from
// docs/metrics.md). A figure that needs more trades says so instead of a number.
import { Link } from "@remix-run/react";
import type { Summary } from "~/domain/analytics/index.ts";
import { DefinitionTooltip } from "./definition-tooltip.tsx";
import { DASH, DEFINITIONS, percent, ratio, type DefinitionId } from "./figures.ts";

interface Figure {
  id: DefinitionId;
  anchor: string;
  label: string;
  value: string;
  note?: string | null;
}

function numberOrDash(value: number | null, digits = 2): string {
  return value === null || !Number.isFinite(value) ? DASH : value.toFixed(digits);
}

export function advancedFigures(summary: Summary, currency: string): Figure[] {
  const needs30 = summary.trades < 30 ? "needs 30 trades" : null;
  return [
    { id: "sharpe", anchor: "sharpe", label: "Sharpe (daily, annualised)", value: numberOrDash(summary.sharpe) },
    { id: "sortino", anchor: "sortino", label: "Sortino", value: numberOrDash(summary.sortino) },
    {
      id: "sqn",
      anchor: "sqn",
      label: "SQN",
      value: numberOrDash(summary.sqn),
      note: summary.sqn === null ? (summary.rTrades < 30 ? "needs 30 trades with a stop" : null) : null,
    },
    { id: "recovery", anchor: "recovery-factor", label: "Recovery factor", value: numberOrDash(summary.recoveryFactor) },
    { id: "ahpr", anchor: "ahpr", label: "AHPR", value: percent(summary.ahpr, 3) },
    { id: "ghpr", anchor: "ghpr", label: "GHPR", value: percent(summary.ghpr, 3) },
    {
      id: "zScore",
      anchor: "z-score",
      label: "Z-score",
      value: numberOrDash(summary.zScore),
      note: summary.zScore === null ? needs30 : summary.zLabel ? `${summary.zLabel} (95 %)` : "no dependence at 95 %",
    },
    {
      id: "standardDeviation",
      anchor: "standard-deviation",
      label: "Standard deviation",
      value: summary.standardDeviation === null ? DASH : `${summary.standardDeviation.toFixed(2)} ${currency}`,
    },
    { id: "profitFactor", anchor: "profit-factor", label: "Profit factor", value: ratio(summary.profitFactor) },
  ];
}

export function AdvancedMetrics({ summary, currency }: { summary: Summary; currency: string }) {
  return (
    <section aria-labelledby="advanced-heading" className="card p-3 sm:p-4">
      <h2 id="advanced-heading" className="mb-3 text-base font-semibold text-fg">
        Advanced figures
      </h2>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
        {advancedFigures(summary, currency).map((figure) => (
          <div key={figure.id} className="rounded-md border border-border/60 p-2" data-figure={figure.id}>
            <dt className="group relative text-xs text-fg-muted">
              <Link
                to={`/metrics#${figure.anchor}`}
                className="underline decoration-dotted underline-offset-2 hover:text-fg focus-visible:text-fg"
                aria-describedby={`advanced-${figure.id}`}
              >
                {figure.label}
              </Link>
              <DefinitionTooltip id={`advanced-${figure.id}`}>{DEFINITIONS[figure.id]}</DefinitionTooltip>
            </dt>
            <dd className="mt-1 text-base font-semibold tabular-nums text-fg">{figure.value}</dd>
            {figure.note ? <dd className="text-[11px] text-fg-subtle">{figure.note}</dd> : null}
          </div>
        ))}
      </dl>
    </section>
  );
}
