// Upload step of an import: choose the account and the file (drag and drop
// or the plain file input; works without JavaScript). The file is checked
// and staged, then the preview shows what it holds.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormAlert } from "~/components/forms/form-alert.tsx";
import { SelectField } from "~/components/forms/select-field.tsx";
import type { FormResult } from "~/lib/form-result.ts";
import { FileDropZone } from "~/components/imports/file-drop-zone.tsx";
import { PageHeader } from "~/components/page-header.tsx";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { limitRequest } from "~/lib/rate-limit.server.ts";
import { handleAction, handleLoader } from "~/lib/route-handler.server.ts";
import { receiveUpload } from "~/models/imports/receive-upload.server.ts";
import { listImportAccounts } from "~/models/imports/uploads.server.ts";

export const meta: MetaFunction = () => [{ title: "Import trades — RawJournal" }];

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => {
    const user = await requireUserDb(request);
    const accounts = await listImportAccounts(user.db, user.claims);
    const wanted = new URL(request.url).searchParams.get("account");
    return { accounts, selected: accounts.find((a) => a.id === wanted)?.id ?? accounts[0]?.id ?? null };
  });

export const action = (args: ActionFunctionArgs) =>
  handleAction(args, async ({ request }) => {
    const user = await requireUserDb(request);
    await limitRequest(request, "upload", user.userId);
    const received = await receiveUpload(user.db, user.claims, request);
    if (!received.ok) {
      const failure: FormResult = received.field
        ? { status: "error", fieldErrors: { [received.field]: [received.message] } }
        : { status: "error", formError: received.message };
      return data(failure, { status: 400 });
    }
    return redirect(`/trades/import/${received.uploadId}`);
  });

export default function ImportUpload() {
  const { accounts, selected } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as FormResult | undefined;
  const navigation = useNavigation();
  const uploading = navigation.state === "submitting";
  const fieldError = (field: string) => result?.fieldErrors?.[field]?.[0];

  return (
    <>
      <PageHeader
        title="Import trades"
        description="MT5 and MT4 reports, broker CSV exports, any CSV, or our JSON format. The format is read from the file itself."
        actions={
          <Link to="/trades/imports" className="btn-secondary">
            Import history
          </Link>
        }
      />
      <div className="card max-w-2xl p-5 sm:p-6">
        {accounts.length === 0 ? (
          <div className="space-y-3 text-sm text-fg-muted">
            <p>Trades are imported into an account. Create one first.</p>
            <Link to="/accounts/new?next=/trades/import" className="btn-primary">
              Add an account
            </Link>
          </div>
        ) : (
          <Form method="post" encType="multipart/form-data" className="space-y-5">
            {result?.formError ? <FormAlert tone="error">{result.formError}</FormAlert> : null}
            <SelectField
              label="Account"
              name="accountId"
              defaultValue={selected ?? undefined}
              options={accounts.map((a) => ({ value: a.id, label: `${a.name} (${a.currency}${a.mt5Login ? ` · ${a.mt5Login}` : ""})` }))}
              hint="When the report names an MT5 login you have an account for, the preview picks that account."
              error={fieldError("accountId")}
            />
            <FileDropZone name="file" error={fieldError("file")} />
            <div className="flex flex-wrap items-center gap-3">
              <button type="submit" className="btn-primary" disabled={uploading}>
                {uploading ? "Uploading…" : "Upload and preview"}
              </button>
              <span className="text-xs text-fg-muted">Nothing is saved until you confirm the preview.</span>
            </div>
          </Form>
        )}
      </div>
    </>
  );
}
