// Which clock a file's times were read in, said on the preview: MT5 and MT4
// reports and CSV files print the broker server's wall time, which the import
// converts to UTC with the account's server zone. The panel names that zone,
// shows one trade as "file time → your time", and lets the user correct the
// zone right here (the preview is read again with it). JSON exports carry UTC.
import { Form } from "@remix-run/react";
import { serverTimeZoneLabel } from "~/components/accounts/account-fields.tsx";
import { NEW_YORK_CLOSE_ZONE } from "~/schemas/account.ts";
import { utcToServerEpochSeconds } from "~/domain/server-time.ts";
import { formatDateTime } from "~/lib/format.ts";

/** The wall time a broker server with `zone` printed for an instant: "2026-03-02 09:15". */
export function serverWallTime(at: string, zone: string): string {
  return new Date(utcToServerEpochSeconds(new Date(at), zone) * 1000).toISOString().slice(0, 16).replace("T", " ");
}

export function FileClock({
  format,
  accountId,
  accountName,
  serverTimeZone,
  userTimeZone,
  sampleOpenedAt,
  timeZones,
}: {
  format: string;
  accountId: string;
  accountName: string;
  serverTimeZone: string;
  userTimeZone: string;
  sampleOpenedAt: string | null;
  timeZones: string[];
}) {
  if (format === "json") {
    return (
      <p className="text-sm text-fg-muted" data-file-clock="utc">
        Times in this file carry their zone (UTC); they are shown in your time zone, {userTimeZone.replaceAll("_", " ")}.
      </p>
    );
  }
  const zones = [NEW_YORK_CLOSE_ZONE, ...timeZones.filter((zone) => zone !== NEW_YORK_CLOSE_ZONE)];
  return (
    <div className="space-y-3" data-file-clock={serverTimeZone}>
      <p className="text-sm text-fg">
        Times in this file were read as <strong>{serverTimeZoneLabel(serverTimeZone)}</strong>, the broker server clock of {accountName}, and are
        shown in your time zone, {userTimeZone.replaceAll("_", " ")}.
      </p>
      {sampleOpenedAt ? (
        <p className="text-sm tabular-nums text-fg-muted" data-file-clock-sample>
          First trade opened: file {serverWallTime(sampleOpenedAt, serverTimeZone)} → your time {formatDateTime(sampleOpenedAt, userTimeZone)}
        </p>
      ) : null}
      <Form method="post" className="flex flex-wrap items-end gap-2">
        <input type="hidden" name="accountId" value={accountId} />
        <div className="min-w-0">
          <label htmlFor="file-clock-zone" className="mb-1 block text-xs font-medium text-fg-muted">
            The file's clock (the account's server time zone)
          </label>
          <select id="file-clock-zone" name="serverTimeZone" defaultValue={serverTimeZone} className="input py-1.5">
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {serverTimeZoneLabel(zone)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" name="intent" value="server-zone" className="btn-secondary py-1.5">
          Read the file again
        </button>
      </Form>
    </div>
  );
}
