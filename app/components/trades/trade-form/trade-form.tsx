// The manual trade form, for /trades/new and /trades/<id>/edit. Plain inputs
// and a POST, so it works without JavaScript (the server validates with the
// same schema and re-renders with inline errors); with JavaScript it checks
// before sending and keeps a live preview of the figures.
import { Form } from "@remix-run/react";
import { useMemo, useState, type FormEvent, type ReactNode } from "react";
import { Field, FieldError } from "~/components/forms/field.tsx";
import { FormAlert } from "~/components/forms/form-alert.tsx";
import { SelectField } from "~/components/forms/select-field.tsx";
import { SubmitButton } from "~/components/forms/submit-button.tsx";
import { useValidatedForm } from "~/components/forms/use-validated-form.ts";
import { UpgradePrompt } from "~/components/upgrade-prompt.tsx";
import { CATALOGUE, CATALOGUE_SYMBOLS, resolveInstrument, type InstrumentOverrides } from "~/domain/instruments/catalogue.ts";
import { normalizeSymbol } from "~/domain/instruments/normalize-symbol.ts";
import { prefilledConversionRate, tradeFigures, type TradeFigures } from "~/domain/trades/manual-trade.ts";
import { parseConversionRate } from "~/domain/trades/pnl.ts";
import { dec, toDecimalString } from "~/domain/decimal.ts";
import type { FormResult } from "~/lib/form-result.ts";
import { formDataObject } from "~/lib/forms.ts";
import { MONTHLY_LIMIT_HINT, tradeFormSchema, type TradeFormField } from "~/schemas/trade-form.ts";
import { TradePreview } from "./trade-preview.tsx";

export interface TradeFormAccount {
  id: string;
  name: string;
  currency: string;
}

export type TradeFormDefaults = Partial<Record<TradeFormField, string>>;

interface TradeFormProps {
  accounts: TradeFormAccount[];
  timeZone: string;
  quotes: Record<string, string>;
  /** Account id → canonical symbol → instrument fields the account overrides. */
  overrides: Record<string, InstrumentOverrides>;
  defaults: TradeFormDefaults;
  serverResult?: FormResult;
  submitLabel: string;
  pendingLabel: string;
  /** Edit of a trade whose initial stop is stored: shown read-only. */
  lockedInitialStopLoss?: string | null;
  /** File imports stay in the account they were imported into. */
  accountLocked?: boolean;
  /** The free plan's monthly limit is already reached: the upgrade prompt, shown before anything is typed. */
  limitReached?: string | null;
  cancelHref: string;
}

const numberOrNull = (value: string | undefined): string | null => {
  const text = (value ?? "")
    .trim()
    .replace(/[\s\u00a0]/g, "")
    .replace(/\u2212/g, "-")
    .replace(",", ".");
  return /^-?\d+(?:\.\d+)?$/.test(text) ? toDecimalString(dec(text)) : null;
};
const positiveOrNull = (value: string | undefined) => {
  const number = numberOrNull(value);
  return number !== null && dec(number).gt(0) ? number : null;
};

export function TradeForm(props: TradeFormProps) {
  const { accounts, timeZone, quotes, overrides, defaults, serverResult, lockedInitialStopLoss = null } = props;
  const schema = useMemo(
    () => tradeFormSchema({ accounts, timeZone, quotes, overrides, lockedInitialStopLoss }),
    [accounts, timeZone, quotes, overrides, lockedInitialStopLoss],
  );
  const form = useValidatedForm(schema, serverResult);
  const refill = serverResult?.status === "error" ? serverResult.values : undefined;
  const initial: Record<string, string> = { ...defaults, ...refill };
  const [values, setValues] = useState<Record<string, string>>(initial);
  // The rate follows the trade (implied or quoted) until the user types one.
  const [rateTyped, setRateTyped] = useState(Boolean(initial.conversionRate));
  const [rate, setRate] = useState(initial.conversionRate ?? "");

  const account = accounts.find((candidate) => candidate.id === values.accountId) ?? (accounts.length === 1 ? accounts[0] : undefined);
  const canonical = normalizeSymbol(values.symbol ?? "");
  const accountOverrides = (account && overrides[account.id]) || {};
  const spec = canonical
    ? resolveInstrument(canonical, {
        ...accountOverrides,
        [canonical]: {
          ...accountOverrides[canonical],
          ...(positiveOrNull(values.contractSize) ? { contractSize: positiveOrNull(values.contractSize)! } : {}),
          ...(/^[A-Za-z]{3,4}$/.test(values.profitCurrency?.trim() ?? "") ? { profitCurrency: values.profitCurrency!.trim().toUpperCase() } : {}),
        },
      })
    : null;
  const exitPrice = positiveOrNull(values.exitPrice);
  const suggestedRate = account ? prefilledConversionRate(spec, account.currency, exitPrice, quotes) : null;
  const rateValue = rateTyped ? rate : (suggestedRate ?? "");
  const isOpen = !(values.closedAt ?? "").trim() && !(values.exitPrice ?? "").trim();
  const symbolUnknown = Boolean(canonical) && !resolveInstrument(canonical, accountOverrides);

  const { figures, missing } = preview({ values, spec, account, exitPrice, rateValue, lockedInitialStopLoss });

  function onChange(event: FormEvent<HTMLFormElement>) {
    const target = event.target as HTMLInputElement;
    if (target.name) form.clearFieldError(target.name);
    setValues(formDataObject(new FormData(event.currentTarget)));
  }

  const error = form.error;
  const limit = props.limitReached ?? (serverResult?.hint === MONTHLY_LIMIT_HINT ? form.formError : null);
  const field = (name: TradeFormField) => ({
    name,
    defaultValue: initial[name] ?? "",
    error: error(name),
  });

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_18rem]">
      <Form method="post" noValidate onSubmit={form.onSubmit} onChange={onChange} className="card space-y-6 p-4 sm:p-6" aria-label="Trade">
        {limit ? (
          <UpgradePrompt title="Monthly trade limit reached" message={limit} linkLabel="See plans and upgrade" />
        ) : form.formError ? (
          <FormAlert tone="error">{form.formError}</FormAlert>
        ) : null}

        <Group title="Trade">
          {props.accountLocked ? (
            <>
              <input type="hidden" name="accountId" value={initial.accountId ?? ""} />
              <Field label="Account" name="accountName" value={account?.name ?? ""} readOnly disabled hint="Imported trades stay in their account." />
            </>
          ) : (
            <SelectField
              label="Account"
              name="accountId"
              defaultValue={initial.accountId ?? accounts[0]?.id}
              options={accounts.map((candidate) => ({ value: candidate.id, label: `${candidate.name} (${candidate.currency})` }))}
              error={error("accountId")}
            />
          )}
          <Field
            label="Symbol"
            {...field("symbol")}
            list="trade-symbols"
            autoComplete="off"
            spellCheck={false}
            placeholder="EURUSD"
            className="sm:col-span-1"
            hint={
              spec
                ? `${spec.description} · 1 lot = ${formatUnits(spec.contractSize)} · profit in ${spec.profitCurrency}`
                : "As your broker writes it: EURUSD.Z, US30.cash, GOLD…"
            }
          />
          <datalist id="trade-symbols">
            {CATALOGUE_SYMBOLS.map((symbol) => (
              <option key={symbol} value={symbol}>
                {CATALOGUE.get(symbol)?.description}
              </option>
            ))}
          </datalist>
          <SideToggle defaultValue={initial.side ?? "buy"} error={error("side")} />
          <Field label="Lots" {...field("lots")} inputMode="decimal" placeholder="0.10" hint="0.01 to 100, in steps of 0.01." />
        </Group>

        {symbolUnknown || error("contractSize") || error("profitCurrency") || initial.contractSize ? (
          <Group
            title={`About ${values.symbol?.trim() || "this symbol"}`}
            description="It isn't in our list, so we need these to compute its P&L (or enter the broker-reported profit below)."
          >
            <Field label="Contract size (units per lot)" {...field("contractSize")} inputMode="decimal" placeholder="1" />
            <Field label="Profit currency" {...field("profitCurrency")} placeholder="USD" maxLength={4} autoCapitalize="characters" />
          </Group>
        ) : (
          <>
            <input type="hidden" name="contractSize" value="" />
            <input type="hidden" name="profitCurrency" value="" />
          </>
        )}

        <Group title="Entry" description={`Times in your time zone (${timeZone.replaceAll("_", " ")}).`}>
          <Field label="Opened at" type="datetime-local" step="1" {...field("openedAt")} />
          <Field label="Entry price" {...field("entryPrice")} inputMode="decimal" placeholder="1.08250" />
          {lockedInitialStopLoss ? (
            <>
              <Field
                label="Initial stop loss"
                name="initialStopLossShown"
                value={lockedInitialStopLoss}
                readOnly
                disabled
                hint="Fixed at entry, so R stays honest."
              />
              <Field label="Current stop loss" {...field("stopLoss")} inputMode="decimal" placeholder="Optional" />
            </>
          ) : (
            <Field
              label="Stop loss"
              {...field("stopLoss")}
              inputMode="decimal"
              placeholder="Optional"
              hint="The stop at entry: planned R and risk use it."
            />
          )}
          <Field label="Take profit" {...field("takeProfit")} inputMode="decimal" placeholder="Optional" />
        </Group>

        <Group title="Exit" description="Leave both blank for a trade that is still open.">
          <Field label="Closed at" type="datetime-local" step="1" {...field("closedAt")} />
          <Field label="Exit price" {...field("exitPrice")} inputMode="decimal" placeholder="1.08420" />
        </Group>

        <Group title="Money" description={`In ${account?.currency ?? "the account currency"}, as your broker shows it: costs are negative (−3.50).`}>
          <Field label="Commission" {...field("commission")} inputMode="decimal" placeholder="0.00" />
          <Field label="Swap" {...field("swap")} inputMode="decimal" placeholder="0.00" />
          <Field label="Fee" {...field("fee")} inputMode="decimal" placeholder="0.00" />
          <Field
            label="Broker-reported profit"
            {...field("brokerProfit")}
            inputMode="decimal"
            placeholder="Optional"
            hint="The Profit column of your statement (before commission and swap). When filled, it is used instead of the computed figure."
          />
          <Field
            label={
              spec && account && spec.profitCurrency !== account.currency
                ? `Conversion rate: 1 ${spec.profitCurrency} = ? ${account.currency}`
                : "Conversion rate"
            }
            name="conversionRate"
            value={rateValue}
            onChange={(event) => {
              setRate(event.currentTarget.value);
              setRateTyped(true);
            }}
            inputMode="decimal"
            autoComplete="off"
            error={error("conversionRate")}
            className="sm:col-span-2"
            hint={rateHint(spec?.profitCurrency ?? null, account?.currency ?? null, suggestedRate, rateTyped)}
          />
        </Group>

        <div>
          <label htmlFor="trade-comment" className="block text-sm font-medium text-fg">
            Comment
          </label>
          <textarea
            id="trade-comment"
            name="comment"
            rows={2}
            maxLength={500}
            defaultValue={initial.comment ?? ""}
            aria-invalid={error("comment") ? true : undefined}
            aria-describedby={error("comment") ? "trade-comment-error" : undefined}
            className="input mt-1"
          />
          <FieldError id="trade-comment-error" message={error("comment")} />
        </div>

        {/* Below the desktop layout the preview sits just above Save, where the figures are checked before saving. */}
        <div className="lg:hidden">
          <TradePreview figures={figures} accountCurrency={account?.currency ?? null} open={isOpen} missing={missing} placement="inline" />
        </div>

        <div className="flex flex-wrap gap-3">
          <SubmitButton pendingLabel={props.pendingLabel}>{props.submitLabel}</SubmitButton>
          <a href={props.cancelHref} className="btn-ghost">
            Cancel
          </a>
        </div>
      </Form>
      <div className="hidden lg:sticky lg:top-6 lg:block lg:self-start">
        <TradePreview figures={figures} accountCurrency={account?.currency ?? null} open={isOpen} missing={missing} />
      </div>
    </div>
  );
}

function preview({
  values,
  spec,
  account,
  exitPrice,
  rateValue,
  lockedInitialStopLoss,
}: {
  values: Record<string, string>;
  spec: ReturnType<typeof resolveInstrument>;
  account: TradeFormAccount | undefined;
  exitPrice: string | null;
  rateValue: string;
  lockedInitialStopLoss: string | null;
}): { figures: TradeFigures | null; missing: string | null } {
  const entryPrice = positiveOrNull(values.entryPrice);
  const lots = positiveOrNull(values.lots);
  const direction = values.side === "sell" ? "sell" : "buy";
  if (!account) return { figures: null, missing: "Choose an account." };
  if (!values.symbol?.trim()) return { figures: null, missing: "Enter a symbol to see the figures." };
  if (!entryPrice || !lots) return { figures: null, missing: "Enter the entry price and lots to see the figures." };
  const brokerProfit = numberOrNull(values.brokerProfit);
  if (!spec && brokerProfit === null)
    return { figures: null, missing: "Enter the contract size and profit currency, or the broker-reported profit." };
  const rate = parseConversionRate(rateValue);
  const figures = tradeFigures({
    spec,
    accountCurrency: account.currency,
    direction,
    lots,
    entryPrice,
    exitPrice,
    initialStopLoss: lockedInitialStopLoss ?? positiveOrNull(values.stopLoss),
    takeProfit: positiveOrNull(values.takeProfit),
    brokerProfit,
    conversionRate: rate ? toDecimalString(rate) : null,
    commission: numberOrNull(values.commission) ?? "0",
    swap: numberOrNull(values.swap) ?? "0",
    fee: numberOrNull(values.fee) ?? "0",
  });
  const needsRate = exitPrice && brokerProfit === null && figures.grossProfit === null;
  return { figures, missing: needsRate ? "Enter the conversion rate to see the P&L in your account currency." : null };
}

function rateHint(profitCurrency: string | null, accountCurrency: string | null, suggested: string | null, typed: boolean): ReactNode {
  if (!profitCurrency || !accountCurrency) return "Account currency per 1 unit of the profit currency.";
  if (profitCurrency === accountCurrency) return `Profit is paid in ${accountCurrency}, so the rate is 1.`;
  const example = `You can type 1/141.5 for a ${profitCurrency} → ${accountCurrency} rate quoted the other way round.`;
  if (suggested && !typed) return `Prefilled from the trade or the latest market close; edit it if your broker used another rate. ${example}`;
  return `At the close. Needed unless you enter the broker-reported profit. ${example}`;
}

function formatUnits(contractSize: string): string {
  return Number(contractSize).toLocaleString("en-US");
}

function Group({ title, description, children }: { title: string; description?: string; children: ReactNode }) {
  return (
    <fieldset className="min-w-0">
      <legend className="text-sm font-semibold text-fg">{title}</legend>
      {description ? <p className="mt-0.5 text-xs text-fg-muted">{description}</p> : null}
      <div className="mt-3 grid gap-4 sm:grid-cols-2">{children}</div>
    </fieldset>
  );
}

function SideToggle({ defaultValue, error }: { defaultValue: string; error?: string }) {
  return (
    <fieldset className="min-w-0" aria-describedby={error ? "trade-side-error" : undefined}>
      <legend className="block text-sm font-medium text-fg">Side</legend>
      <div className="mt-1 grid grid-cols-2 gap-2" role="radiogroup" aria-label="Side">
        {(["buy", "sell"] as const).map((side) => (
          <label
            key={side}
            className={`flex cursor-pointer items-center justify-center gap-2 rounded-md border border-border bg-bg px-3 py-2 text-sm font-medium text-fg-muted has-[:checked]:text-white has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-accent-hover ${
              side === "buy"
                ? "has-[:checked]:border-profit has-[:checked]:bg-green-600/80"
                : "has-[:checked]:border-loss has-[:checked]:bg-red-600/80"
            }`}
          >
            <input type="radio" name="side" value={side} defaultChecked={defaultValue === side} className="sr-only" />
            {side === "buy" ? "Buy" : "Sell"}
          </label>
        ))}
      </div>
      <FieldError id="trade-side-error" message={error} />
    </fieldset>
  );
}
