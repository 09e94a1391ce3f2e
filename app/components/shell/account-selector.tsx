// Which trading account the pages show: all of them, or one (?account=<id>).
import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { Link, useLocation, useSearchParams } from "@remix-run/react";
import type { ShellAccount } from "~/models/shell-types.ts";
import { Icon } from "./icons.tsx";
import { menuContent, menuItem, menuLabel, menuSeparator } from "./menu-styles.ts";

export function AccountSelector({ accounts }: { accounts: ShellAccount[] }) {
  const [params] = useSearchParams();
  const location = useLocation();
  const selected = accounts.find((a) => a.id === params.get("account"));
  const hrefFor = (id: string | null) => {
    const next = new URLSearchParams(params);
    if (id) next.set("account", id);
    else next.delete("account");
    const query = next.toString();
    return `${location.pathname}${query ? `?${query}` : ""}`;
  };

  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger className="btn-secondary max-w-[11rem] px-3 py-1.5 sm:max-w-xs" aria-label="Choose account">
        <Icon name="accounts" className="h-4 w-4 shrink-0 text-fg-muted" />
        <span className="truncate">{selected ? selected.name : "All accounts"}</span>
        <Icon name="chevronDown" className="h-4 w-4 shrink-0 text-fg-muted" />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="start" sideOffset={6} className={menuContent}>
          <DropdownMenu.Label className={menuLabel}>Show trades from</DropdownMenu.Label>
          <DropdownMenu.Item asChild className={menuItem}>
            <Link to={hrefFor(null)}>All accounts</Link>
          </DropdownMenu.Item>
          {accounts.map((account) => (
            <DropdownMenu.Item key={account.id} asChild className={menuItem}>
              <Link to={hrefFor(account.id)}>
                <span className="truncate">{account.name}</span>
                {account.kind === "mt5" ? <span className="ml-auto text-xs text-fg-muted">MT5</span> : null}
              </Link>
            </DropdownMenu.Item>
          ))}
          {accounts.length === 0 ? <p className={menuLabel}>No accounts yet.</p> : null}
          <DropdownMenu.Separator className={menuSeparator} />
          <DropdownMenu.Item asChild className={menuItem}>
            <Link to="/accounts">
              <Icon name="settings" className="h-4 w-4" /> Manage accounts
            </Link>
          </DropdownMenu.Item>
          <DropdownMenu.Item asChild className={menuItem}>
            <Link to="/accounts/connect">
              <Icon name="plus" className="h-4 w-4" /> Add or connect an account
            </Link>
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
