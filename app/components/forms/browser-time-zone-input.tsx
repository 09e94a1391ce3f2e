// A hidden field the browser fills with its IANA time zone after hydration, so
// a new account starts in the user's zone. Without JavaScript it stays empty
// and the account starts in UTC (changeable in Settings).
import { useEffect, useState } from "react";

export function BrowserTimeZoneInput({ name = "timeZone" }: { name?: string }) {
  const [zone, setZone] = useState("");
  useEffect(() => {
    setZone(Intl.DateTimeFormat().resolvedOptions().timeZone ?? "");
  }, []);
  return <input type="hidden" name={name} value={zone} />;
}
