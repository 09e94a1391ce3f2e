// /trades/<id>/edit: change a manual or imported trade. MT5-synced trades are
// refused (the sync owns them); the initial stop is write-once, so once set it
// is shown read-only and the stop-loss field edits the current stop.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormAlert } from "~/components/forms/form-alert.tsx";
import { PageHeader } from "~/components/page-header.tsx";
import { TradeForm, type TradeFormDefaults } from "~/components/trades/trade-form/trade-form.tsx";
import type { FormResult } from "~/lib/form-result.ts";
import { formDataObject, parseForm, refillValues } from "~/lib/forms.ts";
import { isAppError } from "~/lib/app-error.ts";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleAction, handleLoader } from "~/lib/route-handler.server.ts";
import { loadAccountPlanAccess, readOnlyEditRefusal } from "~/models/account-plan-access.server.ts";
import { loadEditableTrade, loadTradeFormData, MT5_EDIT_REFUSAL, updateTrade, type EditableTrade } from "~/models/manual-trades.server.ts";
import { toLocalDateTimeInput, tradeFormSchema } from "~/schemas/trade-form.ts";

export const meta: MetaFunction = () => [{ title: "Edit trade — RawJournal" }];

function formDefaults(trade: EditableTrade, timeZone: string): TradeFormDefaults {
  const reported = trade.pnlSource === "broker" || trade.pnlSource === "user";
  return {
    accountId: trade.accountId,
    symbol: trade.brokerSymbol ?? trade.symbol,
    side: trade.direction,
    openedAt: toLocalDateTimeInput(trade.openedAt, timeZone),
    entryPrice: trade.entryPrice,
    closedAt: toLocalDateTimeInput(trade.closedAt, timeZone),
    exitPrice: trade.exitPrice ?? "",
    lots: trade.volume,
    stopLoss: trade.stopLoss ?? "",
    takeProfit: trade.takeProfit ?? "",
    commission: trade.commission,
    swap: trade.swap,
    fee: trade.fee,
    brokerProfit: reported && trade.closedAt ? trade.grossProfit : "",
    conversionRate: !reported && trade.conversionRate ? trade.conversionRate : "",
    comment: trade.comment ?? "",
  };
}

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request, params }) => {
    const user = await requireUserDb(request);
    const trade = await loadEditableTrade(user.db, user.claims, params.tradeId ?? "");
    const form = await loadTradeFormData(user.db, user.claims);
    const plan = await loadAccountPlanAccess(user.db, trade.accountId);
    const accountName = form.accounts.find((account) => account.id === trade.accountId)?.name ?? "This account";
    return {
      trade: { id: trade.id, symbol: trade.symbol, source: trade.source, initialStopLoss: trade.initialStopLoss },
      defaults: formDefaults(trade, form.timeZone),
      accounts: form.accounts.map(({ id, name, currency }) => ({ id, name, currency })),
      timeZone: form.timeZone,
      quotes: form.quotes,
      overrides: form.overrides,
      refusal: trade.source === "mt5" ? MT5_EDIT_REFUSAL : plan.access === "read_only" ? readOnlyEditRefusal(accountName, plan.tier) : null,
      readOnly: plan.access === "read_only",
    };
  });

export const action = (args: ActionFunctionArgs) =>
  handleAction(args, async ({ request, params }) => {
    const user = await requireUserDb(request);
    const trade = await loadEditableTrade(user.db, user.claims, params.tradeId ?? "");
    if (trade.source === "mt5") {
      const refused: FormResult = { status: "error", formError: MT5_EDIT_REFUSAL };
      return data(refused, { status: 403 });
    }
    const form = await loadTradeFormData(user.db, user.claims);
    const schema = tradeFormSchema({
      accounts: form.accounts,
      timeZone: form.timeZone,
      quotes: form.quotes,
      overrides: form.overrides,
      lockedInitialStopLoss: trade.initialStopLoss,
    });
    const formData = await request.formData();
    const parsed = parseForm(formData, schema);
    if (!parsed.success) return data(parsed.result, { status: 400 });
    try {
      await updateTrade(user.db, user.claims, trade.id, parsed.data);
    } catch (error) {
      if (!isAppError(error)) throw error;
      const failure: FormResult = { status: "error", formError: error.message, hint: error.hint, values: refillValues(formDataObject(formData)) };
      return data(failure, { status: error.status });
    }
    return redirect(`/trades/${trade.id}`);
  });

export default function EditTrade() {
  const { trade, defaults, accounts, timeZone, quotes, overrides, refusal, readOnly } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const title = `Edit ${trade.symbol} trade`;
  if (refusal) {
    return (
      <div className="mx-auto max-w-3xl">
        <PageHeader title={title} />
        <FormAlert tone="info">{refusal}</FormAlert>
        <div className="mt-4 flex flex-wrap gap-2">
          <Link to={`/trades/${trade.id}`} className="btn-secondary">
            Back to the trade
          </Link>
          {readOnly ? (
            <Link to="/settings/billing" className="btn-primary">
              Settings → Billing
            </Link>
          ) : null}
        </div>
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-5xl">
      <PageHeader
        title={title}
        description={
          trade.source === "file"
            ? "Imported from a file: the P&L stays your broker's unless you change a money field."
            : "Entered by hand: every field can change."
        }
      />
      <TradeForm
        accounts={accounts}
        timeZone={timeZone}
        quotes={quotes}
        overrides={overrides}
        defaults={defaults}
        serverResult={result}
        submitLabel="Save changes"
        pendingLabel="Saving…"
        lockedInitialStopLoss={trade.initialStopLoss}
        accountLocked={trade.source === "file"}
        cancelHref={`/trades/${trade.id}`}
      />
    </div>
  );
}
