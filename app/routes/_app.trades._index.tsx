// /trades: every trade of the signed-in user, filtered, sorted and paged on the
// server from the URL (app/schemas/trade-filters.ts), with bulk delete and a
// CSV export of the filtered set.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { useEffect, useMemo, useState } from "react";
import { FormAlert } from "~/components/forms/form-alert.tsx";
import { PageHeader } from "~/components/page-header.tsx";
import { Icon } from "~/components/shell/icons.tsx";
import { ConfirmDialog } from "~/components/trades/confirm-dialog.tsx";
import { Pagination } from "~/components/trades/pagination.tsx";
import { SortSelect } from "~/components/trades/sort-select.tsx";
import { TradeFiltersBar } from "~/components/trades/trade-filters-bar.tsx";
import { TradeCards, TradesTable } from "~/components/trades/trades-table.tsx";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleAction, handleLoader } from "~/lib/route-handler.server.ts";
import { deleteTrades, listTrades, MAX_BULK_DELETE } from "~/models/trade-list.server.ts";
import { listReadOnlyAccountNames } from "~/models/account-plan-access.server.ts";
import { hasActiveFilters, parseTradeFilters, tradeFiltersQuery } from "~/schemas/trade-filters.ts";

export const meta: MetaFunction = () => [{ title: "Trades — RawJournal" }];

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => {
    const user = await requireUserDb(request);
    const url = new URL(request.url);
    const filters = parseTradeFilters(url.searchParams);
    const list = await listTrades(user.db, user.claims, filters);
    const deleted = Number(url.searchParams.get("deleted"));
    const readOnlyAccounts = await listReadOnlyAccountNames(user.db);
    return {
      ...list,
      filters: { ...filters, page: list.page },
      deleted: Number.isInteger(deleted) && deleted > 0 ? deleted : null,
      readOnlyAccounts,
    };
  });

type ActionResult = { status: "confirm"; ids: string[]; returnTo: string } | { status: "error"; formError: string };

const BULK_FORM = "bulk-delete";

export const action = (args: ActionFunctionArgs) =>
  handleAction(args, async ({ request }) => {
    const user = await requireUserDb(request);
    const formData = await request.formData();
    // Back to the same filtered view, rebuilt from the parsed filters so
    // nothing but known params travels on.
    const returnTo = tradeFiltersQuery(parseTradeFilters(new URLSearchParams(String(formData.get("returnTo") ?? ""))));
    if (formData.get("intent") !== "delete-selected") {
      return data<ActionResult>({ status: "error", formError: "That form isn't recognised. Reload the page and try again." }, { status: 400 });
    }
    const ids = [...new Set(formData.getAll("id").map(String))];
    if (ids.length === 0) return data<ActionResult>({ status: "error", formError: "Select the trades to delete first." }, { status: 400 });
    if (ids.length > MAX_BULK_DELETE) {
      return data<ActionResult>({ status: "error", formError: `Delete at most ${MAX_BULK_DELETE} trades at a time.` }, { status: 400 });
    }
    // Without JavaScript the first submission asks for confirmation on the page.
    if (formData.get("confirmed") !== "yes") return data<ActionResult>({ status: "confirm", ids, returnTo });
    const deleted = await deleteTrades(user.db, user.claims, ids);
    const params = new URLSearchParams(returnTo.slice(1));
    params.set("deleted", String(deleted));
    return redirect(`/trades?${params.toString()}`);
  });

export default function TradesPage() {
  const { trades, total, page, pageCount, pageSize, timeZone, accounts, tags, symbols, filters, deleted, readOnlyAccounts } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const location = useLocation();
  const navigation = useNavigation();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);

  const query = tradeFiltersQuery(filters);
  const pageIds = useMemo(() => trades.map((t) => t.id), [trades]);
  // A new page or filter starts with nothing selected, and a finished delete closes the dialog.
  useEffect(() => {
    setSelected(new Set());
    setConfirming(false);
  }, [location.key]);

  const accountById = useMemo(() => new Map(accounts.map((a) => [a.id, a])), [accounts]);
  const currencyOf = (id: string) => accountById.get(id)?.currency ?? "USD";
  const accountNameOf = (id: string) => accountById.get(id)?.name ?? "";
  const toggle = (id: string, checked: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (checked) next.add(id);
      else next.delete(id);
      return next;
    });
  const toggleAll = (checked: boolean) => setSelected(checked ? new Set(pageIds) : new Set());
  const confirm = result && "ids" in result ? result : null;
  const formError = result && "formError" in result ? result.formError : null;
  const deleting = navigation.state === "submitting" && navigation.formData?.get("intent") === "delete-selected";
  const noTrades = total === 0 && !hasActiveFilters(filters);

  return (
    <>
      <PageHeader
        title="Trades"
        description="Every trade you take, with its net result after costs."
        actions={
          <div className="flex flex-wrap gap-2">
            <a href={`/trades/export${query}`} className="btn-secondary" download>
              Export CSV
            </a>
            <Link to="/trades/import" className="btn-secondary">
              <Icon name="upload" className="h-4 w-4" />
              Import
            </Link>
            <Link to="/trades/new" className="btn-primary">
              <Icon name="plus" className="h-4 w-4" />
              Add trade
            </Link>
          </div>
        }
      />

      {deleted ? (
        <div className="mb-4">
          <FormAlert tone="success">
            {deleted === 1 ? "1 trade was deleted, with its journal." : `${deleted} trades were deleted, with their journals.`}
          </FormAlert>
        </div>
      ) : null}
      {formError ? (
        <div className="mb-4">
          <FormAlert tone="error">{formError}</FormAlert>
        </div>
      ) : null}
      {readOnlyAccounts.length ? (
        <p
          role="status"
          data-read-only-accounts
          className="mb-4 rounded-md border border-amber-400/40 bg-amber-400/10 px-3 py-2 text-sm text-amber-100"
        >
          {readOnlyAccounts.map((name) => `“${name}”`).join(", ")} {readOnlyAccounts.length === 1 ? "is" : "are"} read-only on your plan:{" "}
          {readOnlyAccounts.length === 1 ? "its" : "their"} trades are listed but can&apos;t be edited or deleted until you upgrade.{" "}
          <Link to="/settings/billing" className="font-medium underline underline-offset-2 hover:text-white">
            Settings → Billing
          </Link>
        </p>
      ) : null}

      {noTrades ? (
        <EmptyState />
      ) : (
        <>
          <TradeFiltersBar key={query} filters={filters} accounts={accounts} tags={tags} symbols={symbols} />

          {confirm ? (
            <Form method="post" className="card mb-4 border-red-500/40 p-4" aria-labelledby="confirm-heading">
              <h2 id="confirm-heading" className="text-sm font-semibold text-red-300">
                Delete {confirm.ids.length === 1 ? "this trade" : `these ${confirm.ids.length} trades`}?
              </h2>
              <p className="mt-1 text-sm text-fg-muted">Their journal entries, legs and tags are deleted with them. This cannot be undone.</p>
              <input type="hidden" name="intent" value="delete-selected" />
              <input type="hidden" name="returnTo" value={confirm.returnTo} />
              {confirm.ids.map((id) => (
                <input key={id} type="hidden" name="id" value={id} />
              ))}
              <div className="mt-3 flex flex-wrap gap-2">
                <button type="submit" name="confirmed" value="yes" className="btn-danger">
                  Yes, delete {confirm.ids.length === 1 ? "1 trade" : `${confirm.ids.length} trades`}
                </button>
                <Link to={`/trades${query}`} className="btn-secondary">
                  Cancel
                </Link>
              </div>
            </Form>
          ) : null}

          <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
            <Form id={BULK_FORM} method="post" className="flex items-center gap-3">
              <input type="hidden" name="intent" value="delete-selected" />
              <input type="hidden" name="returnTo" value={query} />
              <button
                type="submit"
                className="btn-secondary px-3 py-1.5 text-red-300 hover:text-red-200"
                disabled={deleting || (hydrated && selected.size === 0)}
                onClick={(event) => {
                  event.preventDefault();
                  if (selected.size > 0) setConfirming(true);
                }}
              >
                {deleting ? "Deleting…" : "Delete selected"}
              </button>
              <span className="text-sm text-fg-muted" aria-live="polite">
                {hydrated && selected.size > 0 ? `${selected.size} selected` : ""}
              </span>
            </Form>
            <SortSelect key={query} filters={filters} className="md:hidden" />
          </div>

          {trades.length === 0 ? (
            <div className="card p-6 text-center text-sm text-fg-muted">
              No trades match these filters.{" "}
              <Link to="/trades" className="link">
                Clear the filters
              </Link>
            </div>
          ) : (
            <>
              <TradesTable
                trades={trades}
                filters={filters}
                timeZone={timeZone}
                currencyOf={currencyOf}
                accountNameOf={accountNameOf}
                form={BULK_FORM}
                selected={selected}
                onToggle={toggle}
                showAccount={accounts.length > 1}
                allSelected={pageIds.length > 0 && pageIds.every((id) => selected.has(id))}
                onToggleAll={hydrated ? toggleAll : null}
              />
              <TradeCards
                trades={trades}
                filters={filters}
                timeZone={timeZone}
                currencyOf={currencyOf}
                accountNameOf={accountNameOf}
                form={BULK_FORM}
                selected={selected}
                onToggle={toggle}
                showAccount={accounts.length > 1}
              />
            </>
          )}
          <Pagination filters={filters} page={page} pageCount={pageCount} pageSize={pageSize} shown={trades.length} total={total} />
          <p className="mt-2 text-xs text-fg-subtle">
            Times in {timeZone.replaceAll("_", " ")}. Closed trades are dated by their close, open trades by their open.
          </p>

          <ConfirmDialog
            open={confirming}
            onOpenChange={setConfirming}
            title={`Delete ${selected.size === 1 ? "1 trade" : `${selected.size} trades`}?`}
            description="Their journal entries, legs and tags are deleted with them. This cannot be undone."
            confirmLabel={selected.size === 1 ? "Delete 1 trade" : `Delete ${selected.size} trades`}
            form={BULK_FORM}
            name="confirmed"
            value="yes"
          />
        </>
      )}
    </>
  );
}

function EmptyState() {
  return (
    <div className="card p-6 text-center sm:p-10">
      <h2 className="text-base font-semibold text-fg">No trades yet</h2>
      <p className="mx-auto mt-2 max-w-md text-sm text-fg-muted">
        Add a trade by hand, or import your MetaTrader history report (HTML or XLSX), a broker CSV or JSON.
      </p>
      <div className="mt-5 flex flex-wrap justify-center gap-3">
        <Link to="/trades/new" className="btn-primary">
          Add a trade
        </Link>
        <Link to="/trades/import" className="btn-secondary">
          Import trades
        </Link>
      </div>
    </div>
  );
}
