// What an empty journal shows: three ways to get the first trades in.
import { Link } from "@remix-run/react";
import { Icon, type IconName } from "~/components/shell/icons.tsx";

const STARTS: { to: string; icon: IconName; title: string; body: string; cta: string }[] = [
  {
    to: "/trades/new",
    icon: "plus",
    title: "Add a trade",
    body: "Type in a trade you took: symbol, direction, prices and size. Good for a first look.",
    cta: "Add a trade",
  },
  {
    to: "/trades/import",
    icon: "upload",
    title: "Import a file",
    body: "Bring your history from an MT5 or MT4 report, a CSV or a JSON export.",
    cta: "Import a file",
  },
  {
    to: "/accounts/connect",
    icon: "plug",
    title: "Connect MT5",
    body: "Link your account with its read-only investor password and trades arrive by themselves.",
    cta: "Connect MT5",
  },
];

export function GettingStarted() {
  return (
    <ul className="grid gap-4 md:grid-cols-3">
      {STARTS.map((start) => (
        <li key={start.to} className="card flex flex-col p-5">
          <span className="flex h-10 w-10 items-center justify-center rounded-lg bg-accent-muted text-indigo-100">
            <Icon name={start.icon} className="h-5 w-5" />
          </span>
          <h2 className="mt-4 text-base font-semibold text-fg">{start.title}</h2>
          <p className="mt-1 flex-1 text-sm leading-relaxed text-fg-muted">{start.body}</p>
          <Link to={start.to} className="btn-primary mt-5 w-full sm:w-auto">
            {start.cta}
          </Link>
        </li>
      ))}
    </ul>
  );
}
