// PostgreSQL array literals: a list of values (position ids to look up) as
// one `$n::text[]` parameter. Bulk rows go by binary COPY instead
// (pg-binary-copy.ts).
//
// Every element is double-quoted (so "", "NULL" and text with commas or braces
// stay what they are); only `"` and `\` need a backslash inside the quotes.

const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

function element(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`${value} cannot be stored as a number`);
    return String(value);
  }
  return NEEDS_ESCAPE.test(value) ? `"${value.replace(ESCAPED, "\\$&")}"` : `"${value}"`;
}

/** `{"a","b",NULL,3}` for a text, numeric, uuid, timestamptz, jsonb … array parameter. */
export function arrayLiteral(values: readonly (string | number | null | undefined)[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) parts[i] = element(values[i]);
  return `{${parts.join(",")}}`;
}
