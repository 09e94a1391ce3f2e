// One card per account: balance, equity, floating P&L and margin as the broker
// last reported them (manual accounts: the balance from their ledger), with
// the account's sync state and when it last synced.
import { Link } from "@remix-run/react";
import { pnlTone } from "~/components/trades/pnl-text.tsx";
import type { LiveAccount } from "~/domain/sync/live-rows.ts";
import { formatDateTime, formatMoney } from "~/lib/format.ts";

const SYNC_LABEL: Record<LiveAccount["syncStatus"], { text: string; dot: string }> = {
  idle: { text: "Waiting to sync", dot: "bg-fg-subtle" },
  pending: { text: "First sync pending", dot: "bg-fg-subtle" },
  syncing: { text: "Syncing", dot: "bg-profit" },
  ok: { text: "Synced", dot: "bg-profit" },
  error: { text: "Last sync failed", dot: "bg-loss" },
  paused: { text: "Sync paused", dot: "bg-amber-400" },
};

function Figure({ label, value, tone = "text-fg", testId }: { label: string; value: string; tone?: string; testId: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-fg-muted">{label}</dt>
      <dd className={`mt-0.5 truncate text-base font-semibold tabular-nums ${tone}`} data-figure={testId}>
        {value}
      </dd>
    </div>
  );
}

export function AccountCard({ account, floating, timeZone }: { account: LiveAccount; floating: string | null; timeZone: string }) {
  const mt5 = account.kind === "mt5";
  const sync = mt5 ? (account.syncEnabled ? SYNC_LABEL[account.syncStatus] : { text: "Disconnected", dot: "bg-fg-subtle" }) : null;
  const balance = mt5 ? (account.balance ?? account.ledgerBalance) : account.ledgerBalance;
  // Before its first sync an MT5 account has no figures yet: "$0.00" would read as lost money.
  const firstSync = mt5 && account.lastSyncedAt === null && account.balance === null && account.syncEnabled && account.syncStatus !== "paused";
  return (
    <li className="card p-4 sm:p-5" aria-labelledby={`account-${account.id}-name`} data-account-id={account.id}>
      <div className="flex flex-wrap items-start justify-between gap-x-3 gap-y-1">
        <h2 id={`account-${account.id}-name`} className="min-w-0 truncate text-sm font-semibold text-fg">
          <Link to={`/accounts/${account.id}`} className="hover:underline">
            {account.name}
          </Link>
        </h2>
        <span className="text-xs text-fg-subtle">
          {mt5 ? "MT5" : "Manual"} · {account.currency}
        </span>
      </div>
      {firstSync ? (
        <p className="mt-3 flex items-center gap-2 text-sm text-fg-muted" aria-busy="true" data-first-sync>
          <span aria-hidden="true" className="h-3 w-3 shrink-0 animate-spin rounded-full border-2 border-fg-subtle border-t-transparent" />
          Syncing… reading the account and its history from MT5; the figures appear in a few seconds.
        </p>
      ) : (
        <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-3">
          <Figure label="Balance" value={formatMoney(balance, account.currency)} testId="balance" />
          <Figure label="Equity" value={mt5 ? formatMoney(account.equity, account.currency) : "—"} testId="equity" />
          <Figure
            label="Floating P&L"
            value={mt5 ? formatMoney(floating ?? "0", account.currency, { signed: true }) : "—"}
            tone={mt5 ? pnlTone(floating ?? "0") : "text-fg"}
            testId="floating"
          />
          <Figure label="Free margin" value={mt5 ? formatMoney(account.freeMargin, account.currency) : "—"} testId="free-margin" />
        </dl>
      )}
      {mt5 && account.margin !== null ? (
        <p className="mt-2 text-xs text-fg-muted">
          Margin in use{" "}
          <span className="tabular-nums text-fg" data-figure="margin">
            {formatMoney(account.margin, account.currency)}
          </span>
        </p>
      ) : null}
      {sync ? (
        <p className="mt-3 flex items-center gap-2 text-xs text-fg-muted" data-sync-status={account.syncStatus}>
          <span aria-hidden="true" className={`h-1.5 w-1.5 shrink-0 rounded-full ${sync.dot}`} />
          <span>
            {sync.text}
            {account.lastSyncedAt ? ` · last ${formatDateTime(account.lastSyncedAt, timeZone, { seconds: true })}` : ""}
          </span>
        </p>
      ) : null}
    </li>
  );
}
