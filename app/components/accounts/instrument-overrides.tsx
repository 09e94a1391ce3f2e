// The account's corrections to the instrument catalogue: a table of what is
// overridden (with the catalogue's value beside it) and the form that adds
// or changes one symbol. Everything works as plain forms and links.
import { Form, Link } from "@remix-run/react";
import type { FormEvent } from "react";
import { Field } from "~/components/forms/field.tsx";
import { SelectField } from "~/components/forms/select-field.tsx";
import { SubmitButton } from "~/components/forms/submit-button.tsx";
import { CALCULATION_MODES } from "~/schemas/account.ts";

export const OVERRIDE_FIELDS = [
  { name: "contractSize", label: "Contract size", hint: "Units per 1.00 lot." },
  { name: "pipSize", label: "Pip size", hint: "0.0001 on most FX pairs." },
  { name: "point", label: "Point", hint: "Smallest price step." },
  { name: "tickSize", label: "Tick size", hint: "Price step the tick value applies to." },
  { name: "tickValue", label: "Tick value", hint: "Value of one tick per lot; used by the Futures mode." },
  { name: "digits", label: "Digits", hint: "Decimals in the quote." },
  { name: "profitCurrency", label: "Profit currency", hint: "The currency P&L is computed in." },
  { name: "calculationMode", label: "Calculation mode", hint: "How MT5 computes profit." },
] as const;

export type OverrideFieldName = (typeof OVERRIDE_FIELDS)[number]["name"];
export type OverrideValues = Record<OverrideFieldName, string | null>;

export interface OverrideRow {
  symbol: string;
  values: OverrideValues;
  /** The catalogue's spec for the symbol, or null when the catalogue doesn't know it. */
  catalogue: OverrideValues | null;
}

const MODE_LABELS: Record<(typeof CALCULATION_MODES)[number], string> = {
  forex: "Forex",
  "forex-no-leverage": "Forex (no leverage)",
  cfd: "CFD",
  "cfd-index": "CFD index",
  "cfd-leverage": "CFD leverage",
  futures: "Futures",
};

export function OverridesTable({ rows }: { rows: OverrideRow[] }) {
  if (rows.length === 0) {
    return <p className="text-sm text-fg-muted">No overrides: every symbol uses the catalogue's values.</p>;
  }
  return (
    // relative: the table's screen-reader-only text is positioned absolutely and
    // would otherwise escape the scroll box and widen the whole page on phones.
    <div className="relative -mx-5 overflow-x-auto sm:mx-0">
      <table className="w-full min-w-[52rem] text-left text-sm">
        <caption className="sr-only">Instrument overrides for this account</caption>
        <thead className="border-b border-border text-xs text-fg-muted">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              Symbol
            </th>
            {OVERRIDE_FIELDS.map((field) => (
              <th key={field.name} scope="col" className="px-3 py-2 font-medium">
                {field.label}
              </th>
            ))}
            <th scope="col" className="px-3 py-2 font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-border">
          {rows.map((row) => (
            <tr key={row.symbol}>
              <th scope="row" className="px-3 py-2 align-top font-semibold text-fg">
                {row.symbol}
                {row.catalogue ? null : <span className="block text-xs font-normal text-fg-subtle">not in catalogue</span>}
              </th>
              {OVERRIDE_FIELDS.map((field) => (
                <td key={field.name} className="px-3 py-2 align-top tabular-nums">
                  <span className={row.values[field.name] === null ? "text-fg-subtle" : "font-medium text-fg"}>
                    {display(field.name, row.values[field.name]) ?? "—"}
                  </span>
                  {row.catalogue ? (
                    <span className="block text-xs text-fg-subtle">catalogue: {display(field.name, row.catalogue[field.name]) ?? "—"}</span>
                  ) : null}
                </td>
              ))}
              <td className="whitespace-nowrap px-3 py-2 text-right align-top">
                <Link
                  to={`?symbol=${encodeURIComponent(row.symbol)}#override-form`}
                  className="link mr-3"
                  aria-label={`Edit the ${row.symbol} override`}
                >
                  Edit
                </Link>
                <Form method="post" className="inline">
                  <input type="hidden" name="symbol" value={row.symbol} />
                  <button
                    type="submit"
                    name="intent"
                    value="remove-override"
                    className="font-medium text-red-400 hover:underline"
                    aria-label={`Remove the ${row.symbol} override`}
                  >
                    Remove
                  </button>
                </Form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function display(field: OverrideFieldName, value: string | null): string | null {
  if (value === null) return null;
  return field === "calculationMode" ? (MODE_LABELS[value as keyof typeof MODE_LABELS] ?? value) : value;
}

interface OverrideFormProps {
  /** The symbol being edited (?symbol=…), its saved values and the catalogue's. */
  editing: { symbol: string; values: OverrideValues | null; catalogue: OverrideValues | null } | null;
  /** Values sent back by the action when JavaScript is off. */
  refill: Record<string, string> | undefined;
  catalogueSymbols: readonly string[];
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  error: (name: string) => string | undefined;
  clearFieldError: (name: string) => void;
}

export function OverrideForm({ editing, refill, catalogueSymbols, onSubmit, error, clearFieldError }: OverrideFormProps) {
  const initial = (name: OverrideFieldName) => refill?.[name] ?? editing?.values?.[name] ?? "";
  const placeholder = (name: OverrideFieldName) => editing?.catalogue?.[name] ?? undefined;
  return (
    <Form method="post" noValidate onSubmit={onSubmit} id="override-form" className="space-y-4">
      <div className="max-w-xs">
        <Field
          label="Symbol"
          name="symbol"
          required
          list="catalogue-symbols"
          autoComplete="off"
          autoCapitalize="characters"
          defaultValue={refill?.symbol ?? editing?.symbol ?? ""}
          error={error("symbol")}
          onChange={() => clearFieldError("symbol")}
          hint="As your broker names it; EURUSD.z is stored as EURUSD."
        />
        <datalist id="catalogue-symbols">
          {catalogueSymbols.map((symbol) => (
            <option key={symbol} value={symbol} />
          ))}
        </datalist>
      </div>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {OVERRIDE_FIELDS.map((field) =>
          field.name === "calculationMode" ? (
            <SelectField
              key={field.name}
              label={field.label}
              name={field.name}
              defaultValue={initial(field.name)}
              options={[
                {
                  value: "",
                  label: editing?.catalogue?.calculationMode
                    ? `Catalogue (${display("calculationMode", editing.catalogue.calculationMode)})`
                    : "Catalogue default",
                },
                ...CALCULATION_MODES.map((mode) => ({ value: mode, label: MODE_LABELS[mode] })),
              ]}
              error={error(field.name)}
              hint={field.hint}
            />
          ) : (
            <Field
              key={field.name}
              label={field.label}
              name={field.name}
              inputMode={field.name === "profitCurrency" ? "text" : field.name === "digits" ? "numeric" : "decimal"}
              autoComplete="off"
              defaultValue={initial(field.name)}
              placeholder={placeholder(field.name)}
              error={error(field.name)}
              onChange={() => clearFieldError(field.name)}
              hint={field.hint}
            />
          ),
        )}
      </div>
      <p className="text-xs text-fg-muted">Leave a field empty to keep the catalogue's value.</p>
      <div className="flex flex-wrap gap-3">
        <SubmitButton intent="override" pendingLabel="Saving…">
          {editing?.values ? `Save ${editing.symbol}` : "Add override"}
        </SubmitButton>
        {editing ? (
          <Link to="." className="btn-secondary">
            Cancel
          </Link>
        ) : null}
      </div>
    </Form>
  );
}
