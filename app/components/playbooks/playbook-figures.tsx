// A playbook's figures on screen: the headline block (trades, win rate with
// its 95 % interval, expectancy in money and R) and the comparison of trades
// that followed every rule against the rest, each with its sample size and a
// plain warning when a group is too small to mean anything. Figures read as
// on /analytics (app/components/analytics/figures.ts).
import { DEFINITIONS, interval, money, percent, rMultiple, tone } from "~/components/analytics/figures.ts";
import type { CurrencyFigures, GroupFigures } from "~/domain/playbooks/figures.ts";
import { SMALL_SAMPLE } from "~/domain/playbooks/figures.ts";
import { plural } from "~/lib/format.ts";

function winRateText(group: GroupFigures): { value: string; range: string | null } {
  return { value: percent(group.winRate), range: interval(group.winRateInterval, (n) => percent(n, 0)) };
}

function expectancyRange(group: GroupFigures, currency: string): string | null {
  return group.expectancyInterval ? `${money(group.expectancyInterval.low, currency)} – ${money(group.expectancyInterval.high, currency)}` : null;
}

/** "Only 4 trades: too few to mean anything yet." — or null from SMALL_SAMPLE trades on. */
export function smallSampleNote(group: GroupFigures): string | null {
  if (group.trades === 0) return "No trades yet.";
  if (!group.smallSample) return null;
  return `Only ${plural(group.trades, "trade")}: too few to mean anything yet (${SMALL_SAMPLE} or more needed).`;
}

/** The compact line on /playbooks. */
export function FiguresLine({ figures }: { figures: CurrencyFigures }) {
  const { all, currency } = figures;
  const win = winRateText(all);
  return (
    <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-4">
      <Figure label="Trades" value={String(all.trades)} sub={all.smallSample ? "small sample" : undefined} />
      <Figure label="Win rate" value={win.value} sub={win.range ? `95 %: ${win.range}` : undefined} />
      <Figure label="Expectancy" value={money(all.expectancy, currency, true)} valueClass={tone(all.expectancy)} />
      <Figure label="Expectancy (R)" value={rMultiple(all.expectancyR)} valueClass={tone(all.expectancyR)} />
    </dl>
  );
}

function Figure({ label, value, sub, valueClass = "text-fg" }: { label: string; value: string; sub?: string; valueClass?: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-fg-muted">{label}</dt>
      <dd className={`font-semibold tabular-nums ${valueClass}`}>{value}</dd>
      {sub ? <dd className="text-xs tabular-nums text-fg-subtle">{sub}</dd> : null}
    </div>
  );
}

/** The headline block of /playbooks/$id. */
export function HeadlineFigures({ figures }: { figures: CurrencyFigures }) {
  const { all, currency } = figures;
  const win = winRateText(all);
  const note = smallSampleNote(all);
  return (
    <div>
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
        <Card
          label="Trades"
          value={String(all.trades)}
          sub={`${all.wins} won · ${all.losses} lost · ${all.breakevens} even`}
          hint={DEFINITIONS.trades}
        />
        <Card label="Win rate" value={win.value} sub={win.range ? `95 %: ${win.range}` : undefined} hint={DEFINITIONS.winRate} />
        <Card
          label="Expectancy"
          value={money(all.expectancy, currency, true)}
          valueClass={tone(all.expectancy)}
          sub={expectancyRange(all, currency) ? `95 %: ${expectancyRange(all, currency)}` : undefined}
          hint={DEFINITIONS.expectancy}
        />
        <Card
          label="Expectancy (R) · average R"
          value={rMultiple(all.expectancyR)}
          valueClass={tone(all.expectancyR)}
          sub={all.rMissing ? `${plural(all.rTrades, "trade")} with a stop; ${all.rMissing} without left out` : undefined}
          hint={DEFINITIONS.expectancyR}
        />
      </dl>
      {note ? <p className="mt-3 text-sm text-amber-300">{note}</p> : null}
    </div>
  );
}

function Card({
  label,
  value,
  sub,
  hint,
  valueClass = "text-fg",
}: {
  label: string;
  value: string;
  sub?: string;
  hint: string;
  valueClass?: string;
}) {
  return (
    <div className="min-w-0 rounded-md border border-border bg-bg/40 p-3" title={hint}>
      <dt className="text-xs text-fg-muted">{label}</dt>
      <dd className={`mt-1 text-xl font-semibold tabular-nums ${valueClass}`}>{value}</dd>
      {sub ? <dd className="mt-0.5 text-xs tabular-nums text-fg-subtle">{sub}</dd> : null}
    </div>
  );
}

/** Every rule followed vs not, side by side, with each group's sample size. */
export function RuleComparison({ figures }: { figures: CurrencyFigures }) {
  const { comparison, currency } = figures;
  if (!comparison)
    return <p className="text-sm text-fg-muted">Add rules to the checklist to compare trades that followed all of them with the rest.</p>;
  const groups = [
    { key: "every", label: "Every rule followed", group: comparison.everyRule },
    { key: "not-every", label: "Not every rule followed", group: comparison.notEveryRule },
  ];
  const rows: { label: string; cell: (g: GroupFigures) => { value: string; sub?: string | null; className?: string } }[] = [
    { label: "Trades (sample size)", cell: (g) => ({ value: String(g.trades) }) },
    { label: "Win rate", cell: (g) => ({ value: percent(g.winRate), sub: winRateText(g).range && `95 %: ${winRateText(g).range}` }) },
    {
      label: "Expectancy",
      cell: (g) => ({
        value: money(g.expectancy, currency, true),
        className: tone(g.expectancy),
        sub: expectancyRange(g, currency) && `95 %: ${expectancyRange(g, currency)}`,
      }),
    },
    {
      label: "Expectancy (R) · average R",
      cell: (g) => ({ value: rMultiple(g.expectancyR), className: tone(g.expectancyR), sub: g.rTrades ? `${g.rTrades} with a stop` : null }),
    },
    { label: "Net", cell: (g) => ({ value: money(g.netTotal, currency, true), className: tone(g.netTotal) }) },
  ];
  const bothEnough = !comparison.everyRule.smallSample && !comparison.notEveryRule.smallSample;
  return (
    <div>
      <div className="relative overflow-x-auto">
        <table className="w-full min-w-[20rem] text-sm" data-comparison>
          <thead>
            <tr className="border-b border-border text-left text-xs text-fg-muted">
              <th scope="col" className="py-2 pr-3 font-medium">
                <span className="sr-only">Figure</span>
              </th>
              {groups.map(({ key, label }) => (
                <th key={key} scope="col" className="py-2 pr-3 text-right font-medium">
                  {label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-border">
            {rows.map((row) => (
              <tr key={row.label}>
                <th scope="row" className="py-2 pr-3 text-left font-normal text-fg-muted">
                  {row.label}
                </th>
                {groups.map(({ key, group }) => {
                  const cell = row.cell(group);
                  return (
                    <td key={key} className="py-2 pr-3 text-right align-top tabular-nums">
                      <span className={`font-medium ${cell.className ?? "text-fg"}`}>{cell.value}</span>
                      {cell.sub ? <span className="block text-xs text-fg-subtle">{cell.sub}</span> : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul className="mt-3 space-y-1 text-sm">
        {groups.map(({ key, label, group }) => {
          const note = smallSampleNote(group);
          return note ? (
            <li key={key} className="text-amber-300" data-small-sample={key}>
              {label}: {note}
            </li>
          ) : null;
        })}
        {bothEnough ? (
          <li className="text-fg-muted">
            Both groups have {SMALL_SAMPLE} trades or more; the 95 % ranges show how far apart they really are — overlapping ranges mean the
            difference may be chance.
          </li>
        ) : (
          <li className="text-fg-muted">Until both groups have {SMALL_SAMPLE} trades, read the difference as a hint, not a result.</li>
        )}
      </ul>
    </div>
  );
}
