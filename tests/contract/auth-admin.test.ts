// Contract tests of Auth with autoconfirm ON, and of the admin API (service role).
import { describe, expect, it } from "vitest";
import { startSupabaseForTests } from "../support/local-supabase.ts";
import { adminClient, anonClient, authFetch, clickLink, decodeJwt, mailsTo, uniqueEmail } from "./auth-helpers.ts";

const sut = await startSupabaseForTests({ autoconfirm: true });
const local = !sut.external;
const PASSWORD = "correct horse battery";

describe("signup with autoconfirm", () => {
  it("returns a session right away and sends no email", async () => {
    const email = uniqueEmail("auto");
    const { data, error } = await anonClient(sut).auth.signUp({
      email,
      password: PASSWORD,
      options: { data: { full_name: "Alan Turing" } },
    });
    expect(error).toBeNull();
    expect(data.session?.access_token).toBeTruthy();
    expect(data.user?.email_confirmed_at).toBeTruthy();
    expect(data.user?.user_metadata).toMatchObject({ full_name: "Alan Turing", email_verified: true });
    expect(decodeJwt(data.session!.access_token).user_metadata).toMatchObject({ full_name: "Alan Turing" });
    if (local) expect(await mailsTo(sut, email)).toHaveLength(0);
  });

  it("refuses a second signup of the same address with 422 user_already_exists", async () => {
    const email = uniqueEmail("again");
    expect((await anonClient(sut).auth.signUp({ email, password: PASSWORD })).error).toBeNull();
    const { error } = await anonClient(sut).auth.signUp({ email: email.toUpperCase(), password: PASSWORD });
    expect(error?.status).toBe(422);
    expect(error?.code).toBe("user_already_exists");
    expect(error?.message).toBe("User already registered");
  });

  it("reports mailer_autoconfirm in settings", async () => {
    const settings = await (await authFetch(sut, "/settings")).json();
    expect(settings.mailer_autoconfirm).toBe(true);
  });
});

describe("admin users (service role)", () => {
  it("creates, lists, gets, updates and deletes users", async () => {
    const admin = adminClient(sut).auth.admin;
    const email = uniqueEmail("admin");
    const created = await admin.createUser({
      email,
      password: PASSWORD,
      email_confirm: true,
      user_metadata: { full_name: "Created By Admin" },
      app_metadata: { plan: "pro" },
    });
    expect(created.error).toBeNull();
    const user = created.data.user!;
    expect(user).toMatchObject({
      email,
      aud: "authenticated",
      role: "authenticated",
      app_metadata: { provider: "email", providers: ["email"], plan: "pro" },
      user_metadata: expect.objectContaining({ full_name: "Created By Admin" }),
    });
    expect(user.email_confirmed_at).toBeTruthy();

    const login = await anonClient(sut).auth.signInWithPassword({ email, password: PASSWORD });
    expect(login.error).toBeNull();
    expect(decodeJwt(login.data.session!.access_token).app_metadata).toMatchObject({ plan: "pro" });

    const dup = await admin.createUser({ email, password: PASSWORD });
    expect(dup.error?.status).toBe(422);
    expect(dup.error?.code).toBe("email_exists");

    const list = await admin.listUsers({ page: 1, perPage: 1000 });
    expect(list.error).toBeNull();
    expect(list.data.users.some((u) => u.id === user.id)).toBe(true);
    expect((list.data as unknown as { aud: string }).aud).toBe("authenticated");

    const got = await admin.getUserById(user.id);
    expect(got.data.user?.email).toBe(email);

    const updated = await admin.updateUserById(user.id, {
      user_metadata: { full_name: "Renamed" },
      app_metadata: { plan: "free" },
      password: "another strong password",
    });
    expect(updated.error).toBeNull();
    expect(updated.data.user?.user_metadata.full_name).toBe("Renamed");
    expect(updated.data.user?.app_metadata.plan).toBe("free");
    const newLogin = await anonClient(sut).auth.signInWithPassword({ email, password: "another strong password" });
    expect(newLogin.error).toBeNull();

    const deleted = await admin.deleteUser(user.id);
    expect(deleted.error).toBeNull();
    const gone = await admin.getUserById(user.id);
    expect(gone.error?.status).toBe(404);
    expect(gone.error?.code).toBe("user_not_found");
    // Its sessions went with it.
    const refresh = await anonClient(sut).auth.refreshSession({ refresh_token: newLogin.data.session!.refresh_token });
    expect(refresh.error?.code).toBe("refresh_token_not_found");
  });

  it("pages the user list", async () => {
    const admin = adminClient(sut).auth.admin;
    for (let i = 0; i < 3; i++) await admin.createUser({ email: uniqueEmail("page"), email_confirm: true });
    const page1 = await admin.listUsers({ page: 1, perPage: 2 });
    expect(page1.error).toBeNull();
    expect(page1.data.users).toHaveLength(2);
    expect((page1.data as unknown as { nextPage: number }).nextPage).toBe(2);
    const page2 = await admin.listUsers({ page: 2, perPage: 2 });
    expect(page2.data.users).toHaveLength(2);
    expect(page2.data.users[0]!.id).not.toBe(page1.data.users[0]!.id);
  });

  it("refuses the anon key with 403 not_admin and a missing bearer with 401", async () => {
    const { data, error } = await anonClient(sut).auth.admin.listUsers();
    expect(data.users).toEqual([]);
    expect(error?.status).toBe(403);
    expect(error?.code).toBe("not_admin");
    const res = await fetch(`${sut.url}/auth/v1/admin/users`, {
      headers: { apikey: sut.anonKey, "x-supabase-api-version": "2024-01-01" },
    });
    expect(res.status).toBe(401);
    expect((await res.json()).code).toBe("no_authorization");
    // A user's own token is not an admin token either.
    const email = uniqueEmail("notadmin");
    const signUp = await anonClient(sut).auth.signUp({ email, password: PASSWORD });
    const asUser = await authFetch(sut, "/admin/users", { bearer: signUp.data.session!.access_token });
    expect(asUser.status).toBe(403);
  });

  it("generates a recovery link that signs the user in (implicit)", async () => {
    const admin = adminClient(sut).auth.admin;
    const email = uniqueEmail("link");
    await admin.createUser({ email, password: PASSWORD, email_confirm: true });
    const { data, error } = await admin.generateLink({ type: "recovery", email, options: { redirectTo: "http://localhost:3000/reset" } });
    expect(error).toBeNull();
    expect(data.properties?.verification_type).toBe("recovery");
    expect(data.properties?.hashed_token).toMatch(/^[0-9a-f]+$/);
    expect(data.properties?.email_otp).toMatch(/^\d{6}$/);
    expect(data.user?.email).toBe(email);
    const location = await clickLink(data.properties!.action_link);
    expect(location.origin + location.pathname).toBe("http://localhost:3000/reset");
    const fragment = new URLSearchParams(location.hash.slice(1));
    expect(fragment.get("type")).toBe("recovery");
    expect(decodeJwt(fragment.get("access_token")!).email).toBe(email);
    if (local) expect(await mailsTo(sut, email)).toHaveLength(0);
  });

  it("verifies a generated link's token_hash with verifyOtp", async () => {
    const admin = adminClient(sut).auth.admin;
    const email = uniqueEmail("hashlink");
    await admin.createUser({ email, password: PASSWORD, email_confirm: true });
    const { data } = await admin.generateLink({ type: "magiclink", email });
    const verified = await anonClient(sut).auth.verifyOtp({ token_hash: data.properties!.hashed_token, type: "magiclink" });
    expect(verified.error).toBeNull();
    expect(verified.data.session?.user.email).toBe(email);
    const again = await anonClient(sut).auth.verifyOtp({ token_hash: data.properties!.hashed_token, type: "magiclink" });
    expect(again.error?.code).toBe("otp_expired");
  });
});
