// Contract tests of Auth (GoTrue) with email confirmation ON (the default),
// through the real supabase-js and @supabase/ssr clients. Tests that read the
// mail catcher or forge JWTs only run against the local server; everything
// else also runs against a real Supabase (SUPABASE_TEST_URL).
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import type { LocalSupabaseConfig } from "../../supabase/local/context.ts";
import type { LocalAuthOptions } from "../../supabase/local/auth/index.ts";
import { startSupabaseForTests } from "../support/local-supabase.ts";
import {
  adminClient,
  anonClient,
  authFetch,
  clickLink,
  CookieJar,
  decodeJwt,
  latestMail,
  mailsTo,
  sleep,
  ssrClient,
  uniqueEmail,
} from "./auth-helpers.ts";

// GoTrue accepts a revoked refresh token again within its reuse interval
// (10 s by default); locally it is shortened so the reuse test stays quick.
const overrides: Partial<LocalSupabaseConfig & LocalAuthOptions> = { refreshTokenReuseIntervalSeconds: 1 };
const sut = await startSupabaseForTests(overrides);
const local = !sut.external;
const PASSWORD = "correct horse battery";
const CALLBACK = "http://localhost:3000/auth/callback";

/** A confirmed user with a password (created with the service role). */
async function confirmedUser(tag = "user") {
  const email = uniqueEmail(tag);
  const { data, error } = await adminClient(sut).auth.admin.createUser({
    email,
    password: PASSWORD,
    email_confirm: true,
    user_metadata: { full_name: "Test User" },
  });
  expect(error).toBeNull();
  return { email, id: data.user!.id };
}

async function signedIn(tag = "user") {
  const user = await confirmedUser(tag);
  const client = anonClient(sut);
  const { data, error } = await client.auth.signInWithPassword({ email: user.email, password: PASSWORD });
  expect(error).toBeNull();
  return { ...user, client, session: data.session! };
}

describe("signup with email confirmation", () => {
  it.skipIf(!local)("signs up through @supabase/ssr (PKCE), mails a link, and the link yields a code for the session", async () => {
    const jar = new CookieJar();
    const supabase = ssrClient(sut, jar);
    const email = uniqueEmail("pkce");
    const { data, error } = await supabase.auth.signUp({
      email,
      password: PASSWORD,
      options: { emailRedirectTo: CALLBACK, data: { full_name: "Ada Lovelace" } },
    });
    expect(error).toBeNull();
    expect(data.session).toBeNull();
    expect(data.user?.email).toBe(email);
    expect(data.user?.confirmation_sent_at).toBeTruthy();
    expect(data.user?.email_confirmed_at).toBeUndefined();
    expect(data.user?.user_metadata).toMatchObject({ full_name: "Ada Lovelace", email, email_verified: false });
    expect(data.user?.identities?.[0]).toMatchObject({ provider: "email", user_id: data.user!.id });
    expect([...jar.cookies.keys()].some((name) => name.endsWith("-code-verifier"))).toBe(true);

    const mail = await latestMail(sut, email, "Confirm Your Signup");
    expect(mail.links).toHaveLength(1);
    const link = new URL(mail.links[0]!);
    expect(link.pathname).toBe("/auth/v1/verify");
    expect(link.searchParams.get("type")).toBe("signup");
    expect(link.searchParams.get("token")).toMatch(/^pkce_[0-9a-f]{56}$/);
    expect(link.searchParams.get("redirect_to")).toBe(CALLBACK);
    expect(mail.html).toContain(mail.links[0]!.replace(/&/g, "&amp;"));

    const location = await clickLink(mail.links[0]!);
    expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
    const code = location.searchParams.get("code");
    expect(code).toBeTruthy();
    expect(location.hash).toBe("");

    const exchanged = await supabase.auth.exchangeCodeForSession(code!);
    expect(exchanged.error).toBeNull();
    expect(exchanged.data.session?.user.email).toBe(email);
    expect(exchanged.data.session?.user.email_confirmed_at).toBeTruthy();
    expect([...jar.cookies.keys()]).toContain(`sb-127-auth-token`);

    // The session cookie works for the next request (a new server client).
    const next = ssrClient(sut, jar);
    const { data: me } = await next.auth.getUser();
    expect(me.user?.id).toBe(data.user!.id);
    expect(me.user?.user_metadata).toMatchObject({ full_name: "Ada Lovelace", email_verified: true });

    // The code is single use; the link too.
    const again = await anonClient(sut).auth.exchangeCodeForSession(code!);
    expect(again.error).not.toBeNull();
    const reused = await clickLink(mail.links[0]!);
    expect(reused.hash).toContain("error_code=otp_expired");
    expect(reused.searchParams.get("error_code")).toBe("otp_expired");
    expect(reused.searchParams.get("error")).toBe("access_denied");
  });

  it.skipIf(!local)("implicit flow: the link redirects with the session in the fragment", async () => {
    const email = uniqueEmail("implicit");
    const { error } = await anonClient(sut).auth.signUp({ email, password: PASSWORD });
    expect(error).toBeNull();
    const mail = await latestMail(sut, email, "Confirm Your Signup");
    // No emailRedirectTo: GoTrue falls back to the site URL.
    expect(new URL(mail.links[0]!).searchParams.get("redirect_to")).toBe("http://localhost:3000");
    const location = await clickLink(mail.links[0]!);
    expect(location.origin).toBe("http://localhost:3000");
    const fragment = new URLSearchParams(location.hash.slice(1));
    expect(fragment.get("type")).toBe("signup");
    expect(fragment.get("token_type")).toBe("bearer");
    expect(fragment.get("refresh_token")).toBeTruthy();
    const claims = decodeJwt(fragment.get("access_token")!);
    expect(claims.email).toBe(email);
    expect(claims.amr).toEqual([{ method: "otp", timestamp: expect.any(Number) }]);
    // Logging in with the password works now.
    const login = await anonClient(sut).auth.signInWithPassword({ email, password: PASSWORD });
    expect(login.error).toBeNull();
  });

  it.skipIf(!local)("a redirect_to outside the allow list falls back to the site URL", async () => {
    const email = uniqueEmail("redirect");
    await anonClient(sut).auth.signUp({ email, password: PASSWORD, options: { emailRedirectTo: "https://evil.example/x" } });
    const mail = await latestMail(sut, email);
    expect(new URL(mail.links[0]!).searchParams.get("redirect_to")).toBe("http://localhost:3000");
    // An allow-listed prefix is kept.
    const other = uniqueEmail("redirect-ok");
    await anonClient(sut).auth.signUp({ email: other, password: PASSWORD, options: { emailRedirectTo: "http://127.0.0.1:5173/cb" } });
    expect(new URL((await latestMail(sut, other)).links[0]!).searchParams.get("redirect_to")).toBe("http://127.0.0.1:5173/cb");
  });

  it.skipIf(!local)("verifyOtp with the emailed code confirms and signs in", async () => {
    const email = uniqueEmail("otp");
    await anonClient(sut).auth.signUp({ email, password: PASSWORD });
    const mail = await latestMail(sut, email);
    const code = /enter the code: (\d{6})/.exec(mail.text)![1]!;
    const wrong = await anonClient(sut).auth.verifyOtp({ email, token: code === "000000" ? "111111" : "000000", type: "signup" });
    expect(wrong.error?.code).toBe("otp_expired");
    expect(wrong.error?.status).toBe(403);
    const { data, error } = await anonClient(sut).auth.verifyOtp({ email, token: code, type: "signup" });
    expect(error).toBeNull();
    expect(data.session?.user.email_confirmed_at).toBeTruthy();
  });

  it.skipIf(!local)("verifyOtp with a token_hash (email template flow) returns a session", async () => {
    const email = uniqueEmail("hash");
    await ssrClient(sut, new CookieJar()).auth.signUp({ email, password: PASSWORD });
    const token = new URL((await latestMail(sut, email)).links[0]!).searchParams.get("token")!;
    const { data, error } = await anonClient(sut).auth.verifyOtp({ token_hash: token.replace(/^pkce_/, ""), type: "signup" });
    expect(error).toBeNull();
    expect(data.session?.access_token).toBeTruthy();
  });

  it("refuses a login before confirmation with email_not_confirmed", async () => {
    const email = uniqueEmail("unconfirmed");
    const signUp = await anonClient(sut).auth.signUp({ email, password: PASSWORD });
    expect(signUp.error).toBeNull();
    const { data, error } = await anonClient(sut).auth.signInWithPassword({ email, password: PASSWORD });
    expect(data.session).toBeNull();
    expect(error?.status).toBe(400);
    expect(error?.code).toBe("email_not_confirmed");
    expect(error?.message).toBe("Email not confirmed");
  });

  it("answers a repeated signup of a confirmed address with a fake user and sends no mail", async () => {
    const { email, id } = await confirmedUser("dup");
    const { data, error } = await anonClient(sut).auth.signUp({ email, password: "another password" });
    expect(error).toBeNull();
    expect(data.session).toBeNull();
    expect(data.user?.id).not.toBe(id);
    expect(data.user?.identities).toEqual([]);
    if (local) expect(await mailsTo(sut, email)).toHaveLength(0);
  });

  it("rejects weak and missing passwords", async () => {
    const weak = await anonClient(sut).auth.signUp({ email: uniqueEmail("weak"), password: "12345" });
    expect(weak.error?.status).toBe(422);
    expect(weak.error?.code).toBe("weak_password");
    expect((weak.error as unknown as { reasons: string[] }).reasons).toEqual(["length"]);

    const res = await authFetch(sut, "/signup", { method: "POST", body: JSON.stringify({ email: uniqueEmail("weak"), password: "12345" }) });
    expect(res.status).toBe(422);
    expect(res.headers.get("x-supabase-api-version")).toBe("2024-01-01");
    expect(res.headers.get("x-sb-error-code")).toBe("weak_password");
    const body = await res.json();
    expect(body).toMatchObject({ code: "weak_password", weak_password: { reasons: ["length"] } });
    expect(typeof body.message).toBe("string");

    const missing = await authFetch(sut, "/signup", { method: "POST", body: JSON.stringify({ email: uniqueEmail("nopw") }) });
    expect(missing.status).toBe(400);
    expect((await missing.json()).code).toBe("validation_failed");
  });

  it.skipIf(!local)("rolls the signup back with 500 unexpected_failure when a trigger on auth.users fails", async () => {
    const pool = sut.db!.pool;
    await pool.query(`
      create or replace function public.rj_test_fail_signup() returns trigger language plpgsql as $$
      begin
        if new.raw_user_meta_data ->> 'full_name' = 'explode' then raise exception 'profile trigger failed'; end if;
        return new;
      end $$;
      create trigger rj_test_fail_signup after insert on auth.users
        for each row execute function public.rj_test_fail_signup();`);
    try {
      const email = uniqueEmail("trigger");
      const res = await authFetch(sut, "/signup", {
        method: "POST",
        body: JSON.stringify({ email, password: PASSWORD, data: { full_name: "explode" } }),
      });
      expect(res.status).toBe(500);
      expect((await res.json()).code).toBe("unexpected_failure");
      const { rowCount } = await pool.query("select 1 from auth.users where email = $1", [email]);
      expect(rowCount).toBe(0);
      expect(await mailsTo(sut, email)).toHaveLength(0);
    } finally {
      await pool.query("drop trigger rj_test_fail_signup on auth.users; drop function public.rj_test_fail_signup();");
    }
  });
});

describe("password sign-in and sessions", () => {
  it("rejects a wrong password and an unknown email with invalid_credentials", async () => {
    const { email } = await confirmedUser("wrongpw");
    const wrong = await anonClient(sut).auth.signInWithPassword({ email, password: "not the password" });
    expect(wrong.error?.status).toBe(400);
    expect(wrong.error?.code).toBe("invalid_credentials");
    expect(wrong.error?.message).toBe("Invalid login credentials");
    const unknown = await anonClient(sut).auth.signInWithPassword({ email: uniqueEmail("nobody"), password: PASSWORD });
    expect(unknown.error?.code).toBe("invalid_credentials");
  });

  it("issues an access token with GoTrue's claims", async () => {
    const { id, email, session } = await signedIn("claims");
    expect(session).toMatchObject({ token_type: "bearer", expires_in: 3600 });
    expect(session.expires_at).toBeGreaterThan(Date.now() / 1000);
    expect(session.refresh_token).toMatch(/^[A-Za-z0-9_-]+$/);
    const claims = decodeJwt(session.access_token);
    expect(claims).toMatchObject({
      iss: `${sut.url}/auth/v1`,
      sub: id,
      aud: "authenticated",
      email,
      phone: "",
      app_metadata: { provider: "email", providers: ["email"] },
      user_metadata: expect.objectContaining({ full_name: "Test User" }),
      role: "authenticated",
      aal: "aal1",
      amr: [{ method: "password", timestamp: expect.any(Number) }],
      session_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      is_anonymous: false,
    });
    expect(claims.exp).toBe((claims.iat as number) + 3600);
    expect(session.user).toMatchObject({ id, email, aud: "authenticated", role: "authenticated" });
    expect(session.user.last_sign_in_at).toBeTruthy();
  });

  it("getUser returns the user for a valid token", async () => {
    const { client, id } = await signedIn("getuser");
    const { data, error } = await client.auth.getUser();
    expect(error).toBeNull();
    expect(data.user?.id).toBe(id);
    expect(data.user?.identities?.[0]?.provider).toBe("email");
  });

  it.skipIf(!sut.jwtSecret)("refuses an expired JWT with 403 bad_jwt", async () => {
    const { session } = await signedIn("expired");
    const claims = decodeJwt(session.access_token);
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ ...claims, iat: now - 7200, exp: now - 3600 })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .sign(new TextEncoder().encode(sut.jwtSecret!));
    const { data, error } = await anonClient(sut).auth.getUser(expired);
    expect(data.user).toBeNull();
    expect(error?.status).toBe(403);
    expect(error?.code).toBe("bad_jwt");
    const res = await authFetch(sut, "/user", { bearer: expired });
    expect(res.status).toBe(403);
    expect(res.headers.get("x-sb-error-code")).toBe("bad_jwt");
  });

  it("needs a bearer token for /user (401 no_authorization)", async () => {
    const res = await authFetch(sut, "/user");
    expect(res.status).toBe(401);
    expect((await res.json()).code).toBe("no_authorization");
  });

  it("rotates refresh tokens and rejects a reused one", async () => {
    const { session } = await signedIn("refresh");
    const client = anonClient(sut);
    const first = await client.auth.refreshSession({ refresh_token: session.refresh_token });
    expect(first.error).toBeNull();
    const b = first.data.session!;
    expect(b.refresh_token).not.toBe(session.refresh_token);
    expect(decodeJwt(b.access_token).session_id).toBe(decodeJwt(session.access_token).session_id);

    // The parent of the active token is answered with the active token (lost response).
    const retry = await anonClient(sut).auth.refreshSession({ refresh_token: session.refresh_token });
    expect(retry.error).toBeNull();
    expect(retry.data.session?.refresh_token).toBe(b.refresh_token);

    const second = await anonClient(sut).auth.refreshSession({ refresh_token: b.refresh_token });
    expect(second.error).toBeNull();
    const c = second.data.session!;

    // Past the reuse interval, an older token is a reuse: refused, session revoked.
    await sleep(sut.external ? 11_000 : 1_200);
    const reused = await anonClient(sut).auth.refreshSession({ refresh_token: session.refresh_token });
    expect(reused.error?.status).toBe(400);
    expect(reused.error?.code).toBe("refresh_token_already_used");

    const unknown = await anonClient(sut).auth.refreshSession({ refresh_token: "notarealtoken" });
    expect(unknown.error?.code).toBe("refresh_token_not_found");
    expect(c.refresh_token).toBeTruthy();
  }, 30_000);

  it("logout (global) ends every session; refresh then fails", async () => {
    const { client, session, email } = await signedIn("logout");
    const other = anonClient(sut);
    const otherLogin = await other.auth.signInWithPassword({ email, password: PASSWORD });
    expect(otherLogin.error).toBeNull();

    const res = await authFetch(sut, "/logout?scope=global", { method: "POST", bearer: session.access_token });
    expect(res.status).toBe(204);

    const refreshed = await anonClient(sut).auth.refreshSession({ refresh_token: session.refresh_token });
    expect(refreshed.error?.code).toBe("refresh_token_not_found");
    const otherRefreshed = await anonClient(sut).auth.refreshSession({ refresh_token: otherLogin.data.session!.refresh_token });
    expect(otherRefreshed.error?.code).toBe("refresh_token_not_found");

    const me = await authFetch(sut, "/user", { bearer: session.access_token });
    expect(me.status).toBe(403);
    expect((await me.json()).code).toBe("session_not_found");
    // supabase-js treats the missing session as signed out.
    const { error } = await client.auth.signOut();
    expect(error).toBeNull();
  });

  it("logout (others) keeps the current session", async () => {
    const { client, session, email } = await signedIn("others");
    const other = anonClient(sut);
    const otherLogin = await other.auth.signInWithPassword({ email, password: PASSWORD });
    const { error } = await client.auth.signOut({ scope: "others" });
    expect(error).toBeNull();
    expect((await client.auth.getUser(session.access_token)).error).toBeNull();
    const current = await anonClient(sut).auth.refreshSession({ refresh_token: session.refresh_token });
    expect(current.error).toBeNull();
    const gone = await anonClient(sut).auth.refreshSession({ refresh_token: otherLogin.data.session!.refresh_token });
    expect(gone.error?.code).toBe("refresh_token_not_found");
  });

  it("logout (local) ends only this session", async () => {
    const { client, session, email } = await signedIn("local");
    const other = anonClient(sut);
    const otherLogin = await other.auth.signInWithPassword({ email, password: PASSWORD });
    const { error } = await client.auth.signOut({ scope: "local" });
    expect(error).toBeNull();
    expect((await anonClient(sut).auth.refreshSession({ refresh_token: session.refresh_token })).error?.code).toBe("refresh_token_not_found");
    expect((await anonClient(sut).auth.refreshSession({ refresh_token: otherLogin.data.session!.refresh_token })).error).toBeNull();
  });
});

describe("password recovery and user updates", () => {
  it.skipIf(!local)("recover → email → link → set a new password → log in with it", async () => {
    const { email } = await confirmedUser("recover");
    const jar = new CookieJar();
    const supabase = ssrClient(sut, jar);
    const { error } = await supabase.auth.resetPasswordForEmail(email, { redirectTo: `${CALLBACK}?next=/reset` });
    expect(error).toBeNull();
    const mail = await latestMail(sut, email, "Reset Your Password");
    expect(new URL(mail.links[0]!).searchParams.get("type")).toBe("recovery");
    const location = await clickLink(mail.links[0]!);
    expect(location.searchParams.get("next")).toBe("/reset");
    const exchanged = await supabase.auth.exchangeCodeForSession(location.searchParams.get("code")!);
    expect(exchanged.error).toBeNull();
    expect((exchanged.data as { redirectType?: string | null }).redirectType).toBe("recovery");

    const updated = await supabase.auth.updateUser({ password: "a brand new password" });
    expect(updated.error).toBeNull();
    const oldLogin = await anonClient(sut).auth.signInWithPassword({ email, password: PASSWORD });
    expect(oldLogin.error?.code).toBe("invalid_credentials");
    const newLogin = await anonClient(sut).auth.signInWithPassword({ email, password: "a brand new password" });
    expect(newLogin.error).toBeNull();
  });

  it("answers recover for an unknown email with 200 {}", async () => {
    const res = await authFetch(sut, "/recover", { method: "POST", body: JSON.stringify({ email: uniqueEmail("ghost") }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
  });

  it("refuses the same password with 422 same_password", async () => {
    const { client } = await signedIn("samepw");
    const { error } = await client.auth.updateUser({ password: PASSWORD });
    expect(error?.status).toBe(422);
    expect(error?.code).toBe("same_password");
  });

  it("updates user_metadata with data (null removes a key)", async () => {
    const { client } = await signedIn("data");
    const first = await client.auth.updateUser({ data: { full_name: "Grace Hopper", theme: "dark" } });
    expect(first.error).toBeNull();
    expect(first.data.user?.user_metadata).toMatchObject({ full_name: "Grace Hopper", theme: "dark" });
    const second = await client.auth.updateUser({ data: { theme: null } });
    expect(second.data.user?.user_metadata.theme).toBeUndefined();
    expect(second.data.user?.user_metadata.full_name).toBe("Grace Hopper");
  });

  it("a password change signs out the user's other sessions", async () => {
    const { client, email } = await signedIn("pwother");
    const other = await anonClient(sut).auth.signInWithPassword({ email, password: PASSWORD });
    const { error } = await client.auth.updateUser({ password: "changed password 1" });
    expect(error).toBeNull();
    const otherRefresh = await anonClient(sut).auth.refreshSession({ refresh_token: other.data.session!.refresh_token });
    expect(otherRefresh.error?.code).toBe("refresh_token_not_found");
  });

  it.skipIf(!local)("changes the email after both addresses confirm", async () => {
    const { client, email, id } = await signedIn("change");
    const newEmail = uniqueEmail("changed");
    const { data, error } = await client.auth.updateUser({ email: newEmail }, { emailRedirectTo: CALLBACK });
    expect(error).toBeNull();
    expect(data.user?.email).toBe(email);
    expect(data.user?.new_email).toBe(newEmail);
    expect(data.user?.email_change_sent_at).toBeTruthy();

    const toNew = await latestMail(sut, newEmail, "Confirm Email Change");
    const toOld = await latestMail(sut, email, "Confirm Email Change");
    const first = await clickLink(toOld.links[0]!);
    expect(new URLSearchParams(first.hash.slice(1)).get("message")).toMatch(/Confirmation link accepted/);
    const second = await clickLink(toNew.links[0]!);
    const fragment = new URLSearchParams(second.hash.slice(1));
    expect(fragment.get("type")).toBe("email_change");
    expect(decodeJwt(fragment.get("access_token")!).email).toBe(newEmail);

    const admin = await adminClient(sut).auth.admin.getUserById(id);
    expect(admin.data.user?.email).toBe(newEmail);
    expect(admin.data.user?.new_email).toBeUndefined();
    const login = await anonClient(sut).auth.signInWithPassword({ email: newEmail, password: PASSWORD });
    expect(login.error).toBeNull();
  });

  it("refuses an email already used by another account", async () => {
    const { client } = await signedIn("taken");
    const { email: takenEmail } = await confirmedUser("owner");
    const { error } = await client.auth.updateUser({ email: takenEmail });
    expect(error?.status).toBe(422);
    expect(error?.code).toBe("email_exists");
  });
});

describe("rate limits, settings, keys", () => {
  it("limits emails per address with 429 over_email_send_rate_limit", async () => {
    const { email } = await confirmedUser("ratelimit");
    let limited: { status: number; code: string } | null = null;
    for (let i = 0; i < 40 && !limited; i++) {
      const res = await authFetch(sut, "/recover", { method: "POST", body: JSON.stringify({ email }) });
      if (res.status !== 200) limited = { status: res.status, code: (await res.json()).code };
    }
    expect(limited).toEqual({ status: 429, code: "over_email_send_rate_limit" });
    if (local) expect(await mailsTo(sut, email)).toHaveLength(30);
  });

  it("GET /settings reports email auth and the autoconfirm setting", async () => {
    const res = await authFetch(sut, "/settings");
    expect(res.status).toBe(200);
    const settings = await res.json();
    expect(settings.external.email).toBe(true);
    expect(settings.disable_signup).toBe(false);
    expect(settings.mailer_autoconfirm).toBe(false);
  });

  it("GET /.well-known/jwks.json has no public keys for HS256", async () => {
    const res = await authFetch(sut, "/.well-known/jwks.json");
    expect(res.status).toBe(200);
    expect((await res.json()).keys).toEqual(local ? [] : expect.any(Array));
  });

  it("refuses an unknown grant type", async () => {
    const res = await authFetch(sut, "/token?grant_type=magic", { method: "POST", body: "{}" });
    expect(res.status).toBe(400);
  });

  it("PKCE exchange with a wrong verifier or unknown code fails", async () => {
    const res = await authFetch(sut, "/token?grant_type=pkce", {
      method: "POST",
      body: JSON.stringify({ auth_code: "00000000-0000-0000-0000-000000000000", code_verifier: "x".repeat(43) }),
    });
    expect(res.status).toBe(404);
    expect((await res.json()).code).toBe("flow_state_not_found");
  });
});
