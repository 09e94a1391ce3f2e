// postgres_changes filters as Supabase Realtime takes them: one `column=op.value`
// with op eq, neq, lt, lte, gt or gte, or `column=in.(a,b,…)`. A missing or NULL
// column never matches (so DELETEs only match on columns their replica
// identity carries).

export interface FilterCondition {
  column: string;
  op: string;
  /** The value, or the list of an `in`. */
  values: string[];
}

const OPS = new Set(["eq", "neq", "lt", "lte", "gt", "gte", "in"]);
const NUMERIC = new Set(["int2", "int4", "int8", "float4", "float8", "numeric", "oid"]);

export class FilterError extends Error {}

export function parseFilter(filter: string | undefined | null): FilterCondition[] {
  if (filter === undefined || filter === null || filter === "") return [];
  if (typeof filter !== "string") throw new FilterError("filter must be a string");
  const match = /^([^=]+)=([a-z]+)\.(.*)$/s.exec(filter);
  if (!match) throw new FilterError(`invalid filter "${filter}"`);
  const [, column, op, raw] = match as unknown as [string, string, string, string];
  if (!OPS.has(op)) throw new FilterError(`unsupported filter operator "${op}"`);
  if (op !== "in") return [{ column: column.trim(), op, values: [raw] }];
  const list = /^\((.*)\)$/s.exec(raw.trim());
  if (!list) throw new FilterError(`invalid in filter "${filter}"`);
  const values = list[1]!.split(",").map((value) => value.trim().replace(/^"(.*)"$/s, "$1"));
  return [{ column: column.trim(), op, values }];
}

/** -1/0/1, or null when the column is NULL or the values do not compare. */
function compare(actual: unknown, expected: string, type: string | undefined): number | null {
  if (actual === null || actual === undefined) return null;
  if (type && NUMERIC.has(type)) {
    const a = Number(actual);
    const b = Number(expected);
    if (Number.isNaN(a) || Number.isNaN(b)) return null;
    return Math.sign(a - b);
  }
  let a = typeof actual === "object" ? JSON.stringify(actual) : String(actual);
  let b = expected;
  if (type === "uuid") [a, b] = [a.toLowerCase(), b.toLowerCase()];
  return a < b ? -1 : a > b ? 1 : 0;
}

const TESTS: Record<string, (c: number) => boolean> = {
  eq: (c) => c === 0,
  neq: (c) => c !== 0,
  lt: (c) => c < 0,
  lte: (c) => c <= 0,
  gt: (c) => c > 0,
  gte: (c) => c >= 0,
  in: (c) => c === 0,
};

export function matchesFilter(conditions: FilterCondition[], record: Record<string, unknown> | null, columnTypes: Map<string, string>): boolean {
  return conditions.every((condition) => {
    const actual = record && Object.prototype.hasOwnProperty.call(record, condition.column) ? record[condition.column] : undefined;
    const type = columnTypes.get(condition.column);
    return condition.values.some((value) => {
      const c = compare(actual, value, type);
      return c !== null && TESTS[condition.op]!(c);
    });
  });
}
