// An MT5 account's connection, on the account's page: its sync state (and why
// it is paused), "Reconnect" with a new investor password (verified with the
// broker before anything changes; it also lifts a pause) and "Disconnect"
// (sync stops, the stored password is deleted, the history stays).
import { Form, useLocation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { FieldError } from "~/components/forms/field.tsx";
import { FormAlert } from "~/components/forms/form-alert.tsx";
import { SubmitButton } from "~/components/forms/submit-button.tsx";
import { useValidatedForm } from "~/components/forms/use-validated-form.ts";
import type { FormResult } from "~/lib/form-result.ts";
import { formatDateTime } from "~/lib/format.ts";
import type { Mt5SyncDetails } from "~/models/mt5-connection.types.ts";
import { disconnectMt5Schema, reconnectMt5Schema } from "~/schemas/mt5-connection.ts";
import { CheckingWithBroker, InvestorPasswordField } from "./connect-mt5-fields.tsx";

const STATUS_TEXT: Record<string, string> = {
  idle: "Waiting for the first sync",
  pending: "Waiting for the next sync",
  syncing: "Syncing",
  ok: "Syncing",
  error: "The last sync failed; it is retried at the next interval",
};

function describe(connection: Mt5SyncDetails): { tone: "success" | "info" | "error"; text: string } {
  if (!connection.syncEnabled || !connection.hasCredentials) {
    return { tone: "info", text: "Disconnected: sync is off and no password is stored. Reconnect with the investor password to sync again." };
  }
  if (connection.syncStatus === "paused") {
    const reason = connection.syncError ?? connection.pausedReason ?? "The broker refused the login several times.";
    return { tone: "error", text: `Sync is paused. ${reason} Enter the current investor password below to resume.` };
  }
  const last = connection.lastSyncedAt ? ` · last synced ${formatDateTime(connection.lastSyncedAt, connection.timeZone, { seconds: true })}` : "";
  const base = STATUS_TEXT[connection.syncStatus] ?? "Syncing";
  return { tone: connection.syncStatus === "error" ? "error" : "success", text: `${base}${last}.` };
}

export function Mt5ConnectionSection({
  accountId,
  accountName,
  connection,
  reconnected,
  reconnectResult,
  disconnectResult,
}: {
  accountId: string;
  accountName: string;
  connection: Mt5SyncDetails;
  reconnected: boolean;
  reconnectResult?: FormResult;
  disconnectResult?: FormResult;
}) {
  const reconnect = useValidatedForm(reconnectMt5Schema, reconnectResult);
  const disconnect = useValidatedForm(disconnectMt5Schema, disconnectResult);
  const action = `/accounts/${accountId}`;
  const state = describe(connection);
  // Each answer (and the page after a reconnect) empties the password field.
  const location = useLocation();
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (reconnectResult) setAttempt((count) => count + 1);
  }, [reconnectResult]);
  const connected = connection.syncEnabled && connection.hasCredentials;

  return (
    <div className="space-y-6">
      <div className="space-y-3">
        <p className="text-sm text-fg-muted">
          Login <span className="font-medium tabular-nums text-fg">{connection.login}</span> on{" "}
          <span className="font-medium text-fg">{connection.server}</span>
        </p>
        <FormAlert tone={state.tone}>{state.text}</FormAlert>
        {reconnected ? <FormAlert tone="success">Reconnected. The new password is stored and sync resumes.</FormAlert> : null}
      </div>

      <Form method="post" action={action} noValidate onSubmit={reconnect.onSubmit} className="max-w-2xl space-y-4">
        <h3 className="text-sm font-semibold text-fg">Reconnect</h3>
        {reconnect.formError ? <FormAlert tone="error">{reconnect.formError}</FormAlert> : null}
        <CheckingWithBroker action={action} intent="reconnect" />
        <InvestorPasswordField
          key={`${location.key}-${attempt}`}
          label="New investor password"
          error={reconnect.error("investorPassword")}
          onChange={() => reconnect.clearFieldError("investorPassword")}
        />
        <SubmitButton intent="reconnect" pendingLabel="Checking with your broker…">
          Reconnect
        </SubmitButton>
      </Form>

      {connected ? (
        <Form method="post" action={action} noValidate onSubmit={disconnect.onSubmit} className="max-w-2xl space-y-4 border-t border-border pt-5">
          <h3 className="text-sm font-semibold text-fg">Disconnect</h3>
          {disconnect.formError ? <FormAlert tone="error">{disconnect.formError}</FormAlert> : null}
          {disconnectResult?.status === "success" && disconnectResult.message ? (
            <FormAlert tone="success">{disconnectResult.message}</FormAlert>
          ) : null}
          <div>
            <label className="flex items-start gap-3 text-sm text-fg">
              <input
                type="checkbox"
                name="confirmed"
                value="yes"
                required
                aria-invalid={disconnect.error("confirmed") ? true : undefined}
                aria-describedby={disconnect.error("confirmed") ? "disconnect-confirmed-error" : undefined}
                onChange={() => disconnect.clearFieldError("confirmed")}
                className="mt-0.5 h-4 w-4 accent-indigo-500"
              />
              <span>
                Stop syncing {accountName} and delete its stored investor password. Its trades stay; the account keeps its place in your plan until
                you delete it.
              </span>
            </label>
            <FieldError id="disconnect-confirmed-error" message={disconnect.error("confirmed")} />
          </div>
          <SubmitButton intent="disconnect" variant="secondary" pendingLabel="Disconnecting…">
            Disconnect
          </SubmitButton>
        </Form>
      ) : null}
    </div>
  );
}
