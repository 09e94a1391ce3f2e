// Connect an MT5 account with its investor (read-only) password. The action
// checks the plan and duplicates, has the jobs process log in (the request
// waits for its answer, a minute or two at most), and only then creates the
// account; a refused login saves nothing and says what to fix.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { CheckingWithBroker, ConnectMt5Fields } from "~/components/accounts/connect-mt5-fields.tsx";
import { UpgradePrompt } from "~/components/upgrade-prompt.tsx";
import { FormAlert } from "~/components/forms/form-alert.tsx";
import { SubmitButton } from "~/components/forms/submit-button.tsx";
import { useValidatedForm } from "~/components/forms/use-validated-form.ts";
import { PageHeader } from "~/components/page-header.tsx";
import { canAddAccount, PLANS } from "~/domain/entitlements.ts";
import { isAppError } from "~/lib/app-error.ts";
import { refusalResult } from "~/lib/connection-form-result.ts";
import type { FormResult } from "~/lib/form-result.ts";
import { formDataObject, parseForm, refillValues } from "~/lib/forms.ts";
import { pool } from "~/lib/pool.server.ts";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleAction, handleLoader } from "~/lib/route-handler.server.ts";
import { selectableTimeZones } from "~/lib/time-zones.server.ts";
import { accountLimitMessage, loadAccountLimits } from "~/models/accounts.server.ts";
import { connectMt5Account } from "~/models/mt5-connection.server.ts";
import { UPGRADE_HINT } from "~/schemas/account.ts";
import { UPGRADE_PATH } from "~/schemas/trade-form.ts";
import { connectMt5Schema, DETECT_TIME_ZONE } from "~/schemas/mt5-connection.ts";

export const meta: MetaFunction = () => [{ title: "Connect an MT5 account — RawJournal" }];

const PATH = "/accounts/connect";

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => {
    const user = await requireUserDb(request);
    const limits = await loadAccountLimits(user.db, user.claims);
    const plan = { ...PLANS[limits.tier], maxAccounts: limits.maxAccounts, maxMt5Accounts: limits.maxMt5Accounts };
    return {
      // A plan without MT5 sync sees what sync does and how to get it instead of a form it cannot use.
      syncIncluded: limits.maxMt5Accounts > 0,
      timeZones: selectableTimeZones(),
      // Said before the form is filled in; the action checks again either way.
      limitReached: canAddAccount(plan, limits, "mt5") ? null : accountLimitMessage(limits, "mt5"),
    };
  });

export const action = (args: ActionFunctionArgs) =>
  handleAction(args, async ({ request }) => {
    const user = await requireUserDb(request);
    const formData = await request.formData();
    const parsed = parseForm(formData, connectMt5Schema);
    if (!parsed.success) return data(parsed.result, { status: 400 });
    const values = refillValues(formDataObject(formData));
    try {
      const outcome = await connectMt5Account(pool, user.claims, parsed.data, { signal: request.signal });
      if (outcome.status === "connected") return redirect("/dashboard?notice=mt5-connected");
      return data(refusalResult(outcome.refusal, values), { status: 400 });
    } catch (error) {
      if (!isAppError(error)) throw error;
      const refused: FormResult = { status: "error", formError: error.message, hint: error.hint, values };
      return data(refused, { status: error.status });
    }
  });

export default function ConnectAccount() {
  const { timeZones, limitReached, syncIncluded } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const form = useValidatedForm(connectMt5Schema, result);
  const values = result?.values ?? {};
  const upgrade = form.formError && result?.hint === UPGRADE_HINT ? form.formError : !form.formError ? limitReached : null;
  const existingAccount = result?.hint?.startsWith("account:") ? result.hint.slice("account:".length) : null;
  // Each answer empties the password field (with JavaScript the input would keep what was typed).
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (result) setAttempt((count) => count + 1);
  }, [result]);

  return (
    <>
      <PageHeader
        title="Connect an MT5 account"
        description="Trades and positions sync by themselves while RawJournal is open. Read-only: the investor password cannot place or close trades."
        actions={
          <Link to="/accounts" className="btn-ghost">
            Back to accounts
          </Link>
        }
      />
      {!syncIncluded ? (
        <SyncNotInPlan />
      ) : (
        <div className="card max-w-2xl p-5 sm:p-6">
          <Form method="post" action={PATH} noValidate onSubmit={form.onSubmit} className="space-y-5">
            {upgrade ? (
              <UpgradePrompt message={upgrade} />
            ) : form.formError ? (
              <FormAlert tone="error">
                {form.formError}
                {existingAccount ? (
                  <>
                    {" "}
                    <Link to={`/accounts/${existingAccount}`} className="font-medium underline underline-offset-4">
                      Open it
                    </Link>
                  </>
                ) : null}
              </FormAlert>
            ) : null}
            <CheckingWithBroker action={PATH} />
            <ConnectMt5Fields
              values={{
                server: values.server ?? "",
                login: values.login ?? "",
                name: values.name ?? "",
                serverTimeZone: values.serverTimeZone ?? DETECT_TIME_ZONE,
              }}
              attempt={attempt}
              timeZones={timeZones}
              error={form.error}
              clearFieldError={form.clearFieldError}
            />
            <div className="flex flex-wrap gap-3">
              <SubmitButton pendingLabel="Checking with your broker…">Connect account</SubmitButton>
              <Link to="/accounts" className="btn-secondary">
                Cancel
              </Link>
            </div>
          </Form>
        </div>
      )}
    </>
  );
}

/** What a Free user sees instead of the form: what sync does, which plans include it, and what works today. */
function SyncNotInPlan() {
  return (
    <section className="card max-w-2xl space-y-4 p-5 sm:p-6" aria-labelledby="sync-plan-heading" data-sync-not-in-plan>
      <h2 id="sync-plan-heading" className="text-base font-semibold text-fg">
        MT5 sync comes with Pro and Elite
      </h2>
      <ul className="list-disc space-y-1 pl-5 text-sm text-fg-muted">
        <li>Your open positions, balance and equity update every 15 seconds while RawJournal is open, and every closed trade arrives by itself.</li>
        <li>It logs in with the investor password, which is read-only: it can never place or close a trade.</li>
        <li>Pro syncs one MT5 account, Elite five, with priority.</li>
      </ul>
      <p className="text-sm text-fg-muted">
        On the Free plan you can already import your history: in MT5, right-click the History tab, choose Report and save it as HTML or Excel, then
        import it here.
      </p>
      <div className="flex flex-wrap gap-3">
        <Link to="/trades/import" className="btn-primary">
          Import an MT5 report
        </Link>
        <Link to={UPGRADE_PATH} className="btn-secondary">
          Compare plans
        </Link>
      </div>
    </section>
  );
}
