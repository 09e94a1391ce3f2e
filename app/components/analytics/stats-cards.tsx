// The period's figures as cards, each with the change against the previous
// period of the same length ("vs previous", metrics.md) and its definition on
// hover and focus. Every value is a number or "—", never NaN.
import type { Summary } from "~/domain/analytics/index.ts";
import { dec, sum, toDecimalString } from "~/domain/decimal.ts";
import { DefinitionTooltip } from "./definition-tooltip.tsx";
import { DASH, DEFINITIONS, duration, interval, money, percent, percentUnits, ratio, rMultiple, tone, type DefinitionId } from "./figures.ts";

interface Card {
  id: DefinitionId;
  label: string;
  value: string;
  valueTone?: string;
  detail?: string | null;
  /** Change vs the previous period, formatted, with whether up is good. */
  change?: { text: string; good: boolean | null } | null;
}

function moneyChange(now: string | null, before: string | null | undefined, currency: string, upIsGood = true): Card["change"] {
  if (before === undefined || now === null || before === null) return null;
  const delta = dec(now).minus(before);
  const sign = delta.cmp(0);
  return { text: money(toDecimalString(delta), currency, true), good: sign === 0 ? null : sign > 0 === upIsGood };
}

function numberChange(now: number | null, before: number | null | undefined, format: (n: number) => string, upIsGood = true): Card["change"] {
  if (before === undefined || now === null || before === null) return null;
  const delta = now - before;
  if (!Number.isFinite(delta)) return null;
  return { text: `${delta > 0 ? "+" : ""}${format(delta)}`, good: delta === 0 ? null : delta > 0 === upIsGood };
}

export function statsCards(summary: Summary, previous: Summary | null, currency: string): Card[] {
  const p = previous ?? undefined;
  const pf = (s: Summary) => (s.profitFactor === "infinite" ? null : s.profitFactor);
  return [
    {
      id: "net",
      label: "Net P&L",
      value: money(summary.netTotal, currency, true),
      valueTone: tone(summary.netTotal),
      change: moneyChange(summary.netTotal, p?.netTotal, currency),
    },
    {
      id: "winRate",
      label: "Win rate",
      value: percent(summary.winRate),
      detail: interval(summary.winRateInterval, (n) => percent(n, 0)) ? `95 %: ${interval(summary.winRateInterval, (n) => percent(n, 0))}` : null,
      change: numberChange(summary.winRate, p ? p.winRate : undefined, (n) => `${(n * 100).toFixed(1)} pt`),
    },
    {
      id: "profitFactor",
      label: "Profit factor",
      value: ratio(summary.profitFactor),
      change: numberChange(pf(summary), p ? pf(p) : undefined, (n) => n.toFixed(2)),
    },
    {
      id: "expectancy",
      label: "Expectancy",
      value: money(summary.expectancy, currency, true),
      valueTone: tone(summary.expectancy),
      detail:
        [
          summary.expectancyInterval
            ? `95 %: ${money(summary.expectancyInterval.low, currency)} – ${money(summary.expectancyInterval.high, currency)}`
            : null,
          summary.expectancyR !== null
            ? `${rMultiple(summary.expectancyR)} per trade (${summary.rTrades} with a stop${summary.rMissing ? `, ${summary.rMissing} without` : ""})`
            : summary.trades
              ? "No R: no trade has an initial stop"
              : null,
        ]
          .filter(Boolean)
          .join(" · ") || null,
      change: moneyChange(summary.expectancy, p ? p.expectancy : undefined, currency),
    },
    {
      id: "averageWinLoss",
      label: "Average win / loss",
      value: `${money(summary.averageWin, currency)} / ${money(summary.averageLoss, currency)}`,
      detail: `Payoff ratio ${ratio(summary.payoffRatio)}`,
    },
    {
      id: "maxDrawdown",
      label: "Max drawdown",
      value: summary.trades || summary.maxDrawdown !== "0" ? money(summary.maxDrawdown, currency) : DASH,
      detail: summary.maxDrawdownPercent !== null ? percentUnits(summary.maxDrawdownPercent) : null,
      change: moneyChange(summary.maxDrawdown, p ? p.maxDrawdown : undefined, currency, false),
    },
    {
      id: "streaks",
      label: "Longest streaks",
      value: summary.trades ? `${summary.longestWinStreak} W / ${summary.longestLossStreak} L` : DASH,
    },
    {
      id: "trades",
      label: "Trades",
      value: summary.trades.toLocaleString("en-US"),
      detail: summary.trades ? `${summary.wins} won · ${summary.losses} lost · ${summary.breakevens} even` : null,
      change: numberChange(summary.trades, p ? p.trades : undefined, (n) => n.toLocaleString("en-US"), true),
    },
    {
      id: "bestWorst",
      label: "Best / worst trade",
      value: `${money(summary.largestWin, currency, true)} / ${money(summary.largestLoss, currency, true)}`,
    },
    {
      id: "costs",
      label: "Costs",
      value: money(toDecimalString(sum([summary.costs.commission, summary.costs.swap, summary.costs.fee])), currency),
      detail: `Commission ${money(summary.costs.commission, currency)} · swap ${money(summary.costs.swap, currency)} · fee ${money(summary.costs.fee, currency)}`,
    },
    {
      id: "duration",
      label: "Average hold",
      value: `${duration(summary.averageDurationWinMs)} / ${duration(summary.averageDurationLossMs)}`,
      detail: "wins / losses",
    },
  ];
}

export function StatsCards({
  summary,
  previous,
  currency,
  previousLabel,
}: {
  summary: Summary;
  previous: Summary | null;
  currency: string;
  previousLabel: string | null;
}) {
  const cards = statsCards(summary, previous, currency);
  return (
    <ul className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-4" aria-label="Period figures">
      {cards.map((card) => (
        <li key={card.id} className="card p-3 sm:p-4" data-figure={card.id}>
          <p className="group relative flex items-center gap-1 text-xs font-medium uppercase tracking-wide text-fg-muted">
            <span>{card.label}</span>
            <button
              type="button"
              className="rounded-full px-1 text-fg-subtle hover:text-fg focus-visible:text-fg"
              aria-label={`What ${card.label.toLowerCase()} means`}
              aria-describedby={`definition-${card.id}`}
            >
              <svg viewBox="0 0 16 16" aria-hidden="true" className="h-3.5 w-3.5">
                <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="1.3" />
                <path d="M8 7v4.2M8 4.6v.1" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
              </svg>
            </button>
            <DefinitionTooltip id={`definition-${card.id}`}>{DEFINITIONS[card.id]}</DefinitionTooltip>
          </p>
          <p className={`mt-1 text-lg font-semibold tabular-nums sm:text-xl ${card.valueTone ?? "text-fg"}`} data-value>
            {card.value}
          </p>
          {card.detail ? <p className="mt-0.5 text-xs text-fg-muted">{card.detail}</p> : null}
          {card.change ? (
            <p
              className={`mt-1 text-xs tabular-nums ${card.change.good === null ? "text-fg-subtle" : card.change.good ? "text-green-400" : "text-red-400"}`}
              data-change
            >
              {card.change.text} <span className="text-fg-subtle">vs {previousLabel ?? "previous"}</span>
            </p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
