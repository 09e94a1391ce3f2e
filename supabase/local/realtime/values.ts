// Column values as Supabase Realtime puts them in `record` / `old_record`:
// the JSON that `to_jsonb(value::type)` gives (walrus casts each WAL value that
// way), rebuilt here from the text form pgoutput sends.

const NUMERIC_TYPES = new Set(["int2", "int4", "int8", "float4", "float8", "numeric", "oid"]);

function toNumber(text: string): number | string {
  const value = Number(text);
  return Number.isFinite(value) ? value : text; // NaN / Infinity stay strings, as in to_jsonb
}

/** "2024-01-02 03:04:05.6+00" → "2024-01-02T03:04:05.6+00:00" (to_jsonb's ISO form). */
function isoTimestamp(text: string, withZone: boolean): string {
  if (!/^\d/.test(text)) return text; // infinity, -infinity
  let value = text.replace(" ", "T");
  if (withZone) value = value.replace(/([+-]\d\d)$/, "$1:00").replace(/([+-]\d\d)(\d\d)$/, "$1:$2");
  return value;
}

export function toJsonValue(typeName: string, text: string): unknown {
  if (typeName.startsWith("_")) {
    const element = typeName.slice(1);
    const parsed = parseArrayLiteral(text);
    return parsed === undefined ? text : mapArray(parsed, element);
  }
  if (NUMERIC_TYPES.has(typeName)) return toNumber(text);
  switch (typeName) {
    case "bool":
      return text === "t" ? true : text === "f" ? false : text;
    case "json":
    case "jsonb":
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    case "timestamptz":
      return isoTimestamp(text, true);
    case "timestamp":
      return isoTimestamp(text, false);
    default:
      return text;
  }
}

type ArrayNode = Array<ArrayNode | string | null>;

function mapArray(node: ArrayNode, element: string): unknown[] {
  return node.map((item) => (item === null ? null : Array.isArray(item) ? mapArray(item, element) : toJsonValue(element, item)));
}

/** Parses a PostgreSQL array literal such as {1,2}, {"a b",NULL}, {{1,2},{3,4}}. */
export function parseArrayLiteral(text: string): ArrayNode | undefined {
  let input = text;
  // Arrays with explicit bounds: [0:1]={…}
  const bounds = /^\[[^\]]*\](\[[^\]]*\])*=/.exec(input);
  if (bounds) input = input.slice(bounds[0].length);
  let pos = 0;
  const parse = (): ArrayNode | undefined => {
    if (input[pos] !== "{") return undefined;
    pos++;
    const items: ArrayNode = [];
    if (input[pos] === "}") {
      pos++;
      return items;
    }
    for (;;) {
      if (input[pos] === "{") {
        const nested = parse();
        if (!nested) return undefined;
        items.push(nested);
      } else if (input[pos] === '"') {
        pos++;
        let value = "";
        while (pos < input.length && input[pos] !== '"') {
          if (input[pos] === "\\") pos++;
          value += input[pos++];
        }
        pos++; // closing quote
        items.push(value);
      } else {
        let value = "";
        while (pos < input.length && input[pos] !== "," && input[pos] !== "}") value += input[pos++];
        value = value.trim();
        items.push(value.toUpperCase() === "NULL" ? null : value);
      }
      if (input[pos] === ",") {
        pos++;
        continue;
      }
      if (input[pos] === "}") {
        pos++;
        return items;
      }
      return undefined;
    }
  };
  const result = parse();
  return result && pos === input.length ? result : undefined;
}
