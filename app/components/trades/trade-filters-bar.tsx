// The filters bar of /trades: a GET form, so the filters live in the URL and
// work without JavaScript (Apply submits). With JavaScript a change submits at
// once. The current sort is kept; the page goes back to 1.
import { Choice as FilterChoice, FILTER_CONTROL, Labelled } from "~/components/forms/filter-fields.tsx";
import { Form, Link, useSubmit } from "@remix-run/react";
import type { TradeFilterTag, TradeListAccount } from "~/models/trade-list.types.ts";
import { Icon } from "~/components/shell/icons.tsx";
import { TAG_CATEGORIES, TAG_CATEGORY_LABEL } from "~/schemas/tags.ts";
import { DEFAULT_DIR, DEFAULT_SORT, FILTER_NAMES, hasActiveFilters, type TradeFilters } from "~/schemas/trade-filters.ts";
import { sessionLabel } from "./trade-badges.tsx";

interface TradeFiltersBarProps {
  filters: TradeFilters;
  accounts: TradeListAccount[];
  tags: TradeFilterTag[];
  symbols: string[];
}

const control = FILTER_CONTROL;

export function TradeFiltersBar({ filters, accounts, tags, symbols }: TradeFiltersBarProps) {
  const submit = useSubmit();
  const keepSort = filters.sort !== DEFAULT_SORT || filters.dir !== DEFAULT_DIR;
  const active = hasActiveFilters(filters);
  const activeCount = FILTER_NAMES.filter((name) => filters[name] !== null).length;
  return (
    <Form
      method="get"
      action="/trades"
      role="search"
      aria-label="Filter trades"
      className="card mb-4 p-4"
      onChange={(event) => {
        // Typing a symbol waits for Apply or Enter; choices apply at once. The
        // phone's show/hide toggle has no name and submits nothing.
        const name = (event.target as HTMLInputElement).name;
        if (!name || name === "symbol") return;
        submit(event.currentTarget, { replace: true, preventScrollReset: true });
      }}
    >
      {keepSort ? (
        <>
          <input type="hidden" name="sort" value={filters.sort} />
          <input type="hidden" name="dir" value={filters.dir} />
        </>
      ) : null}
      {/* On phones the fields fold away behind a toggle (CSS only, so it works
          without JavaScript); they start open when a filter is set. */}
      <input id="show-filters" type="checkbox" className="peer sr-only" defaultChecked={active} />
      <label
        htmlFor="show-filters"
        className="flex cursor-pointer items-center justify-between text-sm font-medium text-fg peer-focus-visible:ring-2 peer-focus-visible:ring-accent-hover md:hidden"
      >
        <span>
          Filters{activeCount ? <span className="ml-2 rounded-full bg-accent/20 px-2 py-0.5 text-xs text-indigo-200">{activeCount} on</span> : null}
        </span>
        <Icon name="chevronDown" className="h-4 w-4 text-fg-muted" />
      </label>
      <div className="mt-3 hidden grid-cols-2 gap-3 peer-checked:grid sm:grid-cols-3 md:mt-0 md:grid lg:grid-cols-5">
        <Labelled label="Account" htmlFor="filter-account">
          <select id="filter-account" name="account" defaultValue={filters.account ?? ""} className={control}>
            <option value="">All accounts</option>
            {accounts.map((account) => (
              <option key={account.id} value={account.id}>
                {account.name}
              </option>
            ))}
          </select>
        </Labelled>
        <Labelled label="From" htmlFor="filter-from">
          <input id="filter-from" type="date" name="from" defaultValue={filters.from ?? ""} className={control} />
        </Labelled>
        <Labelled label="To" htmlFor="filter-to">
          <input id="filter-to" type="date" name="to" defaultValue={filters.to ?? ""} className={control} />
        </Labelled>
        <Labelled label="Symbol" htmlFor="filter-symbol">
          <input
            id="filter-symbol"
            name="symbol"
            list="filter-symbols"
            defaultValue={filters.symbol ?? ""}
            placeholder="Any"
            autoComplete="off"
            spellCheck={false}
            className={`${control} uppercase placeholder:normal-case`}
          />
          <datalist id="filter-symbols">
            {symbols.map((symbol) => (
              <option key={symbol} value={symbol} />
            ))}
          </datalist>
        </Labelled>
        <FilterChoice
          label="Side"
          name="direction"
          value={filters.direction}
          options={[
            ["buy", "Buy"],
            ["sell", "Sell"],
          ]}
        />
        <FilterChoice
          label="Session"
          name="session"
          value={filters.session}
          options={(["asian", "london", "overlap", "newyork", "late-ny"] as const).map((s) => [s, sessionLabel(s)])}
        />
        <FilterChoice
          label="Status"
          name="status"
          value={filters.status}
          options={[
            ["open", "Open"],
            ["closed", "Closed"],
          ]}
        />
        <FilterChoice
          label="Result"
          name="result"
          value={filters.result}
          options={[
            ["win", "Wins"],
            ["loss", "Losses"],
            ["breakeven", "Breakeven"],
          ]}
        />
        <Labelled label="Tag" htmlFor="filter-tag">
          <select id="filter-tag" name="tag" defaultValue={filters.tag ?? ""} className={control}>
            <option value="">All</option>
            {/* Grouped as on Settings → Tags. */}
            {TAG_CATEGORIES.map((category) => {
              const group = tags.filter((tag) => tag.category === category);
              return group.length ? (
                <optgroup key={category} label={TAG_CATEGORY_LABEL[category]}>
                  {group.map((tag) => (
                    <option key={tag.id} value={tag.id}>
                      {tag.name}
                    </option>
                  ))}
                </optgroup>
              ) : null;
            })}
          </select>
        </Labelled>
        <div className="flex items-end gap-2">
          <button type="submit" className="btn-primary flex-1 py-1.5">
            Apply
          </button>
          {active ? (
            <Link to="/trades" className="btn-ghost px-3 py-1.5">
              Clear
            </Link>
          ) : null}
        </div>
      </div>
    </Form>
  );
}
