// Everything the stand-in knows, as Stripe-shaped JSON objects, plus its clock.
// Kept in memory and, when a file is given, written back after each change so
// a restarted `npm start` still knows the customers the app has stored.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { InvoiceLine } from "./objects.ts";

export type Json = Record<string, unknown>;
export type Metadata = Record<string, string>;

export interface StripeObject extends Json {
  id: string;
  object: string;
  created: number;
}

export interface LocalStripeState {
  /** Seconds the stand-in's clock runs ahead of the wall clock ("advance time"). */
  clockOffsetSeconds: number;
  customers: Record<string, StripeObject>;
  prices: Record<string, StripeObject>;
  checkoutSessions: Record<string, StripeObject>;
  subscriptions: Record<string, StripeObject>;
  invoices: Record<string, StripeObject>;
  portalSessions: Record<string, StripeObject>;
  events: StripeObject[];
  /** Customers whose next charge is declined (the portal's "make next payment fail"). */
  failingCustomers: string[];
  /** create_prorations lines waiting for the subscription's next renewal invoice. */
  pendingProrations: Record<string, InvoiceLine[]>;
}

export function emptyState(): LocalStripeState {
  return {
    clockOffsetSeconds: 0,
    customers: {},
    prices: {},
    checkoutSessions: {},
    subscriptions: {},
    invoices: {},
    portalSessions: {},
    events: [],
    failingCustomers: [],
    pendingProrations: {},
  };
}

export function loadState(file: string | undefined): LocalStripeState {
  if (!file || !existsSync(file)) return emptyState();
  return { ...emptyState(), ...(JSON.parse(readFileSync(file, "utf8")) as Partial<LocalStripeState>) };
}

export function saveState(file: string | undefined, state: LocalStripeState): void {
  if (file) writeFileSync(file, JSON.stringify(state), { mode: 0o600 });
}

/** The stand-in's "now" in Unix seconds, like a Stripe test clock's frozen time. */
export function nowSeconds(state: LocalStripeState): number {
  return Math.floor(Date.now() / 1000) + state.clockOffsetSeconds;
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}
