import { data, redirect, type MetaFunction, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { EmailField, PasswordField } from "~/components/forms/auth-fields.tsx";
import { FormAlert } from "~/components/forms/form-alert.tsx";
import { Honeypot } from "~/components/forms/honeypot.tsx";
import { SubmitButton } from "~/components/forms/submit-button.tsx";
import { useValidatedForm } from "~/components/forms/use-validated-form.ts";
import { AuthCard } from "~/components/auth-layout.tsx";
import { EMAIL_NOT_CONFIRMED_HINT } from "~/lib/auth-errors.ts";
import { guardAuthForm, guardSignIn } from "~/lib/auth-guard.server.ts";
import { isAppError } from "~/lib/app-error.ts";
import type { FormResult } from "~/lib/form-result.ts";
import { parseForm } from "~/lib/forms.ts";
import { noticeFrom } from "~/lib/notices.ts";
import { handleAction, handleLoader } from "~/lib/route-handler.server.ts";
import { safeRedirect } from "~/lib/safe-redirect.ts";
import { getRequestAuth } from "~/lib/session.server.ts";
import { resendConfirmation, signIn } from "~/models/auth.server.ts";
import { resendConfirmationSchema, signInSchema } from "~/schemas/auth.ts";

export const meta: MetaFunction = () => [{ title: "Sign in — RawJournal" }];

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => {
    const url = new URL(request.url);
    const redirectTo = url.searchParams.get("redirectTo");
    return {
      redirectTo: redirectTo ? safeRedirect(redirectTo) : "",
      notice: noticeFrom(url.searchParams.get("notice")),
    };
  });

export const action = (args: ActionFunctionArgs) =>
  handleAction(args, async ({ request }) => {
    const formData = await request.formData();
    if (formData.get("intent") === "resend") {
      const parsed = parseForm(formData, resendConfirmationSchema);
      if (!parsed.success) return data(parsed.result, { status: 400 });
      await guardAuthForm(request, formData, "resend", parsed.data.email);
      await resendConfirmation((await getRequestAuth(request)).supabase, parsed.data.email);
      const sent: FormResult = {
        status: "success",
        message: `We sent a new confirmation link to ${parsed.data.email}. Open it on this device.`,
        values: { email: parsed.data.email },
      };
      return data(sent);
    }

    const parsed = parseForm(formData, signInSchema);
    if (!parsed.success) return data(parsed.result, { status: 400 });
    const { email, password, redirectTo } = parsed.data;
    const attempt = await guardSignIn(request, formData, email);
    try {
      await signIn((await getRequestAuth(request)).supabase, email, password, { email, redirectTo: redirectTo ?? "" });
    } catch (error) {
      if (isAppError(error) && error.code === "unauthorized") await attempt.failed();
      throw error;
    }
    return redirect(safeRedirect(redirectTo));
  });

export default function Login() {
  const { redirectTo, notice } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const form = useValidatedForm(signInSchema, result);
  const email = result?.values?.email ?? "";
  const signupHref = redirectTo ? `/signup?${new URLSearchParams({ redirectTo })}` : "/signup";

  return (
    <AuthCard title="Sign in" subtitle="Welcome back. Your journal is where you left it.">
      <div className="space-y-3">
        {notice && !result ? <FormAlert tone={notice.tone}>{notice.text}</FormAlert> : null}
        {result?.status === "success" && result.message ? <FormAlert tone="success">{result.message}</FormAlert> : null}
        {form.formError ? (
          <FormAlert tone="error">
            {result?.hint === EMAIL_NOT_CONFIRMED_HINT ? (
              <Form method="post" className="inline">
                {form.formError.replace(/\.$/, "")} — <input type="hidden" name="email" value={email} />
                <Honeypot />
                <button type="submit" name="intent" value="resend" className="link underline">
                  resend link
                </button>
              </Form>
            ) : (
              form.formError
            )}
          </FormAlert>
        ) : null}
      </div>

      <Form method="post" noValidate onSubmit={form.onSubmit} className="mt-4 space-y-4">
        <Honeypot />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <EmailField validation={form} defaultValue={email} />
        <PasswordField validation={form} label="Password" name="password" />
        <div className="flex justify-end">
          <Link to="/forgot-password" className="link text-sm">
            Forgot your password?
          </Link>
        </div>
        <SubmitButton intent="sign-in" pendingLabel="Signing in…" className="w-full">
          Sign in
        </SubmitButton>
      </Form>

      <p className="mt-6 text-center text-sm text-fg-muted">
        New to RawJournal?{" "}
        <Link to={signupHref} className="link">
          Create an account
        </Link>
      </p>
    </AuthCard>
  );
}
