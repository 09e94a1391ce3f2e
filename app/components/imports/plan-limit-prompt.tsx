// The free plan's refusal of an import: how many trades the file has, how many
// are left this month, and the way to a bigger plan.
import { Link } from "@remix-run/react";

export function PlanLimitPrompt({ message }: { message: string }) {
  return (
    <div role="alert" className="rounded-md border border-amber-500/40 bg-amber-500/10 px-4 py-3 text-sm text-amber-200">
      <p className="font-medium">{message}</p>
      <p className="mt-2">
        <Link to="/#pricing" className="font-medium text-amber-100 underline underline-offset-4 hover:text-white">
          Compare plans and upgrade
        </Link>
      </p>
    </div>
  );
}
