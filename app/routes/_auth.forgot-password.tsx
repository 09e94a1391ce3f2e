import { data, type MetaFunction, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { AuthCard } from "~/components/auth-layout.tsx";
import { EmailField, FormErrorAlert } from "~/components/forms/auth-fields.tsx";
import { FormAlert } from "~/components/forms/form-alert.tsx";
import { Honeypot } from "~/components/forms/honeypot.tsx";
import { SubmitButton } from "~/components/forms/submit-button.tsx";
import { useValidatedForm } from "~/components/forms/use-validated-form.ts";
import { guardAuthForm } from "~/lib/auth-guard.server.ts";
import type { FormResult } from "~/lib/form-result.ts";
import { parseForm } from "~/lib/forms.ts";
import { noticeFrom } from "~/lib/notices.ts";
import { handleAction, handleLoader } from "~/lib/route-handler.server.ts";
import { getRequestAuth } from "~/lib/session.server.ts";
import { requestPasswordReset } from "~/models/auth.server.ts";
import { forgotPasswordSchema } from "~/schemas/auth.ts";

export const meta: MetaFunction = () => [{ title: "Reset your password — RawJournal" }];

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => ({
    notice: noticeFrom(new URL(request.url).searchParams.get("notice")),
  }));

export const action = (args: ActionFunctionArgs) =>
  handleAction(args, async ({ request }) => {
    const formData = await request.formData();
    const parsed = parseForm(formData, forgotPasswordSchema);
    if (!parsed.success) return data(parsed.result, { status: 400 });
    await guardAuthForm(request, formData, "forgot-password", parsed.data.email);
    await requestPasswordReset((await getRequestAuth(request)).supabase, parsed.data.email);
    const sent: FormResult = { status: "success", values: { email: parsed.data.email } };
    return data(sent);
  });

export default function ForgotPassword() {
  const { notice } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const form = useValidatedForm(forgotPasswordSchema, result);

  if (result?.status === "success") {
    return (
      <AuthCard title="Check your email">
        <p className="text-sm text-fg-muted">
          If <strong className="text-fg">{result.values?.email}</strong> has a RawJournal account, we sent it a link to choose a new password. Open it
          on this device; it works once and expires in an hour.
        </p>
        <p className="mt-4 text-sm">
          <Link to="/login" className="link">
            Back to sign in
          </Link>
        </p>
      </AuthCard>
    );
  }

  return (
    <AuthCard title="Reset your password" subtitle="We'll email you a link to choose a new one.">
      {notice && !result ? (
        <div className="mb-4">
          <FormAlert tone={notice.tone}>{notice.text}</FormAlert>
        </div>
      ) : null}
      <FormErrorAlert validation={form} />
      <Form method="post" noValidate onSubmit={form.onSubmit} className="space-y-4">
        <Honeypot />
        <EmailField validation={form} defaultValue={result?.values?.email} />
        <SubmitButton pendingLabel="Sending…" className="w-full">
          Email me a reset link
        </SubmitButton>
      </Form>
      <p className="mt-6 text-center text-sm text-fg-muted">
        Remembered it?{" "}
        <Link to="/login" className="link">
          Sign in
        </Link>
      </p>
    </AuthCard>
  );
}
