// The bar above every signed-in page: account selector, sync status and the
// user menu (the logo too on phones, where there is no sidebar).
import type { ShellData } from "~/models/shell-types.ts";
import { Logo } from "../ui/logo.tsx";
import { AccountSelector } from "./account-selector.tsx";
import { SyncStatusDot } from "./sync-status-dot.tsx";
import { UserMenu } from "./user-menu.tsx";

export function AppHeader({ shell }: { shell: ShellData }) {
  return (
    <header className="sticky top-0 z-20 flex h-14 items-center gap-3 border-b border-border bg-bg/95 px-4 backdrop-blur sm:px-6">
      <div className="md:hidden">
        <Logo to="/dashboard" compact />
      </div>
      <AccountSelector accounts={shell.accounts} />
      <div className="ml-auto flex items-center gap-3">
        <SyncStatusDot />
        <UserMenu user={shell.user} />
      </div>
    </header>
  );
}
