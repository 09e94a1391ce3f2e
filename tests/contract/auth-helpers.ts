// Helpers of the Auth contract tests: real supabase-js / @supabase/ssr clients
// against the server under test, and the local mail catcher.
import { randomBytes } from "node:crypto";
import { createServerClient } from "@supabase/ssr";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import type { SupabaseUnderTest } from "../support/local-supabase.ts";

export const API_VERSION = "2024-01-01";

export function uniqueEmail(tag = "user"): string {
  return `${tag}-${randomBytes(5).toString("hex")}@example.com`;
}

export function anonClient(sut: SupabaseUnderTest): SupabaseClient {
  return createClient(sut.url, sut.anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
}

export function adminClient(sut: SupabaseUnderTest): SupabaseClient {
  return createClient(sut.url, sut.serviceRoleKey, { auth: { persistSession: false, autoRefreshToken: false } });
}

/** An in-memory cookie jar, as a Remix loader/action would keep in headers. */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  getAll() {
    return [...this.cookies].map(([name, value]) => ({ name, value }));
  }
  setAll(list: { name: string; value: string; options?: { maxAge?: number } }[]) {
    for (const { name, value, options } of list) {
      if (!value || options?.maxAge === 0) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

export function ssrClient(sut: SupabaseUnderTest, jar: CookieJar): SupabaseClient {
  return createServerClient(sut.url, sut.anonKey, {
    cookies: { getAll: () => jar.getAll(), setAll: (list) => jar.setAll(list) },
  });
}

/** fetch() on /auth/v1 with the API key and auth-js's API version header. */
export function authFetch(sut: SupabaseUnderTest, path: string, init: RequestInit & { bearer?: string } = {}) {
  const headers = new Headers(init.headers);
  headers.set("apikey", sut.anonKey);
  headers.set("x-supabase-api-version", API_VERSION);
  if (init.bearer) headers.set("authorization", `Bearer ${init.bearer}`);
  if (init.body && !headers.has("content-type")) headers.set("content-type", "application/json");
  return fetch(`${sut.url}/auth/v1${path}`, { ...init, headers });
}

export interface CaughtMail {
  id: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  links: string[];
  created_at: string;
}

export async function mailsTo(sut: SupabaseUnderTest, to: string): Promise<CaughtMail[]> {
  const res = await fetch(`${sut.url}/_mail/api/messages?to=${encodeURIComponent(to)}`);
  if (!res.ok) throw new Error(`mail catcher answered ${res.status}`);
  return (await res.json()) as CaughtMail[];
}

/** The newest mail to `to` (optionally with that subject); waits briefly. */
export async function latestMail(sut: SupabaseUnderTest, to: string, subject?: string): Promise<CaughtMail> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const found = (await mailsTo(sut, to)).find((m) => !subject || m.subject === subject);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no mail to ${to}${subject ? ` with subject "${subject}"` : ""}`);
}

/** Follows an email link the way a browser would, without following the redirect. */
export async function clickLink(link: string): Promise<URL> {
  const res = await fetch(link, { redirect: "manual" });
  if (res.status !== 303) throw new Error(`expected 303 from the email link, got ${res.status}`);
  return new URL(res.headers.get("location")!);
}

export function decodeJwt(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8"));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
