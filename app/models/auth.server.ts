// The Auth server calls behind the sign-in, sign-up, password and sign-out
// forms. Each runs on the request's cookie-backed client, so the session (or
// the PKCE verifier an emailed link needs) lands in this response's cookies.
// Failures become AppErrors in plain language.
import { AppError } from "~/lib/app-error.ts";
import { authAppError } from "~/lib/auth-errors.ts";
import { authCallbackUrl } from "~/lib/auth-guard.server.ts";
import type { SignedInDb } from "~/lib/request-db.server.ts";
import { createStatelessSupabase } from "~/lib/supabase.server.ts";
import type { SupabaseClient } from "@supabase/supabase-js";

export async function signIn(supabase: SupabaseClient, email: string, password: string, values: Record<string, string>) {
  const { error } = await supabase.auth.signInWithPassword({ email, password });
  if (error) throw authAppError(error, values);
}

export async function signUp(
  supabase: SupabaseClient,
  form: { fullName: string; email: string; password: string; timeZone?: string },
  values: Record<string, string>,
  /** Where the confirmation link finally takes the user (a safe local path). */
  next = "/dashboard",
) {
  const { error } = await supabase.auth.signUp({
    email: form.email,
    password: form.password,
    options: {
      // The database trigger creates profile and settings rows from these.
      data: { full_name: form.fullName, ...(form.timeZone ? { time_zone: form.timeZone } : {}) },
      emailRedirectTo: authCallbackUrl(next),
    },
  });
  if (error) throw authAppError(error, values);
}

export async function resendConfirmation(supabase: SupabaseClient, email: string) {
  const { error } = await supabase.auth.resend({
    type: "signup",
    email,
    options: { emailRedirectTo: authCallbackUrl("/dashboard") },
  });
  if (error) throw authAppError(error, { email });
}

/** Answers the same whether or not the address has an account (no account discovery). */
export async function requestPasswordReset(supabase: SupabaseClient, email: string) {
  const { error } = await supabase.auth.resetPasswordForEmail(email, { redirectTo: authCallbackUrl("/reset-password") });
  if (error && error.code !== "user_not_found") throw authAppError(error, { email });
}

export async function setPassword(supabase: SupabaseClient, password: string) {
  const { error } = await supabase.auth.updateUser({ password });
  if (error) throw authAppError(error);
}

/** Checks the current password without touching this browser's session. */
export async function verifyPassword(email: string, password: string): Promise<void> {
  const probe = createStatelessSupabase();
  const { error } = await probe.auth.signInWithPassword({ email, password });
  if (error) {
    if (error.code === "invalid_credentials") {
      throw new AppError("bad_request", "Your current password isn't right.", { cause: error });
    }
    throw authAppError(error);
  }
  // The check made a session of its own; end it at once.
  await probe.auth.signOut({ scope: "local" });
}

export async function signOut(supabase: SupabaseClient, scope: "local" | "global") {
  const { error } = await supabase.auth.signOut({ scope });
  // auth-js clears the cookies even when the server no longer knows the session.
  if (error && !["session_not_found", "refresh_token_not_found"].includes(error.code ?? "")) throw authAppError(error);
}

/**
 * Deleting the auth user cascades to every row the user owns (profiles →
 * everything). The web process holds no service-role key (docs/decisions/021):
 * delete_own_account() deletes the caller's own auth.users row in the
 * request's transaction, which commits with the redirect.
 */
export async function deleteAccount(user: SignedInDb) {
  // Signed out first (which also clears the cookies): Auth deletes this
  // session's row on its own connection, which would otherwise wait for this
  // request's transaction, which has deleted the user and so locked that row.
  await user.supabase.auth.signOut({ scope: "local" }).catch(() => {});
  await user.db.query("select public.delete_own_account()");
}
