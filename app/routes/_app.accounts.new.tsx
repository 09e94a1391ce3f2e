import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { AccountFields } from "~/components/accounts/account-fields.tsx";
import { UpgradePrompt } from "~/components/upgrade-prompt.tsx";
import { FormAlert } from "~/components/forms/form-alert.tsx";
import { SubmitButton } from "~/components/forms/submit-button.tsx";
import { useValidatedForm } from "~/components/forms/use-validated-form.ts";
import { PageHeader } from "~/components/page-header.tsx";
import { isAppError } from "~/lib/app-error.ts";
import type { FormResult } from "~/lib/form-result.ts";
import { formDataObject, parseForm, refillValues } from "~/lib/forms.ts";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleAction, handleLoader } from "~/lib/route-handler.server.ts";
import { selectableTimeZones } from "~/lib/time-zones.server.ts";
import { canAddAccount, PLANS } from "~/domain/entitlements.ts";
import { accountLimitMessage, createManualAccount, loadAccountLimits } from "~/models/accounts.server.ts";
import { accountSchema, NEW_YORK_CLOSE_ZONE, UPGRADE_HINT } from "~/schemas/account.ts";

export const meta: MetaFunction = () => [{ title: "New account — RawJournal" }];

/** Only our own pages a new account unlocks; anything else goes to the accounts list. */
const NEXT_PAGES = new Set(["/trades/new", "/trades/import"]);
function nextPath(value: FormDataEntryValue | string | null): string | null {
  return typeof value === "string" && NEXT_PAGES.has(value) ? value : null;
}

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => {
    const user = await requireUserDb(request);
    const limits = await loadAccountLimits(user.db, user.claims);
    const plan = { ...PLANS[limits.tier], maxAccounts: limits.maxAccounts, maxMt5Accounts: limits.maxMt5Accounts };
    return {
      // Where the user was going when they found they needed an account (the trade form, the import page).
      next: nextPath(new URL(request.url).searchParams.get("next")),
      timeZones: selectableTimeZones(),
      // Said before the form is filled in; the action checks again either way.
      limitReached: canAddAccount(plan, limits, "manual") ? null : accountLimitMessage(limits, "manual"),
    };
  });

export const action = (args: ActionFunctionArgs) =>
  handleAction(args, async ({ request }) => {
    const user = await requireUserDb(request);
    const formData = await request.formData();
    const parsed = parseForm(formData, accountSchema);
    if (!parsed.success) return data(parsed.result, { status: 400 });
    try {
      await createManualAccount(user.db, user.claims, parsed.data);
    } catch (error) {
      if (!isAppError(error)) throw error;
      // Refill the form: without JavaScript the page re-renders from this answer.
      const refused: FormResult = { status: "error", formError: error.message, hint: error.hint, values: refillValues(formDataObject(formData)) };
      return data(refused, { status: error.status });
    }
    const next = nextPath(formData.get("next"));
    return redirect(next ?? "/accounts?created=1");
  });

export default function NewAccount() {
  const { timeZones, limitReached, next } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const form = useValidatedForm(accountSchema, result);
  const values = result?.values ?? {};
  const refusedForLimit = !form.formError ? null : result?.hint === UPGRADE_HINT ? form.formError : null;

  return (
    <>
      <PageHeader
        title="New account"
        description="A manual account: you enter or import its trades yourself."
        actions={
          <Link to="/accounts" className="btn-ghost">
            Back to accounts
          </Link>
        }
      />
      <div className="card max-w-2xl p-5 sm:p-6">
        <Form method="post" noValidate onSubmit={form.onSubmit} className="space-y-5">
          {next ? <input type="hidden" name="next" value={next} /> : null}
          {refusedForLimit ? (
            <UpgradePrompt message={refusedForLimit} />
          ) : form.formError ? (
            <FormAlert tone="error">{form.formError}</FormAlert>
          ) : limitReached ? (
            <FormAlert tone="info">
              {limitReached}{" "}
              <Link to="/pricing" className="font-medium underline underline-offset-4">
                Compare plans
              </Link>
            </FormAlert>
          ) : null}
          <AccountFields
            values={{
              name: values.name ?? "",
              broker: values.broker ?? "",
              currency: values.currency ?? "USD",
              initialBalance: values.initialBalance ?? "",
              serverTimeZone: values.serverTimeZone ?? NEW_YORK_CLOSE_ZONE,
              marginMode: values.marginMode ?? "hedging",
            }}
            timeZones={timeZones}
            error={form.error}
            clearFieldError={form.clearFieldError}
          />
          <div className="flex flex-wrap gap-3">
            <SubmitButton pendingLabel="Creating…">Create account</SubmitButton>
            <Link to="/accounts" className="btn-secondary">
              Cancel
            </Link>
          </div>
        </Form>
      </div>
    </>
  );
}
