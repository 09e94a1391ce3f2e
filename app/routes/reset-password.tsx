// Choosing a new password after following the emailed reset link: the
// callback has already signed the user in with a recovery session.
import { data, redirect, type HeadersFunction, type MetaFunction, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { AuthCard, AuthLayout } from "~/components/auth-layout.tsx";
import { FormErrorAlert, PASSWORD_RULE, PasswordField } from "~/components/forms/auth-fields.tsx";
import { Honeypot } from "~/components/forms/honeypot.tsx";
import { SubmitButton } from "~/components/forms/submit-button.tsx";
import { useValidatedForm } from "~/components/forms/use-validated-form.ts";
import { guardAuthForm } from "~/lib/auth-guard.server.ts";
import { parseForm } from "~/lib/forms.ts";
import { handleAction, handleLoader } from "~/lib/route-handler.server.ts";
import { noindexHandle, noindexHeaders } from "~/lib/seo-meta.ts";
import { requireUser } from "~/lib/session.server.ts";
import { setPassword } from "~/models/auth.server.ts";
import { resetPasswordSchema } from "~/schemas/auth.ts";

export const meta: MetaFunction = () => [{ title: "Choose a new password — RawJournal" }];
export const handle = noindexHandle;
export const headers: HeadersFunction = noindexHeaders;

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => {
    await requireUser(request);
    return null;
  });

export const action = (args: ActionFunctionArgs) =>
  handleAction(args, async ({ request }) => {
    const user = await requireUser(request);
    const formData = await request.formData();
    await guardAuthForm(request, formData, "reset-password");
    const parsed = parseForm(formData, resetPasswordSchema);
    if (!parsed.success) return data(parsed.result, { status: 400 });
    await setPassword(user.supabase, parsed.data.password);
    return redirect("/dashboard?notice=password-updated");
  });

export default function ResetPassword() {
  const result = useActionData<typeof action>();
  const form = useValidatedForm(resetPasswordSchema, result);
  return (
    <AuthLayout>
      <AuthCard title="Choose a new password" subtitle="You'll stay signed in on this device.">
        <FormErrorAlert validation={form} />
        <Form method="post" noValidate onSubmit={form.onSubmit} className="space-y-4">
          <Honeypot />
          <PasswordField validation={form} label="New password" name="password" chosen minLength={8} hint={PASSWORD_RULE} />
          <PasswordField validation={form} label="Type it again" name="confirmPassword" chosen />
          <SubmitButton pendingLabel="Saving…" className="w-full">
            Save new password
          </SubmitButton>
        </Form>
      </AuthCard>
    </AuthLayout>
  );
}
