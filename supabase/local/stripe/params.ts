// Stripe's request encoding: form-encoded bodies (and query strings) whose keys
// nest with brackets, as stripe-node writes them: `line_items[0][price]=…`,
// `metadata[user]=…`, `expand[0]=…`. Numeric keys become arrays.
import type { IncomingMessage } from "node:http";

export type Params = { [key: string]: ParamValue };
export type ParamValue = string | Params | ParamValue[];

function assign(target: Params, path: string[], value: string): void {
  let node: Params | ParamValue[] = target;
  path.forEach((key, index) => {
    const last = index === path.length - 1;
    const slot = node as Record<string, ParamValue>;
    if (last) {
      if (Array.isArray(node) && key === "") node.push(value);
      else slot[key] = value;
      return;
    }
    const nextIsIndex = /^\d*$/.test(path[index + 1]!);
    slot[key] ??= nextIsIndex ? [] : {};
    node = slot[key] as Params | ParamValue[];
  });
}

export function parseParams(encoded: string): Params {
  const params: Params = {};
  for (const [rawKey, value] of new URLSearchParams(encoded)) {
    const [head, ...rest] = rawKey.split("[");
    assign(params, [head!, ...rest.map((part) => part.replace(/\]$/, ""))], value);
  }
  return params;
}

export async function readParams(req: IncomingMessage, url: URL): Promise<Params> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString("utf8");
  return { ...parseParams(url.search.slice(1)), ...parseParams(body) };
}

export function text(params: Params, key: string): string | undefined {
  const value = params[key];
  return typeof value === "string" ? value : undefined;
}

export function record(params: Params, key: string): Record<string, string> {
  const value = params[key];
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

export function list(params: Params, key: string): ParamValue[] {
  const value = params[key];
  if (Array.isArray(value)) return value;
  // `items[0][price]` parses as an array; `items[][price]` would not, so accept an object of indices too.
  return value && typeof value === "object" ? Object.values(value) : [];
}
