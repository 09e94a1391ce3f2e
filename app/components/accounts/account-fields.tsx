// The fields of the account form, shared by "New account" and the account's
// own page. Values come back from the action when JavaScript is off.
import { Field, FieldError } from "~/components/forms/field.tsx";
import { SelectField } from "~/components/forms/select-field.tsx";
import { COMMON_CURRENCIES, NEW_YORK_CLOSE_ZONE } from "~/schemas/account.ts";

export interface AccountFieldValues {
  name: string;
  broker: string;
  currency: string;
  initialBalance: string;
  serverTimeZone: string;
  marginMode: string;
}

interface AccountFieldsProps {
  values: AccountFieldValues;
  /** Zone names the server can convert: IANA names plus UTC. */
  timeZones: string[];
  error: (name: string) => string | undefined;
  clearFieldError: (name: string) => void;
  /** An account that already exists: its recorded trades stay in the currency they were entered in. */
  existing?: boolean;
}

export function serverTimeZoneLabel(zone: string): string {
  if (zone === NEW_YORK_CLOSE_ZONE) return "GMT+2/+3, New York close (most MT5 brokers)";
  return zone.replaceAll("_", " ");
}

export function AccountFields({ values, timeZones, error, clearFieldError, existing = false }: AccountFieldsProps) {
  const zones = [NEW_YORK_CLOSE_ZONE, ...timeZones.filter((zone) => zone !== NEW_YORK_CLOSE_ZONE)];
  const clear = (name: string) => () => clearFieldError(name);
  return (
    <>
      <Field
        label="Name"
        name="name"
        required
        maxLength={80}
        autoComplete="off"
        defaultValue={values.name}
        error={error("name")}
        onChange={clear("name")}
        hint="How the account appears in your journal, like “FTMO 100k”."
      />
      <Field
        label="Broker"
        name="broker"
        maxLength={120}
        autoComplete="off"
        defaultValue={values.broker}
        error={error("broker")}
        onChange={clear("broker")}
        hint="Optional."
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Currency"
          name="currency"
          required
          list="account-currencies"
          autoComplete="off"
          autoCapitalize="characters"
          maxLength={4}
          defaultValue={values.currency}
          error={error("currency")}
          onChange={clear("currency")}
          hint={existing ? "Changing it doesn't convert amounts already recorded." : "3 or 4 letters: USD, EUR, USC for a cent account."}
        />
        <datalist id="account-currencies">
          {COMMON_CURRENCIES.map((code) => (
            <option key={code} value={code} />
          ))}
        </datalist>
        <Field
          label="Initial balance"
          name="initialBalance"
          inputMode="decimal"
          autoComplete="off"
          placeholder="0"
          defaultValue={values.initialBalance}
          error={error("initialBalance")}
          onChange={clear("initialBalance")}
          hint="Before the first trade. Leave 0 if your imports carry the deposits."
        />
      </div>
      <SelectField
        label="Broker server time zone"
        name="serverTimeZone"
        defaultValue={values.serverTimeZone}
        options={zones.map((zone) => ({ value: zone, label: serverTimeZoneLabel(zone) }))}
        error={error("serverTimeZone")}
        hint="The clock in your MT5 terminal's Market Watch. Imported times are converted from it to UTC."
      />
      <fieldset aria-describedby={error("marginMode") ? "marginMode-error" : undefined}>
        <legend className="block text-sm font-medium text-fg">Position accounting</legend>
        <div className="mt-2 grid gap-2 sm:grid-cols-2">
          <MarginModeOption
            value="hedging"
            checked={values.marginMode !== "netting"}
            title="Hedging"
            description="Several positions per symbol, each closed on its own. Most MT5 retail accounts."
          />
          <MarginModeOption
            value="netting"
            checked={values.marginMode === "netting"}
            title="Netting"
            description="One position per symbol; opposite deals reduce or reverse it."
          />
        </div>
        <FieldError id="marginMode-error" message={error("marginMode")} />
      </fieldset>
    </>
  );
}

function MarginModeOption({ value, checked, title, description }: { value: string; checked: boolean; title: string; description: string }) {
  return (
    <label className="flex cursor-pointer gap-3 rounded-md border border-border bg-bg p-3 text-sm has-[:checked]:border-accent has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-accent-hover">
      <input
        type="radio"
        name="marginMode"
        value={value}
        defaultChecked={checked}
        className="mt-0.5 accent-indigo-500 focus-visible:ring-0 focus-visible:ring-offset-0"
      />
      <span>
        <span className="block font-medium text-fg">{title}</span>
        <span className="mt-0.5 block text-xs text-fg-muted">{description}</span>
      </span>
    </label>
  );
}
