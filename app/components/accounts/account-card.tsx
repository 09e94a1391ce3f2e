// One account in the /accounts list: what it is, where it trades and what it holds.
import { Link } from "@remix-run/react";
import { formatMoney } from "~/lib/format.ts";
import type { AccountSummary } from "~/models/accounts.types.ts";
import { serverTimeZoneLabel } from "./account-fields.tsx";
import { PlanAccessNotice } from "./plan-access-notice.tsx";

export function AccountCard({ account }: { account: AccountSummary }) {
  return (
    <li className="card flex min-w-0 flex-col p-5">
      <div className="flex items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 className="truncate text-base font-semibold text-fg">
            <Link to={`/accounts/${account.id}`} className="hover:underline focus-visible:underline">
              {account.name}
            </Link>
          </h2>
          <p className="truncate text-sm text-fg-muted">{account.broker ?? "No broker set"}</p>
        </div>
        <span className="shrink-0 rounded-full border border-border px-2.5 py-0.5 text-xs font-medium text-fg-muted">
          {account.kind === "mt5" ? "MT5" : "Manual"}
        </span>
      </div>
      <PlanAccessNotice access={account.planAccess} className="mt-3" />
      <p className="mt-4 text-2xl font-semibold tabular-nums text-fg" aria-label={`Balance ${formatMoney(account.balance, account.currency)}`}>
        {formatMoney(account.balance, account.currency)}
      </p>
      <p className="text-xs text-fg-subtle">Balance · started at {formatMoney(account.initialBalance, account.currency)}</p>
      <dl className="mt-4 grid grid-cols-2 gap-x-4 gap-y-2 text-sm">
        <Fact label="Currency" value={account.currency} />
        <Fact label="Trades" value={account.tradeCount.toLocaleString("en-US")} />
        <Fact label="Positions" value={account.marginMode === "netting" ? "Netting" : "Hedging"} />
        <Fact label="Server time" value={serverTimeZoneLabel(account.serverTimeZone)} wide />
      </dl>
      <div className="mt-auto pt-4">
        <Link to={`/accounts/${account.id}`} className="link text-sm">
          Edit {account.kind === "mt5" ? "account" : "account and instruments"}
          <span className="sr-only"> {account.name}</span>
        </Link>
      </div>
    </li>
  );
}

function Fact({ label, value, wide }: { label: string; value: string; wide?: boolean }) {
  return (
    <div className={wide ? "col-span-2 min-w-0" : "min-w-0"}>
      <dt className="text-xs text-fg-subtle">{label}</dt>
      <dd className="truncate text-fg" title={value}>
        {value}
      </dd>
    </div>
  );
}
