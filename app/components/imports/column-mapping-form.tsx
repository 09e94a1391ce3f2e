// Generic CSV: which column feeds which trade field, with sample values so the
// choice is obvious. Posts intent=mapping; remembered per header row.
import { Form } from "@remix-run/react";
import type { MappingRequest } from "~/domain/imports/parse-import.ts";

export function ColumnMappingForm({ mapping, message, accountId }: { mapping: MappingRequest; message: string; accountId: string }) {
  const sample = (header: string) => {
    const index = mapping.headers.indexOf(header);
    return mapping.sampleRows
      .map((row) => row[index] ?? "")
      .filter(Boolean)
      .slice(0, 3)
      .join(", ");
  };
  return (
    <Form method="post" className="space-y-4">
      <p className="text-sm text-fg-muted">{message}</p>
      <input type="hidden" name="headerSignature" value={mapping.headerSignature} />
      <input type="hidden" name="accountId" value={accountId} />
      <div className="grid gap-4 sm:grid-cols-2">
        {mapping.fields.map((field) => (
          <div key={field.name}>
            <label htmlFor={`map-${field.name}`} className="block text-sm font-medium text-fg">
              {field.label}
              {field.required ? <span className="text-fg-muted"> (required)</span> : null}
            </label>
            <select id={`map-${field.name}`} name={`map.${field.name}`} defaultValue={mapping.suggested[field.name] ?? ""} className="input mt-1">
              <option value="">— not in this file —</option>
              {mapping.headers.map((header) => (
                <option key={header} value={header}>
                  {sample(header) ? `${header} (e.g. ${sample(header)})` : header}
                </option>
              ))}
            </select>
          </div>
        ))}
      </div>
      <button type="submit" name="intent" value="mapping" className="btn-primary">
        Apply mapping
      </button>
    </Form>
  );
}
