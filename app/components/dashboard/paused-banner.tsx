// Accounts whose sync stopped after repeated login failures, each with the
// jobs process's reason and the way to fix it (a new investor password).
import { Link } from "@remix-run/react";
import type { DashboardAccount } from "~/models/dashboard.types.ts";

export function PausedAccountsBanner({ accounts }: { accounts: DashboardAccount[] }) {
  const paused = accounts.filter((a) => a.kind === "mt5" && a.syncEnabled && a.syncStatus === "paused");
  if (paused.length === 0) return null;
  return (
    <div role="alert" className="space-y-2 rounded-md border border-amber-500/40 bg-amber-500/10 px-4 py-3 text-sm text-amber-200">
      {paused.map((account) => (
        <p key={account.id}>
          <span className="font-medium">Sync is paused for {account.name}.</span>{" "}
          {account.syncError ?? account.pausedReason ?? "The broker refused the login several times."}{" "}
          <Link to={`/accounts/${account.id}#connection`} className="font-medium text-amber-100 underline underline-offset-4 hover:text-white">
            Reconnect {account.name}
          </Link>
        </p>
      ))}
    </div>
  );
}
