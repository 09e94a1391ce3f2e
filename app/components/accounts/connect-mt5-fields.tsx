// The fields of "Connect an MT5 account", and the panel the form shows while
// the jobs process logs in with the password. Values come back from the
// action when JavaScript is off; the password never does.
import { useNavigation } from "@remix-run/react";
import { Field } from "~/components/forms/field.tsx";
import { SelectField } from "~/components/forms/select-field.tsx";
import { NEW_YORK_CLOSE_ZONE } from "~/schemas/account.ts";
import { DETECT_TIME_ZONE } from "~/schemas/mt5-connection.ts";
import { serverTimeZoneLabel } from "./account-fields.tsx";

export interface ConnectFieldValues {
  server: string;
  login: string;
  name: string;
  serverTimeZone: string;
}

interface ConnectFieldsProps {
  values: ConnectFieldValues;
  /** Changes with every answer from the server, so the password field starts empty again. */
  attempt: number;
  timeZones: string[];
  error: (name: string) => string | undefined;
  clearFieldError: (name: string) => void;
}

export function ConnectMt5Fields({ values, attempt, timeZones, error, clearFieldError }: ConnectFieldsProps) {
  const zones = [NEW_YORK_CLOSE_ZONE, ...timeZones.filter((zone) => zone !== NEW_YORK_CLOSE_ZONE)];
  const clear = (name: string) => () => clearFieldError(name);
  return (
    <>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Server"
          name="server"
          required
          maxLength={120}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          placeholder="ICMarketsSC-Demo"
          defaultValue={values.server}
          error={error("server")}
          onChange={clear("server")}
          hint="Exactly as MT5 shows it when you log in."
        />
        <Field
          label="Login"
          name="login"
          required
          inputMode="numeric"
          autoComplete="off"
          maxLength={24}
          placeholder="51234567"
          defaultValue={values.login}
          error={error("login")}
          onChange={clear("login")}
          hint="Your account number."
        />
      </div>
      <InvestorPasswordField key={attempt} error={error("investorPassword")} onChange={clear("investorPassword")} />
      <Field
        label="Account name"
        name="name"
        maxLength={80}
        autoComplete="off"
        defaultValue={values.name}
        error={error("name")}
        onChange={clear("name")}
        hint="Optional. How it appears in your journal; leave empty to use the broker's name and the login."
      />
      <SelectField
        label="Broker server time zone"
        name="serverTimeZone"
        defaultValue={values.serverTimeZone || DETECT_TIME_ZONE}
        options={[
          { value: DETECT_TIME_ZONE, label: "Detect automatically (recommended)" },
          ...zones.map((zone) => ({ value: zone, label: serverTimeZoneLabel(zone) })),
        ]}
        error={error("serverTimeZone")}
        hint="The clock in your MT5 terminal's Market Watch. Detected from the server's clock when the market is open; otherwise GMT+2/+3 (most brokers), which you can change on the account's page."
      />
    </>
  );
}

/** The investor password input, shared with the reconnect form; never prefilled. */
export function InvestorPasswordField({ error, onChange, label = "Investor password" }: { error?: string; onChange?: () => void; label?: string }) {
  return (
    <Field
      label={label}
      name="investorPassword"
      type="password"
      required
      maxLength={128}
      autoComplete="off"
      spellCheck={false}
      defaultValue=""
      error={error}
      onChange={onChange}
      hint="The read-only password, not the one you trade with. It is encrypted before it is stored and only used to read your account."
    />
  );
}

/** "Checking with your broker…" while this page's form is on its way (JavaScript only; without it the browser waits). */
export function CheckingWithBroker({ action, intent }: { action: string; intent?: string }) {
  const navigation = useNavigation();
  const checking =
    navigation.state === "submitting" &&
    navigation.formMethod?.toLowerCase() === "post" &&
    navigation.formAction?.split("?")[0] === action &&
    (intent === undefined || navigation.formData?.get("intent") === intent);
  if (!checking) return null;
  return (
    <div role="status" className="flex items-start gap-3 rounded-md border border-accent/40 bg-accent/10 px-4 py-3 text-sm text-indigo-200">
      <span aria-hidden="true" className="mt-0.5 h-4 w-4 shrink-0 animate-spin rounded-full border-2 border-indigo-300 border-t-transparent" />
      <span>
        <span className="block font-medium">Checking with your broker…</span>
        <span className="mt-0.5 block text-indigo-200/80">
          We log in with the investor password to make sure it works and cannot trade. This usually takes a few seconds.
        </span>
      </span>
    </div>
  );
}
