// The local mail catcher (/_mail). Local tooling only: no real Supabase has it.
import { describe, expect, it } from "vitest";
import { startSupabaseForTests } from "../support/local-supabase.ts";
import { anonClient, uniqueEmail } from "./auth-helpers.ts";

const sut = await startSupabaseForTests();

describe.skipIf(sut.external)("mail catcher", () => {
  it("lists caught emails newest first, renders them as a page, and clears them", async () => {
    const first = uniqueEmail("mail-a");
    const second = uniqueEmail("mail-b");
    await anonClient(sut).auth.signUp({ email: first, password: "secret password" });
    await anonClient(sut).auth.resetPasswordForEmail(first);
    await anonClient(sut).auth.signUp({ email: second, password: "secret password" });

    const res = await fetch(`${sut.url}/_mail/api/messages`);
    expect(res.status).toBe(200);
    const all = (await res.json()) as Array<Record<string, unknown>>;
    expect(all.map((m) => [m.to, m.subject])).toEqual([
      [second, "Confirm Your Signup"],
      [first, "Reset Your Password"],
      [first, "Confirm Your Signup"],
    ]);
    for (const message of all) {
      expect(Object.keys(message).sort()).toEqual(["created_at", "html", "id", "links", "subject", "text", "to"]);
      expect((message.links as string[])[0]).toMatch(new RegExp(`^${sut.url}/auth/v1/verify\\?token=`));
      expect(message.text).toContain((message.links as string[])[0]);
    }

    const filtered = await (await fetch(`${sut.url}/_mail/api/messages?to=${encodeURIComponent(first)}`)).json();
    expect(filtered).toHaveLength(2);

    const page = await fetch(`${sut.url}/_mail`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    const html = await page.text();
    expect(html.indexOf(second)).toBeLessThan(html.indexOf(first));
    expect(html).toContain(`<a href="${(all[0]!.links as string[])[0]!.replace(/&/g, "&amp;")}"`);

    const cleared = await fetch(`${sut.url}/_mail/api/messages`, { method: "DELETE" });
    expect(cleared.status).toBe(200);
    expect(await (await fetch(`${sut.url}/_mail/api/messages`)).json()).toEqual([]);
  });

  it("escapes message content in the page", async () => {
    const email = uniqueEmail("escape");
    await anonClient(sut).auth.signUp({ email, password: "secret password" });
    const html = await (await fetch(`${sut.url}/_mail`)).text();
    // The email body is only ever embedded escaped (inside srcdoc).
    expect(html).not.toContain("<h2>Confirm your signup</h2>");
    expect(html).toContain("&lt;h2&gt;Confirm your signup&lt;/h2&gt;");
  });
});
