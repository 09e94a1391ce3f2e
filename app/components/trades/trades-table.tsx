// The trade list: a table from the md breakpoint up, a card list on phones
// (both rendered; CSS shows one). Row checkboxes belong to the bulk-delete form
// by its id, so they work without JavaScript too.
import { Price } from "~/components/ui/price.tsx";
import { Link } from "@remix-run/react";
import { formatDateTime, formatDecimal, formatDuration, formatMoney } from "~/lib/format.ts";
import type { TradeListRow } from "~/models/trade-list.types.ts";
import type { TradeFilters } from "~/schemas/trade-filters.ts";
import { JournalIndicator } from "./journal-indicator.tsx";
import { PnlText, pnlTone } from "./pnl-text.tsx";
import { ariaSort, SortLink } from "./sort-header.tsx";
import { DirectionBadge, SessionBadge, sessionLabel, StatusBadge } from "./trade-badges.tsx";

export interface TradeRowsProps {
  trades: TradeListRow[];
  filters: TradeFilters;
  timeZone: string;
  currencyOf: (accountId: string) => string;
  accountNameOf: (accountId: string) => string;
  /** The form row checkboxes submit with. */
  form: string;
  selected: ReadonlySet<string>;
  onToggle: (id: string, checked: boolean) => void;
  /** More than one account: each row names its own. */
  showAccount: boolean;
}

/** The trade's tags, small, under its symbol. */
function TagChips({ tags }: { tags: TradeListRow["tags"] }) {
  if (tags.length === 0) return null;
  return (
    <span className="mt-1 flex max-w-[7rem] flex-wrap gap-1" aria-label={`Tags: ${tags.map((tag) => tag.name).join(", ")}`}>
      {tags.map((tag) => (
        <span
          key={tag.id}
          title={tag.name}
          className="max-w-full truncate rounded-full border px-1.5 text-[11px] leading-4 text-fg-muted"
          style={{ borderColor: tag.color }}
        >
          {tag.name}
        </span>
      ))}
    </span>
  );
}

function SelectBox({ trade, form, selected, onToggle }: Pick<TradeRowsProps, "form" | "selected" | "onToggle"> & { trade: TradeListRow }) {
  return (
    <input
      type="checkbox"
      name="id"
      value={trade.id}
      form={form}
      checked={selected.has(trade.id)}
      onChange={(event) => onToggle(trade.id, event.currentTarget.checked)}
      aria-label={`Select ${trade.symbol} ${trade.direction} opened ${trade.openedAt.slice(0, 16).replace("T", " ")} UTC`}
      className="h-4 w-4 rounded border-border bg-bg accent-indigo-500"
    />
  );
}

const th = "whitespace-nowrap px-2 py-2.5 text-left text-xs font-medium text-fg-muted";
const thRight = `${th} text-right`;
const td = "whitespace-nowrap px-2 py-2";

export function TradesTable(props: TradeRowsProps & { allSelected: boolean; onToggleAll: ((checked: boolean) => void) | null }) {
  const { trades, filters, timeZone, currencyOf, accountNameOf, showAccount, allSelected, onToggleAll } = props;
  return (
    // relative keeps the screen-reader-only caption inside the scroll box.
    <div className="card relative hidden overflow-x-auto md:block">
      <table className="w-full text-sm">
        <caption className="sr-only">
          Trades, sorted by {filters.sort.replace("_", " ")} {filters.dir === "asc" ? "ascending" : "descending"}
        </caption>
        <thead className="border-b border-border">
          <tr>
            <th scope="col" className={`${th} w-8 pl-3`}>
              {onToggleAll ? (
                <input
                  type="checkbox"
                  checked={allSelected}
                  onChange={(event) => onToggleAll(event.currentTarget.checked)}
                  aria-label="Select every trade on this page"
                  className="h-4 w-4 rounded border-border bg-bg accent-indigo-500"
                />
              ) : (
                <span className="sr-only">Select</span>
              )}
            </th>
            <th scope="col" className={th} aria-sort={ariaSort(filters, "closed_at", "opened_at", "status")}>
              <SortLink filters={filters} column="closed_at" label="Closed" />
              <span className="mx-0.5 text-fg-subtle">/</span>
              <SortLink filters={filters} column="opened_at" label="Opened" />
              {/* On its own line: the column stays as narrow as its dates. */}
              <span className="block">
                <SortLink filters={filters} column="status" label="Status" />
              </span>
            </th>
            <th scope="col" className={th} aria-sort={ariaSort(filters, "symbol")}>
              <SortLink filters={filters} column="symbol" label="Symbol" />
            </th>
            <th scope="col" className={th} aria-sort={ariaSort(filters, "direction")}>
              <SortLink filters={filters} column="direction" label="Side" />
            </th>
            <th scope="col" className={thRight} aria-sort={ariaSort(filters, "volume")}>
              <SortLink filters={filters} column="volume" label="Lots" />
            </th>
            <th scope="col" className={thRight} aria-sort={ariaSort(filters, "entry_price")}>
              <SortLink filters={filters} column="entry_price" label="Entry" />
            </th>
            <th scope="col" className={thRight} aria-sort={ariaSort(filters, "exit_price")}>
              <SortLink filters={filters} column="exit_price" label="Exit" />
            </th>
            <th scope="col" className={thRight} aria-sort={ariaSort(filters, "net_profit", "pips")}>
              <SortLink filters={filters} column="net_profit" label="Net P&L" />
              <span className="mx-0.5 text-fg-subtle">/</span>
              <SortLink filters={filters} column="pips" label="Pips" />
            </th>
            <th scope="col" className={th} aria-sort={ariaSort(filters, "session_tag")}>
              <SortLink filters={filters} column="session_tag" label="Session" />
            </th>
            <th scope="col" className={thRight} aria-sort={ariaSort(filters, "duration")}>
              <SortLink filters={filters} column="duration" label="Held" />
            </th>
            <th scope="col" className={`${th} text-center`} aria-sort={ariaSort(filters, "journal")}>
              <SortLink filters={filters} column="journal" label="Journal" />
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-border">
          {trades.map((trade) => (
            <tr key={trade.id} className="hover:bg-raised/60" data-trade-id={trade.id}>
              <td className={`${td} pl-3`}>
                <SelectBox trade={trade} {...props} />
              </td>
              <td className={`${td} tabular-nums`}>
                {trade.closedAt ? <span className="text-fg">{formatDateTime(trade.closedAt, timeZone)}</span> : <StatusBadge status="open" />}
                <span className="block text-xs text-fg-subtle">{formatDateTime(trade.openedAt, timeZone)}</span>
              </td>
              <td className={td}>
                <Link to={`/trades/${trade.id}`} className="link font-semibold">
                  {trade.symbol}
                </Link>
                {showAccount ? (
                  <span className="block max-w-[7rem] truncate text-xs text-fg-subtle" title={accountNameOf(trade.accountId)}>
                    {accountNameOf(trade.accountId)}
                  </span>
                ) : null}
                <TagChips tags={trade.tags} />
              </td>
              <td className={td}>
                <DirectionBadge direction={trade.direction} />
              </td>
              <td className={`${td} text-right tabular-nums`}>{formatDecimal(trade.volume, 2)}</td>
              <td className={`${td} text-right tabular-nums`}>
                <Price value={trade.entryPrice} symbol={trade.symbol} />
              </td>
              <td className={`${td} text-right tabular-nums`}>
                <Price value={trade.exitPrice} symbol={trade.symbol} />
              </td>
              <td className={`${td} text-right`}>
                <PnlText amount={trade.netProfit} currency={currencyOf(trade.accountId)} pips={trade.pips} open={trade.status === "open"} />
              </td>
              <td className={td}>
                <SessionBadge session={trade.sessionTag} />
              </td>
              <td className={`${td} text-right tabular-nums text-fg-muted`}>{formatDuration(trade.durationMs)}</td>
              <td className={`${td} text-center`}>
                <span className="inline-flex justify-center">
                  <JournalIndicator hasJournal={trade.hasJournal} />
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** "+1.25 R" / "−0.8 R"; "—" while open or without a stop at entry. */
function rText(r: string | null): string {
  if (r === null) return "— R";
  return `${formatDecimal(r, 2, { signed: true })} R`;
}

/**
 * Phones: one compact two-line row per trade in a single card — symbol, side
 * and net P&L on the first line; time, lots, R and hold time on the second,
 * with the entry → exit prices, session, pips, tags, journal and account
 * after them (the line truncates; screen readers get all of it). Tapping
 * anywhere on a row opens the trade.
 */
export function TradeCards(props: TradeRowsProps) {
  const { trades, timeZone, currencyOf, accountNameOf, showAccount } = props;
  return (
    <ul className="card divide-y divide-border md:hidden" aria-label="Trades">
      {trades.map((trade) => (
        // The symbol's link covers the row (a 45 px tap target); the checkbox sits above it with its own padded target.
        <li key={trade.id} className="relative flex items-center gap-1 py-1 pl-1 pr-3" data-trade-id={trade.id}>
          <label className="relative z-10 flex cursor-pointer p-2">
            <SelectBox trade={trade} {...props} />
          </label>
          <div className="min-w-0 flex-1">
            <div className="flex items-center justify-between gap-2" data-row-line="1">
              <div className="flex min-w-0 items-center gap-1.5 overflow-hidden">
                <Link to={`/trades/${trade.id}`} className="link shrink-0 font-semibold leading-5 after:absolute after:inset-0 after:content-['']">
                  {trade.symbol}
                </Link>
                <DirectionBadge direction={trade.direction} compact />
                <JournalIndicator hasJournal={trade.hasJournal} small />
                {trade.tags.length ? (
                  <span className="min-w-0 truncate text-[11px] text-fg-muted" aria-label={`Tags: ${trade.tags.map((tag) => tag.name).join(", ")}`}>
                    {trade.tags.map((tag) => tag.name).join(" · ")}
                  </span>
                ) : null}
              </div>
              {trade.status === "open" ? (
                <StatusBadge status="open" />
              ) : (
                <span className={`shrink-0 text-sm font-medium leading-5 tabular-nums ${pnlTone(trade.netProfit)}`}>
                  {formatMoney(trade.netProfit, currencyOf(trade.accountId), { signed: true })}
                </span>
              )}
            </div>
            <p className="truncate text-xs leading-4 tabular-nums text-fg-muted" data-row-line="2">
              {trade.closedAt ? formatDateTime(trade.closedAt, timeZone) : `Opened ${formatDateTime(trade.openedAt, timeZone)}`}
              {" · "}
              {formatDecimal(trade.volume, 2)} lots · {rText(trade.realisedR)}
              {trade.durationMs !== null ? ` · ${formatDuration(trade.durationMs)}` : ""}
              {" · "}
              <Price value={trade.entryPrice} symbol={trade.symbol} /> → <Price value={trade.exitPrice} symbol={trade.symbol} />
              {trade.pips !== null ? ` · ${formatDecimal(trade.pips, 1, { signed: true })} pips` : ""}
              {trade.sessionTag ? ` · ${sessionLabel(trade.sessionTag)}` : ""}
              {showAccount ? ` · ${accountNameOf(trade.accountId)}` : ""}
            </p>
          </div>
        </li>
      ))}
    </ul>
  );
}
