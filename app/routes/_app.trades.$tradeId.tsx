// /trades/$tradeId: one trade — result, where every money figure came from,
// prices and risk (planned and realised R), each leg, its source — with edit
// and delete. Delete asks first: a dialog with JavaScript, a confirmation
// panel (?delete=confirm) without.
import { Price } from "~/components/ui/price.tsx";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  useActionData,
  useLoaderData,
  useLocation,
  useNavigation,
  useRouteError,
  useSearchParams,
} from "@remix-run/react";
import { useEffect, useState, type ReactNode } from "react";
import { FormAlert } from "~/components/forms/form-alert.tsx";
import { ConfirmDialog } from "~/components/trades/confirm-dialog.tsx";
import { pnlTone } from "~/components/trades/pnl-text.tsx";
import { TradeLegsTable } from "~/components/trades/trade-legs-table.tsx";
import { DirectionBadge, SessionBadge, SOURCE_LABEL, StatusBadge } from "~/components/trades/trade-badges.tsx";
import { dec } from "~/domain/decimal.ts";
import { impliedRiskAmount, plannedR, realisedR, type PlannedR, type RealisedR } from "~/domain/trades/r-multiple.ts";
import { AppError } from "~/lib/app-error.ts";
import { formatDateTime, formatDecimal, formatDuration, formatMoney } from "~/lib/format.ts";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleAction, handleLoader } from "~/lib/route-handler.server.ts";
import { loadTradeDetail, type TradeDetail } from "~/models/trade-detail.server.ts";
import { deleteTrades } from "~/models/trade-list.server.ts";
import { TradePlaybookPanel } from "~/components/playbooks/trade-playbook-panel.tsx";
import { loadTradePlaybookPanel } from "~/models/playbooks.server.ts";
import { loadTradeSignals } from "~/models/psychology.server.ts";
import { TradeSignalsCallout } from "~/components/psychology/trade-signals-callout.tsx";
import { TradeChart } from "~/components/charts/trade-chart.tsx";
import { loadTradeChart } from "~/models/charts/trade-chart.server.ts";
import { chartDigits } from "~/domain/charts/trade-chart-overlays.ts";
import { TradeJournalForm } from "~/components/journal/trade-journal-form.tsx";
import { ScreenshotsPanel } from "~/components/journal/screenshots/index.ts";
import { saveWholeJournalForm } from "~/models/journal/trade-journal-form.server.ts";
import { loadTradeJournal } from "~/models/journal/trade-journal.server.ts";
import { TradeExcursionCard } from "~/components/trades/trade-excursion-card.tsx";
import { loadTradeExcursion } from "~/models/excursions/excursions.server.ts";
import { PlanAccessNotice } from "~/components/accounts/plan-access-notice.tsx";
import { loadAccountPlanAccess } from "~/models/account-plan-access.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.trade.symbol} ${data.trade.direction} — Trades — RawJournal` : "Trade — RawJournal" },
];

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request, params }) => {
    const user = await requireUserDb(request);
    const detail = await loadTradeDetail(user.db, user.claims, params.tradeId ?? "");
    if (!detail) throw new AppError("not_found", "We couldn't find that trade. It may have been deleted.");
    const journal = (await loadTradeJournal(user.db, detail.trade.id))!;
    const psychology = await loadTradeSignals(user.db, user.claims.sub, detail.trade.id);
    const playbookPanel = await loadTradePlaybookPanel(user.db, user.claims.sub, detail.trade.id);
    const excursion = await loadTradeExcursion(user.db, detail.trade.id);
    const chart = await loadTradeChart(user.db, detail.trade, new URL(request.url).searchParams.get("tf"), new Date());
    const planAccess = (await loadAccountPlanAccess(user.db, detail.trade.account.id)).access;
    return { ...detail, psychology, journal, playbookPanel, excursion, chart, planAccess };
  });

export const action = (args: ActionFunctionArgs) =>
  handleAction(args, async ({ request, params }) => {
    const user = await requireUserDb(request);
    const formData = await request.formData();
    if (formData.get("intent") === "journal") {
      // The journal's Save without JavaScript (with it, trades.$tradeId.journal.ts autosaves).
      const answer = await saveWholeJournalForm(user.db, user.claims, params.tradeId ?? "", formData);
      if (answer.status === "saved") return redirect(`/trades/${params.tradeId}?journal=saved#journal`);
      return data({ status: "journal" as const, journal: answer }, { status: answer.status === "invalid" ? 400 : 200 });
    }
    if (formData.get("intent") !== "delete") {
      return { status: "error" as const, formError: "That form isn't recognised. Reload the page and try again." };
    }
    const deleted = await deleteTrades(user.db, user.claims, [params.tradeId ?? ""]);
    if (deleted === 0) return { status: "error" as const, formError: "That trade no longer exists; it may have been deleted already." };
    return redirect("/trades?deleted=1");
  });

const DELETE_FORM = "delete-trade";

export default function TradeDetailPage() {
  const { trade, timeZone, tradingDay, psychology, journal, chart, planAccess } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const location = useLocation();
  const navigation = useNavigation();
  const [confirming, setConfirming] = useState(false);
  useEffect(() => setConfirming(false), [location.key]);
  const askedWithoutScript = params.get("delete") === "confirm";
  const deleting = navigation.state === "submitting" && navigation.formData?.get("intent") === "delete";
  const currency = trade.account.currency;
  const closed = trade.status === "closed";
  const rInputs = {
    direction: trade.direction,
    entryPrice: trade.entryPrice,
    exitPrice: trade.exitPrice,
    initialStopLoss: trade.initialStopLoss,
    takeProfit: trade.takeProfit,
    netProfit: trade.netProfit,
    initialRiskAmount: trade.initialRiskAmount,
    grossProfit: trade.grossProfit,
    closed,
  };
  const durationMs = trade.closedAt ? new Date(trade.closedAt).getTime() - new Date(trade.openedAt).getTime() : null;

  return (
    <>
      <Link to="/trades" className="link mb-4 inline-block text-sm">
        ← All trades
      </Link>

      <header className="card mb-4 flex flex-wrap items-start justify-between gap-4 p-5">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="text-2xl font-semibold tracking-tight text-fg">{trade.symbol}</h1>
            <DirectionBadge direction={trade.direction} />
            <StatusBadge status={trade.status} />
            <SessionBadge session={trade.sessionTag} />
          </div>
          <p className="mt-1 text-sm text-fg-muted">
            {trade.account.name} · {currency}
            {trade.brokerSymbol && trade.brokerSymbol !== trade.symbol ? ` · broker symbol ${trade.brokerSymbol}` : ""}
          </p>
        </div>
        <div className="sm:text-right">
          <p className="text-xs uppercase tracking-wide text-fg-muted">{closed ? "Net P&L" : "Realised so far"}</p>
          <p className={`text-3xl font-semibold tabular-nums ${pnlTone(trade.netProfit)}`}>
            {formatMoney(trade.netProfit, currency, { signed: true })}
          </p>
          {trade.pips !== null ? <p className="text-sm tabular-nums text-fg-muted">{formatDecimal(trade.pips, 1, { signed: true })} pips</p> : null}
        </div>
        <PlanAccessNotice access={planAccess} className="w-full" />
        <div className={planAccess === "read_only" ? "hidden" : "flex w-full flex-wrap gap-2"}>
          {trade.source !== "mt5" ? (
            <Link to={`/trades/${trade.id}/edit`} className="btn-secondary">
              Edit
            </Link>
          ) : null}
          <Link
            to="?delete=confirm"
            className="btn-secondary text-red-300 hover:text-red-200"
            onClick={(event) => {
              event.preventDefault();
              setConfirming(true);
            }}
          >
            {deleting ? "Deleting…" : "Delete"}
          </Link>
        </div>
      </header>

      <TradeSignalsCallout signals={psychology} />

      <TradeChart chart={chart} trade={trade} timeZone={timeZone} digits={chartDigits(trade.symbol, trade.entryPrice)} />

      {result?.status === "error" ? (
        <div className="mb-4">
          <FormAlert tone="error">{result.formError}</FormAlert>
        </div>
      ) : null}

      <Form id={DELETE_FORM} method="post" hidden={!askedWithoutScript} className="card mb-4 border-red-500/40 p-4">
        <input type="hidden" name="intent" value="delete" />
        <h2 className="text-sm font-semibold text-red-300">Delete this trade?</h2>
        <p className="mt-1 text-sm text-fg-muted">{DELETE_WARNING}</p>
        <div className="mt-3 flex flex-wrap gap-2">
          <button type="submit" className="btn-danger">
            Yes, delete this trade
          </button>
          <Link to="." replace className="btn-secondary">
            Cancel
          </Link>
        </div>
      </Form>

      <div className="grid gap-4 lg:grid-cols-2">
        <Section title="Money" description={`In ${currency}, the account currency.`}>
          <dl className="divide-y divide-border">
            <Metric label="Gross profit" value={formatMoney(trade.grossProfit, currency, { signed: true })} tone={pnlTone(trade.grossProfit)} />
            <Metric label="Commission" value={formatMoney(trade.commission, currency, { signed: true })} />
            <Metric label="Swap" value={formatMoney(trade.swap, currency, { signed: true })} />
            <Metric label="Fees" value={formatMoney(trade.fee, currency, { signed: true })} />
            <Metric label="Net profit" value={formatMoney(trade.netProfit, currency, { signed: true })} tone={pnlTone(trade.netProfit)} strong />
          </dl>
          <p className="mt-3 text-xs text-fg-muted">
            <PnlSourceNote trade={trade} />
          </p>
        </Section>

        <Section title="Execution" description={`Times in ${timeZone.replaceAll("_", " ")}.`}>
          <dl className="divide-y divide-border">
            <Metric label="Opened" value={formatDateTime(trade.openedAt, timeZone, { seconds: true })} />
            <Metric label="Closed" value={trade.closedAt ? formatDateTime(trade.closedAt, timeZone, { seconds: true }) : "Still open"} />
            {tradingDay ? <Metric label="Trading day" value={<span data-trading-day={tradingDay}>{tradingDay}</span>} /> : null}
            <Metric label="Held" value={durationMs === null ? "—" : formatDuration(durationMs)} />
            <Metric label="Entry price (average)" value={<Price value={trade.entryPrice} symbol={trade.symbol} />} />
            <Metric label="Exit price (average)" value={<Price value={trade.exitPrice} symbol={trade.symbol} />} />
            <Metric
              label="Volume"
              value={`${formatDecimal(trade.volume, 2)} lots${dec(trade.closedVolume).eq(trade.volume) ? "" : ` · ${formatDecimal(trade.closedVolume, 2)} closed`}`}
            />
            <Metric label="Pips" value={formatDecimal(trade.pips, 1, { signed: true })} />
            {trade.closeReason ? <Metric label="Closed by" value={CLOSE_REASON[trade.closeReason] ?? trade.closeReason} /> : null}
          </dl>
        </Section>

        <Section title="Risk" description="R is measured from the stop loss at entry, which never changes.">
          <dl className="divide-y divide-border">
            <Metric label="Initial stop loss" value={<Price value={trade.initialStopLoss} symbol={trade.symbol} />} />
            <Metric label="Stop loss" value={<Price value={trade.stopLoss} symbol={trade.symbol} />} />
            <Metric label="Take profit" value={<Price value={trade.takeProfit} symbol={trade.symbol} />} />
            <Metric label="Money at risk" value={<MoneyAtRisk trade={trade} closed={closed} currency={currency} />} />
            <Metric label="Planned R" value={<PlannedRValue r={plannedR(rInputs)} />} />
            <Metric label="Realised R" value={<RealisedRValue r={realisedR(rInputs)} />} />
          </dl>
        </Section>

        <Section title="Source">
          <dl className="divide-y divide-border">
            <Metric label="Added by" value={SOURCE_LABEL[trade.source]} />
            {trade.importBatch ? (
              <Metric
                label="Import"
                value={
                  <Link to={`/trades/imports/${trade.importBatch.id}`} className="link">
                    {trade.importBatch.fileName ?? "Import batch"} · {formatDateTime(trade.importBatch.createdAt, timeZone)}
                  </Link>
                }
              />
            ) : null}
            <Metric label="Position id" value={<span className="break-all font-mono text-xs">{trade.positionId}</span>} />
            <Metric label="Journal" value={trade.hasJournal ? "Written" : "Not yet"} />
            <Metric
              label="Tags"
              value={
                trade.tags.length ? (
                  <span className="flex flex-wrap justify-end gap-1">
                    {trade.tags.map((tag) => (
                      <span key={tag.id} className="rounded-full border px-2 py-0.5 text-xs" style={{ borderColor: tag.color }}>
                        {tag.name}
                      </span>
                    ))}
                  </span>
                ) : (
                  "—"
                )
              }
            />
            {trade.comment ? <Metric label="Comment" value={<span className="break-words">{trade.comment}</span>} /> : null}
          </dl>
        </Section>
      </div>

      <TradeExcursionCard excursion={useLoaderData<typeof loader>().excursion} currency={currency} timeZone={timeZone} symbol={trade.symbol} />

      <TradeJournalForm
        tradeId={trade.id}
        journal={journal}
        timeZone={timeZone}
        answer={result?.status === "journal" ? result.journal : null}
        savedWithoutScript={params.get("journal") === "saved"}
      />

      <TradePlaybookPanel data={useLoaderData<typeof loader>().playbookPanel} />

      <div className="mt-4">
        <ScreenshotsPanel target={{ kind: "trade", tradeId: trade.id }} />
      </div>

      <Section title="Legs" description="Every deal of this position: entries, scale-ins and each exit." className="mt-4">
        {trade.legs.length ? (
          <TradeLegsTable legs={trade.legs} timeZone={timeZone} currency={currency} symbol={trade.symbol} tradeMoney={trade} />
        ) : (
          <p className="text-sm text-fg-muted">No separate deals were recorded for this trade; it was entered as one position.</p>
        )}
      </Section>

      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title="Delete this trade?"
        description={DELETE_WARNING}
        confirmLabel="Delete trade"
        form={DELETE_FORM}
        name="confirmed"
        value="yes"
      />
    </>
  );
}

const DELETE_WARNING = "Its journal entry, legs and tags are deleted with it. This cannot be undone.";

const CLOSE_REASON: Record<string, string> = {
  client: "You (desktop terminal)",
  mobile: "You (mobile app)",
  web: "You (web terminal)",
  expert: "Expert Advisor",
  sl: "Stop loss",
  tp: "Take profit",
  so: "Stop out",
  rollover: "Rollover",
  vmargin: "Variation margin",
  split: "Split",
  other: "Other",
};

function PnlSourceNote({ trade }: { trade: TradeDetail }) {
  if (trade.pnlSource === "broker") return <>Figures as the broker reported them.</>;
  if (trade.pnlSource === "user")
    return <>Gross profit as you entered it from your broker&apos;s statement; it takes precedence over a computed one.</>;
  const conversion =
    trade.profitCurrency && trade.profitCurrency !== trade.account.currency
      ? ` in ${trade.profitCurrency}, converted to ${trade.account.currency} at ${trade.conversionRate ?? "an unknown rate"}`
      : trade.profitCurrency
        ? ` in ${trade.profitCurrency}`
        : "";
  return <>Gross profit computed from the prices, volume and contract size{conversion}.</>;
}

function PlannedRValue({ r }: { r: PlannedR }) {
  if (r.value !== null) return <span className="tabular-nums">{r.value} R</span>;
  const why = {
    "no-stop": "no initial stop",
    "no-target": "no take profit",
    "stop-on-wrong-side": "stop on the wrong side",
    "target-on-wrong-side": "target on the wrong side",
  }[r.reason];
  return <span className="text-fg-subtle">— ({why})</span>;
}

function RealisedRValue({ r }: { r: RealisedR }) {
  if (r.value !== null) {
    return (
      <span className="inline-flex flex-col items-end">
        <span className={`tabular-nums ${pnlTone(r.value)}`}>{formatDecimal(r.value, 2, { signed: true })} R</span>
        <span className="text-xs text-fg-subtle">
          {r.method === "risk-amount" ? "net P&L ÷ money at risk" : "price move ÷ stop distance (costs excluded)"}
        </span>
      </span>
    );
  }
  const why = { open: "still open", "no-risk": "no initial stop", "stop-on-wrong-side": "stop on the wrong side" }[r.reason];
  return <span className="text-fg-subtle">— ({why})</span>;
}

function Section({ title, description, className = "", children }: { title: string; description?: string; className?: string; children: ReactNode }) {
  const id = `${title.toLowerCase()}-heading`;
  return (
    <section aria-labelledby={id} className={`card p-5 ${className}`}>
      <h2 id={id} className="text-sm font-semibold text-fg">
        {title}
      </h2>
      {description ? <p className="mt-0.5 text-xs text-fg-muted">{description}</p> : null}
      <div className="mt-3">{children}</div>
    </section>
  );
}

/**
 * The amount Realised R divides by: the one recorded with the trade, or — when
 * none was — the one its stop distance implies at the trade's own P&L rate,
 * so the R below never divides by a figure the page does not show.
 */
function MoneyAtRisk({ trade, closed, currency }: { trade: TradeDetail; closed: boolean; currency: string }) {
  if (trade.initialRiskAmount && dec(trade.initialRiskAmount).gt(0)) return <>{formatMoney(trade.initialRiskAmount, currency)}</>;
  const implied = closed ? impliedRiskAmount(trade) : null;
  if (!implied) return <>—</>;
  return (
    <span className="flex flex-col items-end">
      <span className="tabular-nums">≈ {formatMoney(implied, currency)}</span>
      <span className="text-xs text-fg-muted">implied by the stop distance</span>
    </span>
  );
}

function Metric({ label, value, tone = "text-fg", strong = false }: { label: string; value: ReactNode; tone?: string; strong?: boolean }) {
  return (
    <div className="flex items-baseline justify-between gap-4 py-2 text-sm">
      <dt className="text-fg-muted">{label}</dt>
      <dd className={`text-right tabular-nums ${tone} ${strong ? "font-semibold" : ""}`}>{value}</dd>
    </div>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const missing = isRouteErrorResponse(error) && error.status === 404;
  return (
    <div className="card p-6">
      <h1 className="text-lg font-semibold text-fg">{missing ? "Trade not found" : "This trade couldn't be shown"}</h1>
      <p className="mt-2 text-sm text-fg-muted">
        {missing ? "It may have been deleted, or the link is mistyped." : "Something went wrong on our side. Please try again."}
      </p>
      <Link to="/trades" className="link mt-4 inline-block text-sm">
        Back to your trades
      </Link>
    </div>
  );
}
