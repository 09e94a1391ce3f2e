// `expand[]`: replaces an id field with the object it names, as Stripe does
// (`expand: ["subscription"]` on a Checkout Session, `data.customer` on a list).
import { clone, type Json, type LocalStripeState, type StripeObject } from "./state.ts";

const COLLECTIONS: Array<[prefix: string, collection: keyof LocalStripeState]> = [
  ["cus_", "customers"],
  ["sub_", "subscriptions"],
  ["in_", "invoices"],
  ["price_", "prices"],
  ["cs_", "checkoutSessions"],
];

export function lookup(state: LocalStripeState, id: string): StripeObject | undefined {
  const entry = COLLECTIONS.find(([prefix]) => id.startsWith(prefix));
  if (!entry) return undefined;
  return (state[entry[1]] as Record<string, StripeObject>)[id];
}

export function expand<T extends Json>(state: LocalStripeState, object: T, paths: string[]): T {
  const result = clone(object);
  for (const path of paths) expandPath(state, result, path.split("."));
  return result;
}

function expandPath(state: LocalStripeState, node: Json, path: string[]): void {
  const [head, ...rest] = path;
  if (!head) return;
  const value = node[head];
  if (rest.length === 0) {
    if (typeof value === "string") node[head] = clone(lookup(state, value) ?? value);
    return;
  }
  if (Array.isArray(value)) for (const item of value) expandPath(state, item as Json, rest);
  else if (value && typeof value === "object") expandPath(state, value as Json, rest);
}
