import { data, redirect, type MetaFunction, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import { PASSWORD_RULE, PasswordField } from "~/components/forms/auth-fields.tsx";
import { Field } from "~/components/forms/field.tsx";
import { FormAlert } from "~/components/forms/form-alert.tsx";
import { SelectField } from "~/components/forms/select-field.tsx";
import { SubmitButton } from "~/components/forms/submit-button.tsx";
import { useValidatedForm } from "~/components/forms/use-validated-form.ts";
import { useToast } from "~/components/shell/toaster.tsx";
import { guardAuthForm } from "~/lib/auth-guard.server.ts";
import type { FormResult } from "~/lib/form-result.ts";
import { forForm } from "~/lib/form-intent.server.ts";
import { parseForm } from "~/lib/forms.ts";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleAction, handleLoader } from "~/lib/route-handler.server.ts";
import { selectableTimeZones } from "~/lib/time-zones.server.ts";
import { deleteAccount, setPassword, verifyPassword } from "~/models/auth.server.ts";
import { loadProfileSettings, saveProfileSettings } from "~/models/profile-settings.server.ts";
import { changePasswordSchema, DELETE_CONFIRMATION, deleteAccountSchema, profileSchema } from "~/schemas/settings.ts";

export const meta: MetaFunction = () => [{ title: "Profile settings — RawJournal" }];

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => {
    const user = await requireUserDb(request);
    const settings = await loadProfileSettings(user.db, user.claims);
    const zones = selectableTimeZones();
    return { settings, timeZones: zones.includes(settings.timeZone) ? zones : [settings.timeZone, ...zones] };
  });

const done = (intent: string, message: string): FormResult => ({ status: "success", message, values: { intent } });

export const action = (args: ActionFunctionArgs) =>
  handleAction(args, async ({ request }) => {
    const user = await requireUserDb(request);
    const formData = await request.formData();
    const intent = String(formData.get("intent") ?? "");

    if (intent === "profile") {
      const parsed = parseForm(formData, profileSchema);
      if (!parsed.success) return data(parsed.result, { status: 400 });
      await forForm(intent, () => saveProfileSettings(user.db, user.claims, parsed.data));
      return data(done(intent, "Profile saved."));
    }

    if (intent === "password") {
      const parsed = parseForm(formData, changePasswordSchema);
      if (!parsed.success) return data(parsed.result, { status: 400 });
      await forForm(intent, async () => {
        await guardAuthForm(request, formData, "change-password");
        await verifyPassword(user.claims.email ?? "", parsed.data.currentPassword);
        await setPassword(user.supabase, parsed.data.newPassword);
      });
      return data(done(intent, "Password changed."));
    }

    if (intent === "delete") {
      const parsed = parseForm(formData, deleteAccountSchema);
      if (!parsed.success) return data(parsed.result, { status: 400 });
      await forForm(intent, () => deleteAccount(user));
      return redirect("/login?notice=account-deleted");
    }

    const unknown: FormResult = { status: "error", formError: "That form isn't recognised. Reload the page and try again." };
    return data(unknown, { status: 400 });
  });

const HOURS = Array.from({ length: 24 }, (_, hour) => ({ value: String(hour), label: `${String(hour).padStart(2, "0")}:00` }));

export default function ProfileSettings() {
  const { settings, timeZones } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const resultFor = (intent: string) => (result?.values?.intent === intent ? result : undefined);
  const profile = useValidatedForm(profileSchema, resultFor("profile"));
  const password = useValidatedForm(changePasswordSchema, resultFor("password"));
  const removal = useValidatedForm(deleteAccountSchema, resultFor("delete"));
  const { show } = useToast();

  useEffect(() => {
    if (result?.status === "success" && result.message) show(result.message);
  }, [result, show]);

  const profileValues = resultFor("profile")?.status === "error" ? resultFor("profile")?.values : undefined;

  return (
    <div className="space-y-8">
      <Section title="Profile" description="Your name, and how RawJournal shows dates and trading days.">
        <Form method="post" noValidate onSubmit={profile.onSubmit} className="space-y-4">
          <Status result={resultFor("profile")} formError={profile.formError} />
          <Field label="Email" name="email" value={settings.email} readOnly disabled hint="Your sign-in address." />
          <Field
            label="Name"
            name="fullName"
            autoComplete="name"
            required
            defaultValue={profileValues?.fullName ?? settings.fullName}
            error={profile.error("fullName")}
            onChange={() => profile.clearFieldError("fullName")}
          />
          <SelectField
            label="Time zone"
            name="timeZone"
            defaultValue={profileValues?.timeZone ?? settings.timeZone}
            options={timeZones.map((zone) => ({ value: zone, label: zone.replaceAll("_", " ") }))}
            hint="Dates and times in your journal are shown in this zone."
            error={profile.error("timeZone")}
          />
          <SelectField
            label="Trading day starts at"
            name="tradingDayStartHour"
            defaultValue={profileValues?.tradingDayStartHour ?? String(settings.tradingDayStartHour)}
            options={HOURS}
            hint="Analytics, the calendar and the trade list's dates put each trade on the trading day it closed in. A day starting after noon is named after the date it ends on: with 17:00 New York (the forex convention), Monday 17:00 starts Tuesday."
            error={profile.error("tradingDayStartHour")}
          />
          <SelectField
            label="Trading day clock"
            name="tradingDayTimeZone"
            defaultValue={profileValues?.tradingDayTimeZone ?? settings.tradingDayTimeZone ?? ""}
            options={[
              { value: "", label: "My time zone (above)" },
              { value: "America/New_York", label: "New York (forex convention)" },
              { value: "Europe/London", label: "London" },
              { value: "UTC", label: "UTC" },
              ...(settings.tradingDayTimeZone && !["America/New_York", "Europe/London", "UTC"].includes(settings.tradingDayTimeZone)
                ? [{ value: settings.tradingDayTimeZone, label: settings.tradingDayTimeZone.replaceAll("_", " ") }]
                : []),
            ]}
            hint="Whose clock the start hour is read on."
            error={profile.error("tradingDayTimeZone")}
          />
          <SubmitButton intent="profile" pendingLabel="Saving…">
            Save profile
          </SubmitButton>
        </Form>
      </Section>

      <Section title="Password" description="You'll stay signed in on this device.">
        <Form method="post" noValidate onSubmit={password.onSubmit} className="space-y-4">
          <Status result={resultFor("password")} formError={password.formError} />
          <input type="text" name="username" autoComplete="username" value={settings.email} readOnly hidden />
          <PasswordField validation={password} label="Current password" name="currentPassword" />
          <PasswordField validation={password} label="New password" name="newPassword" chosen hint={PASSWORD_RULE} />
          <PasswordField validation={password} label="Type the new password again" name="confirmPassword" chosen />
          <SubmitButton intent="password" pendingLabel="Changing…">
            Change password
          </SubmitButton>
        </Form>
      </Section>

      <Section title="Sessions" description="Signed in somewhere you no longer use? End every session at once.">
        <div className="flex flex-wrap gap-3">
          <Form method="post" action="/logout">
            <input type="hidden" name="scope" value="local" />
            <button type="submit" className="btn-secondary">
              Sign out on this device
            </button>
          </Form>
          <Form method="post" action="/logout">
            <input type="hidden" name="scope" value="global" />
            <button type="submit" className="btn-secondary">
              Sign out everywhere
            </button>
          </Form>
        </div>
      </Section>

      <Section title="Delete account" description="Deletes your account, accounts, trades, journal and files for good. This cannot be undone." danger>
        <Form method="post" noValidate onSubmit={removal.onSubmit} className="space-y-4">
          <Status result={resultFor("delete")} formError={removal.formError} />
          <Field
            label={`Type "${DELETE_CONFIRMATION}" to confirm`}
            name="confirmation"
            autoComplete="off"
            required
            error={removal.error("confirmation")}
            onChange={() => removal.clearFieldError("confirmation")}
          />
          <SubmitButton intent="delete" variant="danger" pendingLabel="Deleting…">
            Delete my account
          </SubmitButton>
        </Form>
      </Section>
    </div>
  );
}

function Section({ title, description, danger, children }: { title: string; description: string; danger?: boolean; children: ReactNode }) {
  const headingId = `${title.toLowerCase().replace(/\W+/g, "-")}-heading`;
  return (
    <section className={`card p-5 sm:p-6 ${danger ? "border-red-500/30" : ""}`} aria-labelledby={headingId}>
      <h2 id={headingId} className={`text-base font-semibold ${danger ? "text-red-400" : "text-fg"}`}>
        {title}
      </h2>
      <p className="mt-1 text-sm text-fg-muted">{description}</p>
      <div className="mt-5 max-w-md">{children}</div>
    </section>
  );
}

function Status({ result, formError }: { result?: FormResult; formError?: string }) {
  if (formError) return <FormAlert tone="error">{formError}</FormAlert>;
  if (result?.status === "success" && result.message) {
    // Also announced as a toast; this copy is what a browser without JavaScript shows.
    return <FormAlert tone="success">{result.message}</FormAlert>;
  }
  return null;
}
