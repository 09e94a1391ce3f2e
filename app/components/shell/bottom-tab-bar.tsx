// Phone navigation: four tabs fixed to the bottom of the screen, clear of the
// home indicator (safe-area inset). No prefetch on intent, as in the sidebar.
import { NavLink } from "@remix-run/react";
import { Icon } from "./icons.tsx";
import { MoreSheet } from "./more-sheet.tsx";
import { TAB_ITEMS } from "./nav-items.ts";

const tabClassName = (active: boolean) =>
  `flex flex-1 flex-col items-center justify-center gap-0.5 py-2 text-[11px] font-medium ${active ? "text-accent-hover" : "text-fg-muted hover:text-fg"}`;

export function BottomTabBar() {
  return (
    <nav
      aria-label="Main"
      className="fixed inset-x-0 bottom-0 z-30 flex border-t border-border bg-surface/95 pb-[env(safe-area-inset-bottom)] backdrop-blur md:hidden"
    >
      {TAB_ITEMS.map((item) => (
        <NavLink key={item.to} to={item.to} className={({ isActive }) => tabClassName(isActive)}>
          <Icon name={item.icon} className="h-5 w-5" />
          <span>{item.label}</span>
        </NavLink>
      ))}
      <MoreSheet tabClassName={tabClassName} />
    </nav>
  );
}
