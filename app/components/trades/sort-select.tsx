// Sorting on phones, where the card list has no column headers: a GET form
// that keeps the filters, applied on change with JavaScript or by its button.
import { Form, useSubmit } from "@remix-run/react";
import { FILTER_NAMES, type SortColumn, type TradeFilters } from "~/schemas/trade-filters.ts";

const SORT_LABEL: Record<SortColumn, string> = {
  closed_at: "Close time",
  opened_at: "Open time",
  symbol: "Symbol",
  direction: "Side",
  volume: "Lots",
  entry_price: "Entry price",
  exit_price: "Exit price",
  net_profit: "Net P&L",
  pips: "Pips",
  session_tag: "Session",
  duration: "Time held",
  status: "Status",
  journal: "Journal written",
};

export function SortSelect({ filters, className = "" }: { filters: TradeFilters; className?: string }) {
  const submit = useSubmit();
  return (
    <Form
      method="get"
      action="/trades"
      className={`flex items-center gap-2 ${className}`}
      onChange={(event) => submit(event.currentTarget, { replace: true, preventScrollReset: true })}
    >
      {FILTER_NAMES.map((name) => (filters[name] === null ? null : <input key={name} type="hidden" name={name} value={String(filters[name])} />))}
      <label htmlFor="sort-column" className="text-xs text-fg-muted">
        Sort
      </label>
      <select id="sort-column" name="sort" defaultValue={filters.sort} className="input w-auto py-1.5">
        {Object.entries(SORT_LABEL).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      <select name="dir" defaultValue={filters.dir} aria-label="Sort direction" className="input w-auto py-1.5">
        <option value="desc">High → low</option>
        <option value="asc">Low → high</option>
      </select>
      <noscript>
        <button type="submit" className="btn-secondary px-3 py-1.5">
          Sort
        </button>
      </noscript>
    </Form>
  );
}
