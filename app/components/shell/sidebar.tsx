// The desktop sidebar. Collapsing it is a form post (works without
// JavaScript) remembered in a cookie, so the server renders it the same way
// next time and nothing shifts on load.
//
// Its links do not prefetch on intent: signed-in data is answered `no-store`,
// so a prefetched `.data` can never serve the click and only doubled each
// click's loaders on the server (docs/benchmarks.md, "Load test").
import { NavLink, useFetcher, useLocation } from "@remix-run/react";
import { Logo } from "../ui/logo.tsx";
import { Icon } from "./icons.tsx";
import { NAV_ITEMS } from "./nav-items.ts";

export function Sidebar({ collapsed: savedCollapsed }: { collapsed: boolean }) {
  const fetcher = useFetcher();
  const location = useLocation();
  const pending = fetcher.formData?.get("collapsed");
  const collapsed = pending ? pending === "true" : savedCollapsed;

  return (
    <aside
      className={`sticky top-0 hidden h-screen shrink-0 flex-col border-r border-border bg-surface md:flex ${collapsed ? "w-16" : "w-60"}`}
      aria-label="Main"
    >
      <div className={`flex h-14 items-center border-b border-border ${collapsed ? "justify-center" : "px-4"}`}>
        <Logo to="/dashboard" compact={collapsed} />
      </div>
      <nav className="flex-1 space-y-1 overflow-y-auto p-2">
        {NAV_ITEMS.map((item) => (
          <NavLink
            key={item.to}
            to={item.to}
            title={collapsed ? item.label : undefined}
            className={({ isActive }) =>
              `flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium transition-colors ${
                isActive ? "bg-raised text-fg" : "text-fg-muted hover:bg-raised hover:text-fg"
              } ${collapsed ? "justify-center px-0" : ""}`
            }
          >
            <Icon name={item.icon} className="h-5 w-5 shrink-0" />
            <span className={collapsed ? "sr-only" : undefined}>{item.label}</span>
          </NavLink>
        ))}
      </nav>
      <fetcher.Form method="post" action="/preferences/sidebar" className="border-t border-border p-2">
        <input type="hidden" name="collapsed" value={collapsed ? "false" : "true"} />
        <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
        <button
          type="submit"
          className={`btn-ghost w-full ${collapsed ? "px-0" : "justify-start"}`}
          aria-label={collapsed ? "Expand sidebar" : "Collapse sidebar"}
        >
          <Icon name={collapsed ? "chevronsRight" : "chevronsLeft"} className="h-5 w-5" />
          {collapsed ? null : <span>Collapse</span>}
        </button>
      </fetcher.Form>
    </aside>
  );
}
