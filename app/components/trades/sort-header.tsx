// A column header that sorts the list: a link (works without JavaScript) to
// the same filters with this column, flipping direction when it is current.
import { Link } from "@remix-run/react";
import { nextSortDirection, tradeFiltersQuery, type SortColumn, type TradeFilters } from "~/schemas/trade-filters.ts";

export function SortLink({ filters, column, label }: { filters: TradeFilters; column: SortColumn; label: string }) {
  const active = filters.sort === column;
  const dir = nextSortDirection(filters, column);
  return (
    <Link
      to={`/trades${tradeFiltersQuery(filters, { sort: column, dir, page: 1 })}`}
      preventScrollReset
      className={`inline-flex items-center gap-1 rounded hover:text-fg ${active ? "text-fg" : ""}`}
      aria-label={`Sort by ${label}, ${dir === "asc" ? "ascending" : "descending"}`}
    >
      {label}
      <span aria-hidden="true" className={active ? "text-accent-hover" : "text-fg-subtle opacity-60"}>
        {active ? (filters.dir === "asc" ? "▲" : "▼") : "↕"}
      </span>
    </Link>
  );
}

export function ariaSort(filters: TradeFilters, ...columns: SortColumn[]): "ascending" | "descending" | undefined {
  if (!columns.includes(filters.sort)) return undefined;
  return filters.dir === "asc" ? "ascending" : "descending";
}
