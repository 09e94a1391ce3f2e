// Placeholder for sections that later work fills in; keeps the navigation
// honest about what exists today.
import { Link } from "@remix-run/react";
import { PageHeader } from "./page-header.tsx";

export function ComingSoon({ title, description }: { title: string; description: string }) {
  return (
    <>
      <PageHeader title={title} />
      <div className="card p-6 sm:p-8">
        <p className="inline-flex rounded-full border border-border px-2.5 py-0.5 text-xs font-medium text-fg-muted">Coming soon</p>
        <p className="mt-3 max-w-prose text-sm text-fg-muted">{description}</p>
        <Link to="/dashboard" className="link mt-4 inline-block text-sm">
          Back to the dashboard
        </Link>
      </div>
    </>
  );
}
