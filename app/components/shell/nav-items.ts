import type { IconName } from "./icons.tsx";

export interface NavItem {
  to: string;
  label: string;
  icon: IconName;
}

export const NAV_ITEMS: NavItem[] = [
  { to: "/dashboard", label: "Dashboard", icon: "dashboard" },
  { to: "/trades", label: "Trades", icon: "trades" },
  { to: "/accounts", label: "Accounts", icon: "accounts" },
  { to: "/analytics", label: "Analytics", icon: "analytics" },
  { to: "/journal", label: "Journal", icon: "journal" },
  { to: "/playbooks", label: "Playbooks", icon: "playbooks" },
  { to: "/charts", label: "Charts", icon: "charts" },
  { to: "/settings", label: "Settings", icon: "settings" },
];

/** The phone tab bar shows these; the rest live behind "More". */
export const TAB_ITEMS = NAV_ITEMS.filter((item) => ["/dashboard", "/trades", "/journal"].includes(item.to));
export const MORE_ITEMS = NAV_ITEMS.filter((item) => !TAB_ITEMS.includes(item));
