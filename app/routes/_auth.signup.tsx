import { data, type MetaFunction, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { AuthCard } from "~/components/auth-layout.tsx";
import { BrowserTimeZoneInput } from "~/components/forms/browser-time-zone-input.tsx";
import { EmailField, FormErrorAlert, PASSWORD_RULE, PasswordField, ValidatedField } from "~/components/forms/auth-fields.tsx";
import { Honeypot } from "~/components/forms/honeypot.tsx";
import { SubmitButton } from "~/components/forms/submit-button.tsx";
import { useValidatedForm } from "~/components/forms/use-validated-form.ts";
import { guardAuthForm } from "~/lib/auth-guard.server.ts";
import type { FormResult } from "~/lib/form-result.ts";
import { parseForm } from "~/lib/forms.ts";
import { handleAction, handleLoader } from "~/lib/route-handler.server.ts";
import { safeRedirect } from "~/lib/safe-redirect.ts";
import { getRequestAuth } from "~/lib/session.server.ts";
import { signUp } from "~/models/auth.server.ts";
import { signUpSchema } from "~/schemas/auth.ts";

export const meta: MetaFunction = () => [{ title: "Create your account — RawJournal" }];

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => {
    const redirectTo = new URL(request.url).searchParams.get("redirectTo");
    return { redirectTo: redirectTo ? safeRedirect(redirectTo) : "" };
  });

export const action = (args: ActionFunctionArgs) =>
  handleAction(args, async ({ request }) => {
    const formData = await request.formData();
    await guardAuthForm(request, formData, "sign-up");
    const parsed = parseForm(formData, signUpSchema);
    if (!parsed.success) return data(parsed.result, { status: 400 });
    const { fullName, email } = parsed.data;
    const values = { fullName, email, redirectTo: parsed.data.redirectTo ?? "" };
    await signUp((await getRequestAuth(request)).supabase, parsed.data, values, safeRedirect(parsed.data.redirectTo));
    // The same answer whether or not the address already had an account.
    const sent: FormResult = { status: "success", values: { email } };
    return data(sent);
  });

export default function SignUp() {
  const { redirectTo } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const form = useValidatedForm(signUpSchema, result);
  const loginHref = redirectTo ? `/login?${new URLSearchParams({ redirectTo })}` : "/login";

  if (result?.status === "success") {
    return (
      <AuthCard title="Check your email">
        <div className="space-y-4 text-sm text-fg-muted">
          <p>
            We sent a confirmation link to <strong className="text-fg">{result.values?.email}</strong>. Open it on this device to finish creating your
            account.
          </p>
          <p>
            Nothing there after a few minutes? Check your spam folder, or{" "}
            <Link to="/login" className="link">
              sign in
            </Link>{" "}
            to ask for a new link.
          </p>
        </div>
      </AuthCard>
    );
  }

  return (
    <AuthCard title="Create your account" subtitle="Free forever for one account. No card needed.">
      <FormErrorAlert validation={form} />
      <Form method="post" noValidate onSubmit={form.onSubmit} className="space-y-4">
        <Honeypot />
        <BrowserTimeZoneInput />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <ValidatedField validation={form} label="Name" name="fullName" autoComplete="name" defaultValue={result?.values?.fullName} />
        <EmailField validation={form} defaultValue={result?.values?.email} />
        <PasswordField validation={form} label="Password" name="password" chosen minLength={8} hint={PASSWORD_RULE} />
        <SubmitButton pendingLabel="Creating your account…" className="w-full">
          Create account
        </SubmitButton>
      </Form>
      <p className="mt-6 text-center text-sm text-fg-muted">
        Already have an account?{" "}
        <Link to={loginHref} className="link">
          Sign in
        </Link>
      </p>
    </AuthCard>
  );
}
