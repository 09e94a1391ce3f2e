// The analytics filters: a GET form, so a view lives in the URL and works
// without JavaScript (Apply submits); with JavaScript a choice applies at
// once. Accounts in different currencies are offered one currency at a time.
import { Choice as FilterChoice, FILTER_CONTROL, Labelled } from "~/components/forms/filter-fields.tsx";
import { Form, Link, useSubmit } from "@remix-run/react";
import { sessionLabel } from "~/components/trades/trade-badges.tsx";
import { PERIOD_KEYS, PERIOD_LABELS } from "~/domain/periods/period.ts";
import type { AnalyticsScope } from "~/models/analytics/types.ts";
import { SESSIONS } from "~/schemas/trade-filters.ts";
import { isNarrowed, type AnalyticsFilters } from "~/schemas/analytics-filters.ts";

type ScopeChoices = Pick<AnalyticsScope, "accounts" | "currencies" | "key" | "tags">;

const control = FILTER_CONTROL;

export function AnalyticsFiltersBar({
  filters,
  scope,
  action,
  narrowing = true,
}: {
  filters: AnalyticsFilters;
  scope: ScopeChoices;
  action: string;
  narrowing?: boolean;
}) {
  const submit = useSubmit();
  const narrowed = isNarrowed(filters);
  return (
    <Form
      method="get"
      action={action}
      role="search"
      aria-label="Analytics filters"
      className="card p-3 sm:p-4"
      onChange={(event) => {
        const target = event.target as HTMLInputElement;
        // Dates and the typed symbol wait for Apply or Enter; choices apply at once.
        if (!target.name || target.type === "date" || target.name === "symbol") return;
        submit(event.currentTarget, { replace: true, preventScrollReset: true });
      }}
    >
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        <Labelled label="Period" htmlFor="analytics-period">
          <select id="analytics-period" name="period" defaultValue={filters.period} className={control}>
            {PERIOD_KEYS.map((key) => (
              <option key={key} value={key}>
                {PERIOD_LABELS[key]}
              </option>
            ))}
          </select>
        </Labelled>
        <Labelled label="Accounts" htmlFor="analytics-account">
          <select id="analytics-account" name="account" defaultValue={scope.key} className={control}>
            {scope.currencies.map((currency) => (
              <option key={currency} value={`all-${currency}`}>
                {scope.currencies.length > 1 ? `All ${currency} accounts` : "All accounts"}
              </option>
            ))}
            {scope.accounts.map((account) => (
              <option key={account.id} value={account.id}>
                {account.name} ({account.currency})
              </option>
            ))}
          </select>
        </Labelled>
        <Labelled label="From" htmlFor="analytics-from">
          <input id="analytics-from" type="date" name="from" defaultValue={filters.from ?? ""} className={control} />
        </Labelled>
        <Labelled label="To" htmlFor="analytics-to">
          <input id="analytics-to" type="date" name="to" defaultValue={filters.to ?? ""} className={control} />
        </Labelled>
        {narrowing ? (
          <>
            <Labelled label="Symbol" htmlFor="analytics-symbol">
              <input
                id="analytics-symbol"
                name="symbol"
                defaultValue={filters.symbol ?? ""}
                placeholder="Any"
                autoComplete="off"
                spellCheck={false}
                className={`${control} uppercase placeholder:normal-case`}
              />
            </Labelled>
            <FilterChoice
              idPrefix="analytics"
              label="Session"
              name="session"
              value={filters.session}
              options={SESSIONS.map((s) => [s, sessionLabel(s)])}
            />
            <FilterChoice
              idPrefix="analytics"
              label="Side"
              name="direction"
              value={filters.direction}
              options={[
                ["buy", "Buy"],
                ["sell", "Sell"],
              ]}
            />
            <FilterChoice idPrefix="analytics" label="Tag" name="tag" value={filters.tag} options={scope.tags.map((tag) => [tag.id, tag.name])} />
          </>
        ) : null}
        <div className="col-span-2 flex items-end gap-2 sm:col-span-1">
          <button type="submit" className="btn-primary flex-1 py-1.5">
            Apply
          </button>
          {narrowed ? (
            <Link to={`${action}?period=${filters.period}&account=${scope.key}`} className="btn-ghost px-3 py-1.5">
              Clear
            </Link>
          ) : null}
        </div>
      </div>
      <p className="mt-2 text-xs text-fg-subtle">
        For a custom range choose “Custom range”, then From and To (trading days, both included) and Apply.
      </p>
    </Form>
  );
}
