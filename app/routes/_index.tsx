import type { MetaFunction } from "@remix-run/node";

export const meta: MetaFunction = () => [
  { title: "RawJournal — the honest trading journal for MetaTrader 5" },
  {
    name: "description",
    content:
      "RawJournal imports your real MetaTrader 5 history and shows you what your trading actually does: no cherry-picking, no hidden losers.",
  },
];

const features = [
  {
    title: "Straight from MT5",
    body: "Your closed deals come from the terminal itself, not from memory. Every trade is counted, the losers too.",
  },
  {
    title: "Numbers that don't flatter",
    body: "Net P/L after commission and swap, expectancy, drawdown and win rate, computed the same way every time.",
  },
  {
    title: "Open source",
    body: "Read the code that computes your statistics. Self-host it if you prefer to keep your data at home.",
  },
] as const;

const sample = [
  { label: "Net P/L", value: "+1,284.50", tone: "profit" },
  { label: "Max drawdown", value: "−412.20", tone: "loss" },
  { label: "Win rate", value: "54.3%", tone: "neutral" },
  { label: "Trades", value: "187", tone: "neutral" },
] as const;

const toneClass = {
  profit: "text-profit",
  loss: "text-loss",
  neutral: "text-fg",
} as const;

export default function Index() {
  return (
    <div className="flex min-h-screen flex-col">
      <header className="border-b border-border">
        <div className="mx-auto flex max-w-5xl items-center justify-between px-4 py-4 sm:px-6">
          <span className="text-lg font-semibold tracking-tight text-fg">
            Raw<span className="text-accent">Journal</span>
          </span>
          <span className="rounded-full border border-border bg-surface px-3 py-1 text-xs font-medium text-fg-muted">
            Early preview
          </span>
        </div>
      </header>

      <main className="flex-1">
        <section className="mx-auto max-w-5xl px-4 pb-12 pt-12 sm:px-6 sm:pt-20">
          <p className="text-sm font-medium uppercase tracking-wider text-accent">
            Trading journal for MT5
          </p>
          <h1 className="mt-3 max-w-3xl text-3xl font-bold leading-tight tracking-tight text-fg sm:text-5xl">
            RawJournal — the honest trading journal for MetaTrader&nbsp;5
          </h1>
          <p className="mt-5 max-w-2xl text-base leading-relaxed text-fg-muted sm:text-lg">
            Connect your MetaTrader&nbsp;5 account and RawJournal records every
            closed trade exactly as your broker booked it. No manual entries to
            tidy up, no forgotten losers — just the raw record of what your
            trading really does, and the statistics to learn from it.
          </p>

          <dl
            aria-label="Example statistics"
            className="mt-10 grid grid-cols-2 gap-3 sm:grid-cols-4"
          >
            {sample.map((s) => (
              <div
                key={s.label}
                className="rounded-lg border border-border bg-surface p-4"
              >
                <dt className="text-xs font-medium uppercase tracking-wide text-fg-subtle">
                  {s.label}
                </dt>
                <dd
                  className={`mt-1 font-mono text-lg font-semibold tabular-nums sm:text-xl ${toneClass[s.tone]}`}
                >
                  {s.value}
                </dd>
              </div>
            ))}
          </dl>
          <p className="mt-2 text-xs text-fg-subtle">Example figures.</p>
        </section>

        <section className="mx-auto max-w-5xl px-4 pb-16 sm:px-6">
          <ul className="grid gap-4 md:grid-cols-3">
            {features.map((f) => (
              <li
                key={f.title}
                className="rounded-lg border border-border bg-raised p-5"
              >
                <h2 className="text-base font-semibold text-fg">{f.title}</h2>
                <p className="mt-2 text-sm leading-relaxed text-fg-muted">
                  {f.body}
                </p>
              </li>
            ))}
          </ul>
        </section>
      </main>

      <footer className="border-t border-border">
        <div className="mx-auto max-w-5xl px-4 py-6 text-xs text-fg-subtle sm:px-6">
          RawJournal is open-source software. Not affiliated with MetaQuotes.
          Trading involves risk.
        </div>
      </footer>
    </div>
  );
}
