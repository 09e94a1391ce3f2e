// What a downgrade did to an account (public.account_plan_access): a badge and
// one sentence, with the way back. Shown on the accounts list, the account page
// and its trades; nothing for an account within the plan.
import { Link } from "@remix-run/react";
import type { PlanAccess } from "~/models/accounts.types.ts";

const LABEL: Record<Exclude<PlanAccess, "full">, string> = { read_only: "Read-only", no_sync: "Not syncing" };

const SENTENCE: Record<Exclude<PlanAccess, "full">, string> = {
  read_only:
    "Your plan has fewer accounts than you have, so this one is read-only: its trades stay visible, but nothing can be added, changed or deleted until you upgrade.",
  no_sync: "Your plan syncs fewer MT5 accounts than you have, so this one no longer syncs; its trades stay, and file imports still work.",
};

export function PlanAccessBadge({ access }: { access: PlanAccess }) {
  if (access === "full") return null;
  return (
    <span
      data-plan-access={access}
      className="shrink-0 rounded-full border border-amber-400/50 bg-amber-400/10 px-2.5 py-0.5 text-xs font-medium text-amber-200"
    >
      {LABEL[access]}
    </span>
  );
}

export function PlanAccessNotice({ access, className = "" }: { access: PlanAccess; className?: string }) {
  if (access === "full") return null;
  return (
    <div
      role="status"
      data-plan-access-notice={access}
      className={`rounded-md border border-amber-400/40 bg-amber-400/10 px-3 py-2 text-sm text-amber-100 ${className}`}
    >
      <PlanAccessBadge access={access} /> {SENTENCE[access]}{" "}
      <Link to="/settings/billing" className="font-medium underline underline-offset-2 hover:text-white focus-visible:text-white">
        Settings → Billing
      </Link>
    </div>
  );
}
