// A message about a whole form: an error (role=alert) or a confirmation (role=status).
import type { ReactNode } from "react";

export function FormAlert({ tone, children }: { tone: "error" | "success" | "info"; children: ReactNode }) {
  const styles = {
    error: "border-red-500/40 bg-red-500/10 text-red-300",
    success: "border-green-500/40 bg-green-500/10 text-green-300",
    info: "border-accent/40 bg-accent/10 text-indigo-200",
  }[tone];
  return (
    <div role={tone === "error" ? "alert" : "status"} className={`rounded-md border px-3 py-2 text-sm ${styles}`}>
      {children}
    </div>
  );
}
