// The time zones a user can choose: what this server's ICU knows, in the
// form the database accepts. Computed once per process.
import { isTimeZone } from "~/schemas/fields.ts";

let zones: string[] | null = null;

export function selectableTimeZones(): string[] {
  zones ??= ["UTC", ...Intl.supportedValuesOf("timeZone").filter((zone) => zone !== "UTC" && isTimeZone(zone))];
  return zones;
}
