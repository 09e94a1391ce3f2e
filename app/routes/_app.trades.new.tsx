// /trades/new: record a trade by hand. The free plan's monthly limit is
// checked before anything is stored (and shown up front when already reached).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { PageHeader } from "~/components/page-header.tsx";
import { TradeForm } from "~/components/trades/trade-form/trade-form.tsx";
import { isAppError } from "~/lib/app-error.ts";
import type { FormResult } from "~/lib/form-result.ts";
import { parseForm, refillValues, formDataObject } from "~/lib/forms.ts";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleAction, handleLoader } from "~/lib/route-handler.server.ts";
import { createManualTrade, isMonthlyLimitReached, loadTradeFormData, monthlyLimitError } from "~/models/manual-trades.server.ts";
import { MONTHLY_LIMIT_HINT, tradeFormSchema } from "~/schemas/trade-form.ts";

export const meta: MetaFunction = () => [{ title: "Add a trade — RawJournal" }];

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => {
    const user = await requireUserDb(request);
    const form = await loadTradeFormData(user.db, user.claims);
    const wanted = new URL(request.url).searchParams.get("account");
    const accountId = form.accounts.find((account) => account.id === wanted)?.id ?? form.accounts[0]?.id ?? "";
    return {
      accounts: form.accounts.map(({ id, name, currency }) => ({ id, name, currency })),
      timeZone: form.timeZone,
      quotes: form.quotes,
      overrides: form.overrides,
      accountId,
      limitReached: isMonthlyLimitReached(form.allowance) ? monthlyLimitError(form.allowance).message : null,
    };
  });

export const action = (args: ActionFunctionArgs) =>
  handleAction(args, async ({ request }) => {
    const user = await requireUserDb(request);
    const formData = await request.formData();
    const form = await loadTradeFormData(user.db, user.claims);
    if (isMonthlyLimitReached(form.allowance)) {
      const prompt: FormResult = {
        status: "error",
        formError: monthlyLimitError(form.allowance).message,
        hint: MONTHLY_LIMIT_HINT,
        values: refillValues(formDataObject(formData)),
      };
      return data(prompt, { status: 403 });
    }
    const parsed = parseForm(
      formData,
      tradeFormSchema({ accounts: form.accounts, timeZone: form.timeZone, quotes: form.quotes, overrides: form.overrides }),
    );
    if (!parsed.success) return data(parsed.result, { status: 400 });
    try {
      const id = await createManualTrade(user.db, user.claims, parsed.data);
      return redirect(`/trades/${id}`);
    } catch (error) {
      // The limit (a race the database caught) and a vanished account keep what was typed.
      if (!isAppError(error)) throw error;
      const failure: FormResult = { status: "error", formError: error.message, hint: error.hint, values: refillValues(formDataObject(formData)) };
      return data(failure, { status: error.status });
    }
  });

export default function NewTrade() {
  const { accounts, timeZone, quotes, overrides, accountId, limitReached } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="mx-auto max-w-5xl">
      <PageHeader
        title="Add a trade"
        description="Record a trade by hand. P&L is computed from the prices unless you copy in your broker's figure."
      />
      {accounts.length === 0 ? (
        <div className="card p-6 text-sm text-fg-muted">
          <p>Trades belong to an account. Add one first; you come straight back to this form.</p>
          <Link to="/accounts/new?next=/trades/new" className="btn-primary mt-4">
            Add an account
          </Link>
        </div>
      ) : (
        <TradeForm
          accounts={accounts}
          timeZone={timeZone}
          quotes={quotes}
          overrides={overrides}
          defaults={{ accountId, side: "buy" }}
          serverResult={result}
          submitLabel="Save trade"
          pendingLabel="Saving…"
          limitReached={limitReached}
          cancelHref="/trades"
        />
      )}
    </div>
  );
}
