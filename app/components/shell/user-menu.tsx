// The signed-in person's menu: who they are, settings, and signing out on
// this device or on every device.
import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { Link, useSubmit } from "@remix-run/react";
import type { ShellUser } from "~/models/shell-types.ts";
import { Icon } from "./icons.tsx";
import { menuContent, menuItem, menuLabel, menuSeparator } from "./menu-styles.ts";

export function initialsOf(user: ShellUser): string {
  const source = user.fullName?.trim() || user.email;
  const parts = source.split(/[\s@._-]+/).filter(Boolean);
  return ((parts[0]?.[0] ?? "?") + (parts.length > 1 && user.fullName ? (parts.at(-1)?.[0] ?? "") : "")).toUpperCase();
}

export function UserMenu({ user }: { user: ShellUser }) {
  const submit = useSubmit();
  const signOut = (scope: "local" | "global") => submit({ scope }, { method: "post", action: "/logout" });
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        className="flex h-9 w-9 items-center justify-center rounded-full bg-accent-muted text-sm font-semibold text-indigo-100 hover:bg-accent"
        aria-label="Account menu"
      >
        {initialsOf(user)}
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="end" sideOffset={6} className={menuContent}>
          <div className="px-3 py-2">
            <p className="truncate font-medium text-fg">{user.fullName || "Your account"}</p>
            <p className="truncate text-xs text-fg-muted">{user.email}</p>
          </div>
          <DropdownMenu.Separator className={menuSeparator} />
          <DropdownMenu.Item asChild className={menuItem}>
            <Link to="/settings/profile">
              <Icon name="user" className="h-4 w-4" /> Profile and settings
            </Link>
          </DropdownMenu.Item>
          {user.isAdmin ? (
            <DropdownMenu.Item asChild className={menuItem}>
              <Link to="/admin/sync">
                <Icon name="settings" className="h-4 w-4" /> Sync engine (admin)
              </Link>
            </DropdownMenu.Item>
          ) : null}
          <DropdownMenu.Separator className={menuSeparator} />
          <DropdownMenu.Label className={menuLabel}>Sign out</DropdownMenu.Label>
          <DropdownMenu.Item className={menuItem} onSelect={() => signOut("local")}>
            <Icon name="signOut" className="h-4 w-4" /> Sign out on this device
          </DropdownMenu.Item>
          <DropdownMenu.Item className={menuItem} onSelect={() => signOut("global")}>
            <Icon name="signOut" className="h-4 w-4" /> Sign out everywhere
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
