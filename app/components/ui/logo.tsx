import { Link } from "@remix-run/react";

export function Logo({ to = "/", compact = false }: { to?: string; compact?: boolean }) {
  return (
    <Link to={to} className="inline-flex items-center gap-2 rounded-md text-lg font-semibold tracking-tight text-fg">
      <svg aria-hidden="true" viewBox="0 0 24 24" className="h-6 w-6 shrink-0 text-accent" fill="none" stroke="currentColor" strokeWidth="2">
        <path d="M4 19V5m0 14h16M8 15l3-4 3 2 5-6" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      <span className={compact ? "sr-only" : undefined}>
        Raw<span className="text-accent-hover">Journal</span>
      </span>
    </Link>
  );
}
