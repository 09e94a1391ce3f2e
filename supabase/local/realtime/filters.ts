// postgres_changes filters: `column=op.value`, several joined by commas (AND),
// any op negatable with `not.`; values may be PostgREST-quoted ("a,b").
// Ops: eq neq lt lte gt gte in like ilike match imatch is isdistinct.
// Evaluated with SQL's three-valued logic: a missing or NULL column never
// matches (so DELETEs only match on columns their replica identity carries).

export interface FilterCondition {
  column: string;
  op: string;
  negate: boolean;
  value: string;
  values: string[];
}

const OPS = new Set(["eq", "neq", "lt", "lte", "gt", "gte", "in", "like", "ilike", "match", "imatch", "is", "isdistinct"]);

export class FilterError extends Error {}

/** Splits on commas that are outside double quotes and parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      current += ch;
      if (ch === "\\" && i + 1 < text.length) current += text[++i];
      else if (ch === '"') quoted = false;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

function unquote(value: string): string {
  const trimmed = value.trim();
  if (trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')) {
    return trimmed.slice(1, -1).replace(/\\(.)/g, "$1");
  }
  return value;
}

export function parseFilter(filter: string | undefined | null): FilterCondition[] {
  if (filter === undefined || filter === null || filter === "") return [];
  if (typeof filter !== "string") throw new FilterError("filter must be a string");
  return splitTopLevel(filter).map((part) => {
    const eq = part.indexOf("=");
    if (eq <= 0) throw new FilterError(`invalid filter "${part}"`);
    const column = part.slice(0, eq).trim();
    let rest = part.slice(eq + 1);
    let negate = false;
    if (rest.startsWith("not.")) {
      negate = true;
      rest = rest.slice(4);
    }
    const dot = rest.indexOf(".");
    if (dot <= 0) throw new FilterError(`invalid filter "${part}"`);
    const op = rest.slice(0, dot);
    if (!OPS.has(op)) throw new FilterError(`unsupported filter operator "${op}"`);
    const raw = rest.slice(dot + 1);
    let values: string[] = [];
    if (op === "in") {
      const match = /^\((.*)\)$/s.exec(raw.trim());
      if (!match) throw new FilterError(`invalid in filter "${part}"`);
      values = match[1]!.length ? splitTopLevel(match[1]!).map(unquote) : [];
    }
    return { column, op, negate, value: unquote(raw), values };
  });
}

const NUMERIC = new Set(["int2", "int4", "int8", "float4", "float8", "numeric", "oid", "money"]);
const TEMPORAL = new Set(["timestamp", "timestamptz", "date"]);

/** -1/0/1, or null when either side is NULL or not comparable. */
function compare(actual: unknown, expected: string, type: string | undefined): number | null {
  if (actual === null || actual === undefined) return null;
  if (type && NUMERIC.has(type)) {
    const a = Number(actual);
    const b = Number(expected);
    if (Number.isNaN(a) || Number.isNaN(b)) return null;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (type === "bool") {
    const b = /^(t|true|y|yes|on|1)$/i.test(expected) ? true : /^(f|false|n|no|off|0)$/i.test(expected) ? false : null;
    if (b === null || typeof actual !== "boolean") return null;
    return Number(actual) - Number(b);
  }
  if (type && TEMPORAL.has(type)) {
    const a = Date.parse(String(actual));
    const b = Date.parse(expected.includes(" ") && !expected.includes("T") ? expected.replace(" ", "T") : expected);
    if (Number.isFinite(a) && Number.isFinite(b)) return a < b ? -1 : a > b ? 1 : 0;
  }
  let a = typeof actual === "object" ? JSON.stringify(actual) : String(actual);
  let b = expected;
  if (type === "uuid") {
    a = a.toLowerCase();
    b = b.toLowerCase();
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

function likeToRegExp(pattern: string, flags: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "\\" && i + 1 < pattern.length) source += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    else if (ch === "%" || ch === "*") source += ".*";
    else if (ch === "_") source += ".";
    else source += ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, `s${flags}`);
}

function evaluate(condition: FilterCondition, actual: unknown, type: string | undefined): boolean | null {
  const { op, value } = condition;
  switch (op) {
    case "eq":
    case "neq":
    case "lt":
    case "lte":
    case "gt":
    case "gte": {
      const c = compare(actual, value, type);
      if (c === null) return null;
      return op === "eq" ? c === 0 : op === "neq" ? c !== 0 : op === "lt" ? c < 0 : op === "lte" ? c <= 0 : op === "gt" ? c > 0 : c >= 0;
    }
    case "in": {
      if (actual === null || actual === undefined) return null;
      let unknown = false;
      for (const candidate of condition.values) {
        if (candidate.toLowerCase() === "null") {
          unknown = true;
          continue;
        }
        const c = compare(actual, candidate, type);
        if (c === 0) return true;
        if (c === null) unknown = true;
      }
      return unknown ? null : false;
    }
    case "like":
    case "ilike":
      if (actual === null || actual === undefined) return null;
      return likeToRegExp(value, op === "ilike" ? "i" : "").test(String(actual));
    case "match":
    case "imatch":
      if (actual === null || actual === undefined) return null;
      try {
        return new RegExp(value, op === "imatch" ? "i" : "").test(String(actual));
      } catch {
        return null;
      }
    case "is": {
      const v = value.toLowerCase();
      if (v === "null" || v === "unknown") return actual === null || actual === undefined;
      if (v === "true") return actual === true;
      if (v === "false") return actual === false;
      return null;
    }
    case "isdistinct": {
      const isNull = actual === null || actual === undefined;
      if (value.toLowerCase() === "null") return !isNull;
      if (isNull) return true;
      const c = compare(actual, value, type);
      return c === null ? true : c !== 0;
    }
    default:
      return null;
  }
}

export function matchesFilter(
  conditions: FilterCondition[],
  record: Record<string, unknown> | null,
  columnTypes: Map<string, string>,
): boolean {
  for (const condition of conditions) {
    const actual = record && Object.prototype.hasOwnProperty.call(record, condition.column) ? record[condition.column] : undefined;
    let result = evaluate(condition, actual, columnTypes.get(condition.column));
    if (result !== null && condition.negate) result = !result;
    if (result !== true) return false;
  }
  return true;
}
