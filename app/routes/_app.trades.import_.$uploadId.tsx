// Preview of a staged import: what the file is, the first trades, what will
// be rejected and why, how many are already in the account, and the Import
// button. The import shows a progress bar fed by the server while it runs.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import type { ReactNode } from "react";
import { FormAlert } from "~/components/forms/form-alert.tsx";
import { ColumnMappingForm } from "~/components/imports/column-mapping-form.tsx";
import { formatLabel, languageLabel } from "~/components/imports/format-label.ts";
import { ImportProgressBar } from "~/components/imports/import-progress-bar.tsx";
import { PreviewTradesTable } from "~/components/imports/preview-trades-table.tsx";
import { useImportProgress } from "~/components/imports/use-import-progress.ts";
import { ValidationSummary } from "~/components/imports/validation-summary.tsx";
import { PageHeader } from "~/components/page-header.tsx";
import { UpgradePrompt } from "~/components/upgrade-prompt.tsx";
import { AppError } from "~/lib/app-error.ts";
import type { FormResult } from "~/lib/form-result.ts";
import { plural } from "~/lib/format.ts";
import { pool } from "~/lib/pool.server.ts";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleAction, handleLoader } from "~/lib/route-handler.server.ts";
import { PLANS } from "~/domain/entitlements.ts";
import type { ColumnMapping } from "~/domain/imports/parse-options.ts";
import { previewWithParse } from "~/models/imports/preview.server.ts";
import { runImport } from "~/models/imports/run-import.server.ts";
import {
  isUuid,
  listImportAccounts,
  loadUpload,
  releaseUploadBytes,
  saveColumnMapping,
  setAccountServerTimeZone,
  userTimeZone,
} from "~/models/imports/uploads.server.ts";
import { FileClock } from "~/components/imports/file-clock.tsx";
import { selectableTimeZones } from "~/lib/time-zones.server.ts";
import { isServerTimeZone } from "~/schemas/account.ts";

export const meta: MetaFunction = () => [{ title: "Preview import — RawJournal" }];

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request, params }) => {
    const user = await requireUserDb(request);
    const upload = await loadUpload(user.db, user.claims, params.uploadId ?? "");
    if (!upload) throw new AppError("not_found", "This upload has expired or does not exist. Upload the file again.");
    if (upload.batchId) throw redirect(`/trades/imports/${upload.batchId}`);
    const accounts = await listImportAccounts(user.db, user.claims);
    if (accounts.length === 0) throw redirect("/trades/import");
    const wanted = new URL(request.url).searchParams.get("account");
    let accountId = accounts.find((a) => a.id === wanted)?.id ?? accounts.find((a) => a.id === upload.accountId)?.id ?? accounts[0]!.id;
    const first = await previewWithParse(user.db, user.claims, upload, accountId);
    let preview = first.preview;
    // The report names its MT5 login: preselect the account with that login
    // (the file is parsed again only if that account reads it differently).
    const login = preview.kind === "ready" ? preview.headerAccount?.login : null;
    const named = login ? accounts.find((a) => a.mt5Login === login) : undefined;
    if (!wanted && named && named.id !== accountId) {
      accountId = named.id;
      preview = (await previewWithParse(user.db, user.claims, upload, accountId, undefined, first.parse)).preview;
    }
    // The preview is made; a large file's bytes need not wait for the garbage collector.
    releaseUploadBytes(upload);
    return {
      upload: { id: upload.id, fileName: upload.fileName, sizeBytes: upload.sizeBytes },
      accounts,
      accountId,
      preselectedFromHeader: !wanted && named?.id === accountId,
      preview,
      timeZone: await userTimeZone(user.db, user.claims),
      timeZones: selectableTimeZones(),
    };
  });

export const action = (args: ActionFunctionArgs) =>
  handleAction(args, async ({ request, params }) => {
    const user = await requireUserDb(request);
    const uploadId = params.uploadId ?? "";
    const form = await request.formData();
    const intent = String(form.get("intent") ?? "");
    const accountId = String(form.get("accountId") ?? "");
    if (!isUuid(uploadId)) throw new AppError("not_found", "This upload does not exist. Upload the file again.");

    if (intent === "mapping") {
      const mapping: ColumnMapping = {};
      for (const [key, value] of form.entries()) {
        if (key.startsWith("map.")) mapping[key.slice(4)] = typeof value === "string" && value ? value : null;
      }
      const signature = String(form.get("headerSignature") ?? "");
      if (!signature) throw new AppError("bad_request", "The mapping form is incomplete. Reload the page and try again.");
      await saveColumnMapping(user.db, user.claims, uploadId, signature, mapping);
      return redirect(`/trades/import/${uploadId}${isUuid(accountId) ? `?account=${accountId}` : ""}`);
    }

    if (intent === "server-zone") {
      const zone = String(form.get("serverTimeZone") ?? "");
      if (!isUuid(accountId) || !isServerTimeZone(zone)) {
        return data({ status: "error", formError: "Choose the broker's server time zone from the list." } satisfies FormResult, { status: 400 });
      }
      if (!(await setAccountServerTimeZone(user.db, user.claims, accountId, zone))) throw new AppError("not_found", "That account no longer exists.");
      return redirect(`/trades/import/${uploadId}?account=${accountId}`);
    }

    if (intent === "import") {
      if (!isUuid(accountId)) throw new AppError("bad_request", "Choose one of your accounts to import into.");
      const { batchId, timings } = await runImport(pool, user.claims, { uploadId, accountId });
      return redirect(`/trades/imports/${batchId}`, {
        headers: {
          "Server-Timing": `load;dur=${timings.loadMs.toFixed(0)}, parse;dur=${timings.parseMs.toFixed(0)}, store;dur=${timings.storeMs.toFixed(0)}, finish;dur=${timings.finishMs.toFixed(0)}`,
        },
      });
    }

    const unknown: FormResult = { status: "error", formError: "That form isn't recognised. Reload the page and try again." };
    return data(unknown, { status: 400 });
  });

export default function ImportPreviewPage() {
  const { upload, accounts, accountId, preselectedFromHeader, preview, timeZone, timeZones } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as FormResult | undefined;
  const navigation = useNavigation();
  const submit = useSubmit();
  const importing = navigation.state !== "idle" && navigation.formData?.get("intent") === "import";
  const progress = useImportProgress(upload.id, importing);
  const account = accounts.find((a) => a.id === accountId)!;

  return (
    <>
      <PageHeader
        title="Preview import"
        description={`${upload.fileName} · ${(upload.sizeBytes / 1024).toLocaleString("en-US", { maximumFractionDigits: 1 })} KB`}
        actions={
          <Link to="/trades/import" className="btn-secondary">
            Choose another file
          </Link>
        }
      />
      <div className="space-y-6">
        <Form method="get" className="card flex flex-wrap items-end gap-3 p-4 sm:p-5">
          <div className="min-w-0 flex-1">
            <label htmlFor="preview-account" className="block text-sm font-medium text-fg">
              Import into
            </label>
            <select
              id="preview-account"
              name="account"
              defaultValue={accountId}
              className="input mt-1"
              onChange={(event) => submit(event.currentTarget.form, { replace: true })}
            >
              {accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {`${a.name} (${a.currency}${a.mt5Login ? ` · ${a.mt5Login}` : ""})`}
                </option>
              ))}
            </select>
            {preselectedFromHeader ? <p className="mt-1 text-xs text-fg-muted">Chosen because the report names this MT5 login.</p> : null}
          </div>
          <noscript>
            <button type="submit" className="btn-secondary">
              Change account
            </button>
          </noscript>
        </Form>

        {preview.kind === "error" ? (
          <section className="card p-5 sm:p-6" aria-labelledby="file-problem">
            <h2 id="file-problem" className="text-base font-semibold text-fg">
              This file can't be imported
            </h2>
            <div className="mt-3">
              <FormAlert tone="error">{preview.message}</FormAlert>
            </div>
          </section>
        ) : null}

        {preview.kind === "needs-mapping" ? (
          <section className="card p-5 sm:p-6" aria-labelledby="mapping-heading">
            <h2 id="mapping-heading" className="text-base font-semibold text-fg">
              Match the columns
            </h2>
            <div className="mt-4">
              <ColumnMappingForm mapping={preview.mapping} message={preview.message} accountId={accountId} />
            </div>
          </section>
        ) : null}

        {preview.kind === "ready" ? (
          <>
            <section className="card p-5 sm:p-6" aria-labelledby="summary-heading">
              <h2 id="summary-heading" className="text-base font-semibold text-fg">
                {plural(preview.tradeCount - preview.alreadyImported, "new trade")},{" "}
                {plural(preview.alreadyImported, "already imported", "already imported")}
              </h2>
              <dl className="mt-4 grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
                <Fact label="Format">
                  {formatLabel(preview.format)}
                  {preview.language ? ` · ${languageLabel(preview.language)}` : ""}
                </Fact>
                <Fact label="Trades in the file">
                  {plural(preview.tradeCount, "trade")}
                  {preview.openCount ? ` (${preview.openCount.toLocaleString("en-US")} open)` : ""}
                </Fact>
                <Fact label="Cash movements">
                  {plural(preview.cashCount - preview.financingCount, "row")} (deposits, withdrawals, credits, charges)
                  {preview.financingCount
                    ? ` · ${plural(preview.financingCount, "financing row")} (overnight financing, part of the balance like swap)`
                    : ""}
                </Fact>
                <Fact label="Rejected rows">{preview.rejectedCount.toLocaleString("en-US")}</Fact>
                {preview.headerAccount ? (
                  <Fact label="Account in the report">
                    {[
                      preview.headerAccount.login,
                      preview.headerAccount.name,
                      preview.headerAccount.company,
                      preview.headerAccount.server,
                      preview.headerAccount.currency,
                    ]
                      .filter(Boolean)
                      .join(" · ") || "—"}
                  </Fact>
                ) : null}
              </dl>
              <div className="mt-4 border-t border-border pt-4">
                <FileClock
                  format={preview.format}
                  accountId={accountId}
                  accountName={account.name}
                  serverTimeZone={account.serverTimeZone}
                  userTimeZone={timeZone}
                  sampleOpenedAt={preview.firstTrades[0]?.openedAt ?? null}
                  timeZones={timeZones}
                />
              </div>
              {preview.monthlyAllowanceLeft !== null && preview.tradeCount - preview.alreadyImported > preview.monthlyAllowanceLeft ? (
                <div className="mt-4">
                  <UpgradePrompt
                    message={`This file has ${plural(preview.tradeCount - preview.alreadyImported, "new trade")}; the free plan allows ${PLANS.free.monthlyTradeLimit} trades a month and you have ${plural(preview.monthlyAllowanceLeft, "trade")} left this month.`}
                  />
                </div>
              ) : null}
            </section>

            {preview.firstTrades.length ? (
              <section className="card p-5 sm:p-6" aria-labelledby="first-trades">
                <h2 id="first-trades" className="text-base font-semibold text-fg">
                  First {preview.firstTrades.length} trades
                </h2>
                <div className="mt-3">
                  <PreviewTradesTable trades={preview.firstTrades} currency={account.currency} timeZone={timeZone} />
                </div>
              </section>
            ) : null}

            <section className="card p-5 sm:p-6" aria-labelledby="validation-heading">
              <h2 id="validation-heading" className="text-base font-semibold text-fg">
                Validation
              </h2>
              <div className="mt-3">
                <ValidationSummary rejected={preview.rejected} rejectedCount={preview.rejectedCount} warnings={preview.warnings} />
              </div>
            </section>

            <section className="card space-y-4 p-5 sm:p-6" aria-labelledby="confirm-heading">
              <h2 id="confirm-heading" className="text-base font-semibold text-fg">
                Import into {account.name}
              </h2>
              {result?.status === "error" && result.formError ? (
                result.hint === "upgrade" ? (
                  <UpgradePrompt message={result.formError} />
                ) : (
                  <FormAlert tone="error">{result.formError}</FormAlert>
                )
              ) : null}
              {importing ? <ImportProgressBar progress={progress} /> : null}
              <Form method="post" className="flex flex-wrap items-center gap-3">
                <input type="hidden" name="accountId" value={accountId} />
                <button type="submit" name="intent" value="import" className="btn-primary" disabled={importing}>
                  {importing ? "Importing…" : `Import ${plural(preview.tradeCount, "trade")}`}
                </button>
                <span className="text-xs text-fg-muted">
                  Trades already in the account are skipped. You can undo the whole import from the history.
                </span>
              </Form>
            </section>
          </>
        ) : null}
      </div>
    </>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs uppercase tracking-wide text-fg-muted">{label}</dt>
      <dd className="mt-0.5 break-words text-fg">{children}</dd>
    </div>
  );
}
