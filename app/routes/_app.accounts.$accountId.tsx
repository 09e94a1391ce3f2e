import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import { AccountFields } from "~/components/accounts/account-fields.tsx";
import { Mt5ConnectionSection } from "~/components/accounts/mt5-connection-section.tsx";
import { OverrideForm, OverridesTable, type OverrideValues } from "~/components/accounts/instrument-overrides.tsx";
import { FieldError } from "~/components/forms/field.tsx";
import { FormAlert } from "~/components/forms/form-alert.tsx";
import { SubmitButton } from "~/components/forms/submit-button.tsx";
import { useValidatedForm } from "~/components/forms/use-validated-form.ts";
import { PlanAccessNotice } from "~/components/accounts/plan-access-notice.tsx";
import { PageHeader } from "~/components/page-header.tsx";
import { useToast } from "~/components/shell/toaster.tsx";
import { CATALOGUE, CATALOGUE_SYMBOLS } from "~/domain/instruments/catalogue.ts";
import { normalizeSymbol } from "~/domain/instruments/normalize-symbol.ts";
import { refusalResult } from "~/lib/connection-form-result.ts";
import type { FormResult } from "~/lib/form-result.ts";
import { forForm } from "~/lib/form-intent.server.ts";
import { formDataObject, parseForm, refillValues } from "~/lib/forms.ts";
import { formatMoney, plural } from "~/lib/format.ts";
import { pool } from "~/lib/pool.server.ts";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleAction, handleLoader } from "~/lib/route-handler.server.ts";
import { selectableTimeZones } from "~/lib/time-zones.server.ts";
import {
  deleteTradingAccount,
  loadAccount,
  removeInstrumentOverride,
  saveInstrumentOverride,
  updateAccount,
  type InstrumentOverride,
} from "~/models/accounts.server.ts";
import { accountSchema, deleteAccountConfirmationSchema, instrumentOverrideSchema, removeInstrumentOverrideSchema } from "~/schemas/account.ts";
import { disconnectMt5Account, loadMt5SyncDetails, reconnectMt5Account } from "~/models/mt5-connection.server.ts";
import { disconnectMt5Schema, reconnectMt5Schema } from "~/schemas/mt5-connection.ts";

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [{ title: `${loaded?.account.name ?? "Account"} — RawJournal` }];

function overrideValues(override: InstrumentOverride): OverrideValues {
  return {
    contractSize: override.contractSize,
    pipSize: override.pipSize,
    point: override.point,
    tickSize: override.tickSize,
    tickValue: override.tickValue,
    digits: override.digits === null ? null : String(override.digits),
    profitCurrency: override.profitCurrency,
    calculationMode: override.calculationMode,
  };
}

function catalogueValues(symbol: string): OverrideValues | null {
  const spec = CATALOGUE.get(symbol);
  if (!spec) return null;
  return {
    contractSize: spec.contractSize,
    pipSize: spec.pipSize,
    point: spec.point,
    tickSize: spec.tickSize,
    tickValue: spec.tickValue,
    digits: String(spec.digits),
    profitCurrency: spec.profitCurrency,
    calculationMode: spec.calculationMode,
  };
}

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request, params }) => {
    const user = await requireUserDb(request);
    const { account, overrides } = await loadAccount(user.db, user.claims, params.accountId ?? "");
    const url = new URL(request.url);
    const editSymbol = url.searchParams.get("symbol");
    const editing = editSymbol ? normalizeSymbol(editSymbol) : null;
    const saved = url.searchParams.get("saved");
    const existing = overrides.find((o) => o.symbol === editing);
    const connection = account.kind === "mt5" ? await loadMt5SyncDetails(user.db, account.id) : null;
    return {
      account,
      connection,
      reconnected: url.searchParams.has("reconnected"),
      timeZones: selectableTimeZones(),
      overrides: overrides.map((o) => ({ symbol: o.symbol, values: overrideValues(o), catalogue: catalogueValues(o.symbol) })),
      editing: editing ? { symbol: editing, values: existing ? overrideValues(existing) : null, catalogue: catalogueValues(editing) } : null,
      // Only a symbol this account really has an override for is named back.
      savedSymbol: overrides.some((o) => o.symbol === saved) ? saved : null,
      catalogueSymbols: CATALOGUE_SYMBOLS,
    };
  });

const done = (intent: string, message: string): FormResult => ({ status: "success", message, values: { intent } });

export const action = (args: ActionFunctionArgs) =>
  handleAction(args, async ({ request, params }) => {
    const user = await requireUserDb(request);
    const accountId = params.accountId ?? "";
    const formData = await request.formData();
    const intent = String(formData.get("intent") ?? "");
    const withIntent = (result: FormResult): FormResult => ({ ...result, values: { ...result.values, intent } });

    if (intent === "account") {
      const parsed = parseForm(formData, accountSchema);
      if (!parsed.success) return data(withIntent(parsed.result), { status: 400 });
      await forForm(intent, () => updateAccount(user.db, user.claims, accountId, parsed.data));
      return data(done(intent, "Account saved."));
    }

    if (intent === "override") {
      const parsed = parseForm(formData, instrumentOverrideSchema);
      if (!parsed.success) return data(withIntent(parsed.result), { status: 400 });
      await forForm(intent, () => saveInstrumentOverride(user.db, user.claims, accountId, parsed.data));
      // A fresh page: the form empties, the table shows the new row.
      return redirect(`/accounts/${accountId}?saved=${encodeURIComponent(parsed.data.symbol)}#instrument-overrides`);
    }

    if (intent === "remove-override") {
      const parsed = parseForm(formData, removeInstrumentOverrideSchema);
      if (!parsed.success) return data(withIntent(parsed.result), { status: 400 });
      await forForm(intent, () => removeInstrumentOverride(user.db, user.claims, accountId, parsed.data.symbol));
      return data(done(intent, `The ${parsed.data.symbol} override was removed.`));
    }

    if (intent === "reconnect") {
      const parsed = parseForm(formData, reconnectMt5Schema);
      if (!parsed.success) return data(withIntent(parsed.result), { status: 400 });
      const outcome = await forForm(intent, () =>
        reconnectMt5Account(pool, user.claims, accountId, parsed.data.investorPassword, { signal: request.signal }),
      );
      if (outcome.status === "refused")
        return data(withIntent(refusalResult(outcome.refusal, refillValues(formDataObject(formData)))), { status: 400 });
      return redirect(`/accounts/${accountId}?reconnected=1#connection`);
    }

    if (intent === "disconnect") {
      const parsed = parseForm(formData, disconnectMt5Schema);
      if (!parsed.success) return data(withIntent(parsed.result), { status: 400 });
      await forForm(intent, () => disconnectMt5Account(user.db, accountId));
      return data(done(intent, "Disconnected. Sync has stopped and the stored password was deleted; the history stays."));
    }

    if (intent === "delete") {
      const parsed = parseForm(formData, deleteAccountConfirmationSchema);
      if (!parsed.success) return data(withIntent(parsed.result), { status: 400 });
      await forForm(intent, () => deleteTradingAccount(user.db, user.claims, accountId));
      return redirect("/accounts?deleted=1");
    }

    const unknown: FormResult = { status: "error", formError: "That form isn't recognised. Reload the page and try again." };
    return data(unknown, { status: 400 });
  });

export default function AccountPage() {
  const { account, connection, reconnected, timeZones, overrides, editing, savedSymbol, catalogueSymbols } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const location = useLocation();
  const resultFor = (intent: string) => (result?.values?.intent === intent ? result : undefined);
  const details = useValidatedForm(accountSchema, resultFor("account"));
  const override = useValidatedForm(instrumentOverrideSchema, resultFor("override"));
  const removal = useValidatedForm(deleteAccountConfirmationSchema, resultFor("delete"));
  const { show } = useToast();

  useEffect(() => {
    if (result?.status === "success" && result.message) show(result.message);
  }, [result, show]);

  const detailValues = resultFor("account")?.status === "error" ? resultFor("account")?.values : undefined;
  const overrideRefill = resultFor("override")?.status === "error" ? resultFor("override")?.values : undefined;
  const removeResult = resultFor("remove-override");
  const consequences = [
    plural(account.tradeCount, "trade", "trades"),
    plural(account.journalCount, "journal entry", "journal entries"),
    plural(account.cashMovementCount, "cash movement", "cash movements"),
  ];

  return (
    <>
      <PageHeader
        title={account.name}
        description={`${account.kind === "mt5" ? "MT5" : "Manual"} account · ${account.currency} · balance ${formatMoney(account.balance, account.currency)}`}
        actions={
          <Link to="/accounts" className="btn-ghost">
            All accounts
          </Link>
        }
      />
      <PlanAccessNotice access={account.planAccess} className="mb-6" />
      <div className="space-y-8">
        <Section
          id="account-details"
          title="Account details"
          description="Changing the server time zone affects how times in future imports are read."
        >
          <Form method="post" noValidate onSubmit={details.onSubmit} className="max-w-2xl space-y-5">
            <Status result={resultFor("account")} formError={details.formError} />
            <AccountFields
              values={{
                name: detailValues?.name ?? account.name,
                broker: detailValues?.broker ?? account.broker ?? "",
                currency: detailValues?.currency ?? account.currency,
                initialBalance: detailValues?.initialBalance ?? account.initialBalance,
                serverTimeZone: detailValues?.serverTimeZone ?? account.serverTimeZone,
                marginMode: detailValues?.marginMode ?? account.marginMode,
              }}
              timeZones={timeZones.includes(account.serverTimeZone) ? timeZones : [account.serverTimeZone, ...timeZones]}
              error={details.error}
              clearFieldError={details.clearFieldError}
              existing
            />
            <SubmitButton intent="account" pendingLabel="Saving…">
              Save account
            </SubmitButton>
          </Form>
        </Section>

        {connection ? (
          <Section
            id="connection"
            title="MT5 connection"
            description="Sync reads this account with its investor (read-only) password while RawJournal is open."
          >
            <Mt5ConnectionSection
              accountId={account.id}
              accountName={account.name}
              connection={connection}
              reconnected={reconnected}
              reconnectResult={resultFor("reconnect")}
              disconnectResult={resultFor("disconnect")}
            />
          </Section>
        ) : null}

        <Section
          id="instrument-overrides"
          title="Instrument overrides"
          description="When your broker's contract differs from the catalogue (gold at 10 oz a lot, an index CFD's tick value), set it here. It applies to this account's P&L, pips and R."
        >
          <div className="space-y-6">
            {savedSymbol ? <FormAlert tone="success">The {savedSymbol} override was saved.</FormAlert> : null}
            {removeResult ? <Status result={removeResult} formError={removeResult.formError} /> : null}
            <OverridesTable rows={overrides} />
            <div className="border-t border-border pt-5">
              <h3 className="mb-3 text-sm font-semibold text-fg">{editing?.values ? `Edit ${editing.symbol}` : "Add or change an override"}</h3>
              {override.formError ? (
                <div className="mb-4">
                  <FormAlert tone="error">{override.formError}</FormAlert>
                </div>
              ) : null}
              <OverrideForm
                key={location.key}
                editing={editing}
                refill={overrideRefill}
                catalogueSymbols={catalogueSymbols}
                onSubmit={override.onSubmit}
                error={override.error}
                clearFieldError={override.clearFieldError}
              />
            </div>
          </div>
        </Section>

        <Section id="delete-account" title="Delete account" description="This cannot be undone." danger>
          <Form method="post" noValidate onSubmit={removal.onSubmit} className="max-w-2xl space-y-4">
            <Status result={resultFor("delete")} formError={removal.formError} />
            <p className="text-sm text-fg">
              Deleting <strong>{account.name}</strong> also deletes its {consequences[0]}, {consequences[1]} and {consequences[2]}, its import history
              and its instrument overrides.
            </p>
            <div>
              <label className="flex items-start gap-3 text-sm text-fg">
                <input
                  type="checkbox"
                  name="confirmed"
                  value="yes"
                  required
                  aria-invalid={removal.error("confirmed") ? true : undefined}
                  aria-describedby={removal.error("confirmed") ? "confirmed-error" : undefined}
                  onChange={() => removal.clearFieldError("confirmed")}
                  className="mt-0.5 h-4 w-4 accent-red-600"
                />
                <span>I understand that {consequences.join(", ")} will be deleted for good.</span>
              </label>
              <FieldError id="confirmed-error" message={removal.error("confirmed")} />
            </div>
            <SubmitButton intent="delete" variant="danger" pendingLabel="Deleting…">
              Delete account
            </SubmitButton>
          </Form>
        </Section>
      </div>
    </>
  );
}

function Section({
  id,
  title,
  description,
  danger,
  children,
}: {
  id: string;
  title: string;
  description: string;
  danger?: boolean;
  children: ReactNode;
}) {
  return (
    <section id={id} className={`card p-5 sm:p-6 ${danger ? "border-red-500/30" : ""}`} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className={`text-base font-semibold ${danger ? "text-red-400" : "text-fg"}`}>
        {title}
      </h2>
      <p className="mt-1 text-sm text-fg-muted">{description}</p>
      <div className="mt-5">{children}</div>
    </section>
  );
}

function Status({ result, formError }: { result?: FormResult; formError?: string }) {
  if (formError) return <FormAlert tone="error">{formError}</FormAlert>;
  if (result?.status === "success" && result.message) {
    // Also announced as a toast; this copy is what a browser without JavaScript shows.
    return <FormAlert tone="success">{result.message}</FormAlert>;
  }
  return null;
}
