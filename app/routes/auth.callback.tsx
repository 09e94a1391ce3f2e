// Where emailed links land (sign-up confirmation, password reset). The Auth
// server has already checked the token and sends an auth code (?code=), which
// is exchanged here for a session using the PKCE verifier this browser kept
// in a cookie when it asked for the email.
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { handleLoader } from "~/lib/route-handler.server.ts";
import { safeRedirect } from "~/lib/safe-redirect.ts";
import { getRequestAuth } from "~/lib/session.server.ts";

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => {
    const url = new URL(request.url);
    const next = safeRedirect(url.searchParams.get("next"), "/dashboard");
    const code = url.searchParams.get("code");
    // The Auth server reports an expired or reused link as ?error=…&error_code=…
    if (!code) return redirect(next === "/reset-password" ? "/forgot-password?notice=link-invalid" : "/login?notice=link-invalid");

    const { supabase } = await getRequestAuth(request);
    const { data, error } = await supabase.auth.exchangeCodeForSession(code);
    if (error) {
      if (next === "/reset-password") return redirect("/forgot-password?notice=link-invalid");
      // The Auth server confirmed the address before it issued the code, so a
      // confirmation link whose code cannot be exchanged here (opened in another
      // browser, or an older link after a resend) still leaves the account ready
      // to sign in.
      return redirect("/login?notice=email-confirmed");
    }
    // auth-js marks a password-recovery flow (its verifier was stored with "/recovery").
    const recovery = (data as { redirectType?: string | null }).redirectType === "recovery";
    return redirect(recovery ? "/reset-password" : next);
  });
