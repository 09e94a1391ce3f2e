import { NavLink, Outlet } from "@remix-run/react";
import { PageHeader } from "~/components/page-header.tsx";

const SECTIONS = [
  { to: "/settings/profile", label: "Profile" },
  { to: "/settings/tags", label: "Tags" },
  { to: "/settings/billing", label: "Billing" },
];

export default function Settings() {
  return (
    <>
      <PageHeader title="Settings" />
      <nav aria-label="Settings sections" className="mb-6 flex gap-1 border-b border-border">
        {SECTIONS.map((section) => (
          <NavLink
            key={section.to}
            to={section.to}
            className={({ isActive }) =>
              `-mb-px border-b-2 px-3 py-2 text-sm font-medium ${isActive ? "border-accent text-fg" : "border-transparent text-fg-muted hover:text-fg"}`
            }
          >
            {section.label}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </>
  );
}
