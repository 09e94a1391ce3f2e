// The labelled controls of the GET filter forms (/trades, the dashboard,
// /analytics): a label above each control, and a select whose empty choice
// means "no filter".
import type { ReactNode } from "react";

export const FILTER_CONTROL = "input py-1.5";

export function Labelled({ label, htmlFor, children }: { label: string; htmlFor: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <label htmlFor={htmlFor} className="mb-1 block text-xs font-medium text-fg-muted">
        {label}
      </label>
      {children}
    </div>
  );
}

export function Choice({
  label,
  name,
  value,
  options,
  idPrefix = "filter",
}: {
  label: string;
  name: string;
  value: string | null;
  options: readonly (readonly [string, string])[];
  idPrefix?: string;
}) {
  const id = `${idPrefix}-${name}`;
  return (
    <Labelled label={label} htmlFor={id}>
      <select id={id} name={name} defaultValue={value ?? ""} className={FILTER_CONTROL}>
        <option value="">All</option>
        {options.map(([optionValue, optionLabel]) => (
          <option key={optionValue} value={optionValue}>
            {optionLabel}
          </option>
        ))}
      </select>
    </Labelled>
  );
}
