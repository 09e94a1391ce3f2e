// "1–50 of 12,345" with previous and next links that keep the filters.
import { Link } from "@remix-run/react";
import { tradeFiltersQuery, type TradeFilters } from "~/schemas/trade-filters.ts";

const count = new Intl.NumberFormat("en-US");

export function rangeLabel(page: number, pageSize: number, shown: number, total: number): string {
  if (total === 0) return "0 trades";
  const first = (page - 1) * pageSize + 1;
  return `${count.format(first)}–${count.format(first + shown - 1)} of ${count.format(total)}`;
}

interface PaginationProps {
  filters: TradeFilters;
  page: number;
  pageCount: number;
  pageSize: number;
  shown: number;
  total: number;
}

export function Pagination({ filters, page, pageCount, pageSize, shown, total }: PaginationProps) {
  const link = (target: number) => `/trades${tradeFiltersQuery(filters, { page: target })}`;
  const step = "btn-secondary px-3 py-1.5";
  const disabled = "btn-secondary px-3 py-1.5 pointer-events-none opacity-40";
  return (
    <nav aria-label="Pages" className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm">
      <p className="tabular-nums text-fg-muted" aria-live="polite">
        {rangeLabel(page, pageSize, shown, total)}
      </p>
      {pageCount > 1 ? (
        <div className="flex items-center gap-2">
          {page > 1 ? (
            <Link to={link(page - 1)} className={step} rel="prev">
              Previous
            </Link>
          ) : (
            <span className={disabled} aria-disabled="true">
              Previous
            </span>
          )}
          <span className="tabular-nums text-fg-muted">
            Page {count.format(page)} of {count.format(pageCount)}
          </span>
          {page < pageCount ? (
            <Link to={link(page + 1)} className={step} rel="next">
              Next
            </Link>
          ) : (
            <span className={disabled} aria-disabled="true">
              Next
            </span>
          )}
        </div>
      ) : null}
    </nav>
  );
}
