import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { AccountCard } from "~/components/accounts/account-card.tsx";
import { FormAlert } from "~/components/forms/form-alert.tsx";
import { PageHeader } from "~/components/page-header.tsx";
import { Icon } from "~/components/shell/icons.tsx";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleLoader } from "~/lib/route-handler.server.ts";
import { listAccounts, type AccountLimits, type PlanAccountLimits } from "~/models/accounts.server.ts";

export const meta: MetaFunction = () => [{ title: "Accounts — RawJournal" }];

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => {
    const user = await requireUserDb(request);
    return listAccounts(user.db, user.claims);
  });

// Redirects name the outcome; the text lives here, never in the URL.
const OUTCOMES = {
  created: { tone: "success", text: "Account created." },
  deleted: { tone: "info", text: "The account and everything in it were deleted." },
} as const;

export default function Accounts() {
  const { accounts, limits, plans } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const outcome = params.has("created") ? OUTCOMES.created : params.has("deleted") ? OUTCOMES.deleted : null;

  return (
    <>
      <PageHeader
        title="Accounts"
        description="Your trading accounts, manual and MT5, with their balances."
        actions={
          <div className="flex flex-wrap gap-2">
            <Link to="/accounts/new" className="btn-primary">
              <Icon name="plus" className="h-4 w-4" /> New account
            </Link>
            <Link to="/accounts/connect" className="btn-secondary">
              <Icon name="plug" className="h-4 w-4" /> Connect MT5
            </Link>
          </div>
        }
      />
      {outcome ? (
        <div className="mb-6">
          <FormAlert tone={outcome.tone}>{outcome.text}</FormAlert>
        </div>
      ) : null}
      <PlanUsage limits={limits} plans={plans} />
      {accounts.length === 0 ? (
        <div className="card p-6 sm:p-8">
          <h2 className="text-base font-semibold text-fg">No accounts yet</h2>
          <p className="mt-1 max-w-prose text-sm text-fg-muted">
            Create a manual account to enter or import trades, or connect an MT5 account to sync them.
          </p>
          <Link to="/accounts/new" className="btn-primary mt-4">
            Create your first account
          </Link>
        </div>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
          {accounts.map((account) => (
            <AccountCard key={account.id} account={account} />
          ))}
        </ul>
      )}
    </>
  );
}

const tierName = (tier: string) => `${tier.charAt(0).toUpperCase()}${tier.slice(1)}`;

function planAllowance(plan: PlanAccountLimits): string {
  const accounts = plan.maxAccounts === null ? "unlimited accounts" : `${plan.maxAccounts} account${plan.maxAccounts === 1 ? "" : "s"}`;
  const mt5 = plan.maxMt5Accounts === 0 ? "no MT5 sync" : `${plan.maxMt5Accounts} with MT5 sync`;
  return `${tierName(plan.tier)}: ${accounts}, ${mt5}`;
}

function PlanUsage({ limits, plans }: { limits: AccountLimits; plans: PlanAccountLimits[] }) {
  const accountsText =
    limits.maxAccounts === null
      ? `${limits.total} account${limits.total === 1 ? "" : "s"}, no limit`
      : `${limits.total} of ${limits.maxAccounts} account${limits.maxAccounts === 1 ? "" : "s"} used`;
  const mt5Text =
    limits.maxMt5Accounts === 0
      ? "MT5 sync not included"
      : `${limits.mt5} of ${limits.maxMt5Accounts} MT5 account${limits.maxMt5Accounts === 1 ? "" : "s"} connected`;
  const full = limits.maxAccounts !== null && limits.total >= limits.maxAccounts;
  const mt5Full = limits.mt5 >= limits.maxMt5Accounts;
  // Only offer an upgrade some plan actually gives.
  const moreAccounts = full && plans.some((plan) => plan.maxAccounts === null || plan.maxAccounts > limits.total);
  const moreMt5 = mt5Full && plans.some((plan) => plan.maxMt5Accounts > limits.maxMt5Accounts);
  return (
    <section aria-label="Plan limits" className="mb-6 rounded-lg border border-border bg-raised/50 px-4 py-3 text-sm">
      <div className="flex flex-wrap items-center justify-between gap-x-6 gap-y-2">
        <p className="text-fg-muted">
          <span className="font-medium text-fg">{tierName(limits.tier)} plan:</span> {accountsText} · {mt5Text}
        </p>
        {moreAccounts || moreMt5 ? (
          <Link to="/pricing" className="link">
            {moreAccounts ? "Upgrade for more accounts" : limits.maxMt5Accounts === 0 ? "Upgrade for MT5 sync" : "Upgrade for more MT5 accounts"}
          </Link>
        ) : null}
      </div>
      <p className="mt-1 text-xs text-fg-subtle">{plans.map(planAllowance).join(" · ")}</p>
    </section>
  );
}
