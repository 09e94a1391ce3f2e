// What a plan limit's refusal shows, wherever it happens (a new account, an
// import, a manual trade): what was refused and the way to a bigger plan. The
// same prompt answers the app's own check and the database trigger's refusal.
import { Link } from "@remix-run/react";
import { UPGRADE_PATH } from "~/schemas/trade-form.ts";

export function UpgradePrompt({
  message,
  title,
  linkLabel = "Compare plans and upgrade",
}: {
  message: string;
  /** A heading above the message, for a refusal that needs naming. */
  title?: string;
  linkLabel?: string;
}) {
  return (
    <div role="alert" className="rounded-md border border-amber-500/40 bg-amber-500/10 px-4 py-3 text-sm text-amber-200">
      {title ? <p className="font-semibold text-amber-100">{title}</p> : null}
      <p className={title ? "mt-1" : "font-medium"}>{message}</p>
      <p className="mt-2">
        <Link to={UPGRADE_PATH} className="font-medium text-amber-100 underline underline-offset-4 hover:text-white">
          {linkLabel}
        </Link>
      </p>
    </div>
  );
}
