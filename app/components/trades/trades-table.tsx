// The trade list: a table from the md breakpoint up, a card list on phones
// (both rendered; CSS shows one). Row checkboxes belong to the bulk-delete form
// by its id, so they work without JavaScript too.
//
// A page is 50 trades drawn twice, so rows are kept cheap to render on the
// server: each trade's figures are formatted once for both lists, and a row's
// link to its trade is a plain <a> (what Remix's <Link> renders) whose click
// the list turns into a client-side navigation, instead of a <Link> per row.
import { useNavigate } from "@remix-run/react";
import { useCallback, type MouseEvent } from "react";
import { DisplayedPriceText } from "~/components/ui/price.tsx";
import { displayPrice, symbolDigits, type DisplayedPrice } from "~/domain/instruments/price-display.ts";
import { formatDateTime, formatDecimal, formatDuration, formatMoney } from "~/lib/format.ts";
import type { TradeListRow } from "~/models/trade-list.types.ts";
import type { TradeFilters } from "~/schemas/trade-filters.ts";
import { JournalIndicator } from "./journal-indicator.tsx";
import { PnlTexts, pnlTone } from "./pnl-text.tsx";
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

interface RowTexts {
  closedAt: string;
  openedAt: string;
  volume: string;
  entryPrice: DisplayedPrice;
  exitPrice: DisplayedPrice;
  netProfit: string;
  pips: string | null;
  duration: string;
}

// Per trade object (both lists get the same loader rows), for the zone and currency they were formatted in.
const rowTextsCache = new WeakMap<TradeListRow, { zoneAndCurrency: string; texts: RowTexts }>();

function rowTexts(trade: TradeListRow, timeZone: string, currency: string): RowTexts {
  const zoneAndCurrency = `${timeZone}|${currency}`;
  const cached = rowTextsCache.get(trade);
  if (cached?.zoneAndCurrency === zoneAndCurrency) return cached.texts;
  const digits = symbolDigits(trade.symbol);
  const texts: RowTexts = {
    closedAt: formatDateTime(trade.closedAt, timeZone),
    openedAt: formatDateTime(trade.openedAt, timeZone),
    volume: formatDecimal(trade.volume, 2),
    entryPrice: displayPrice(trade.entryPrice, digits),
    exitPrice: displayPrice(trade.exitPrice, digits),
    netProfit: formatMoney(trade.netProfit, currency, { signed: true }),
    pips: trade.pips !== null ? formatDecimal(trade.pips, 1, { signed: true }) : null,
    duration: formatDuration(trade.durationMs),
  };
  rowTextsCache.set(trade, { zoneAndCurrency, texts });
  return texts;
}

/** A plain click on a row's trade link (not a new tab or window) navigates in the app, as <Link> would. */
function useOpenTradeLink() {
  const navigate = useNavigate();
  return useCallback(
    (event: MouseEvent<HTMLElement>) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.altKey || event.ctrlKey || event.shiftKey) return;
      const link = event.target instanceof Element ? event.target.closest("a[data-trade-link]") : null;
      const href = link?.getAttribute("href");
      if (!href) return;
      event.preventDefault();
      navigate(href);
    },
    [navigate],
  );
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
  const openTradeLink = useOpenTradeLink();
  return (
    // relative keeps the screen-reader-only caption inside the scroll box.
    <div className="card relative hidden overflow-x-auto md:block">
      {/* Clicks on the rows' trade links (keyboard activation included) arrive here; the table itself is not interactive. */}
      <table className="w-full text-sm" onClick={openTradeLink}>
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
          {trades.map((trade) => {
            const texts = rowTexts(trade, timeZone, currencyOf(trade.accountId));
            return (
              <tr key={trade.id} className="hover:bg-raised/60" data-trade-id={trade.id}>
                <td className={`${td} pl-3`}>
                  <SelectBox trade={trade} {...props} />
                </td>
                <td className={`${td} tabular-nums`}>
                  {trade.closedAt ? <span className="text-fg">{texts.closedAt}</span> : <StatusBadge status="open" />}
                  <span className="block text-xs text-fg-subtle">{texts.openedAt}</span>
                </td>
                <td className={td}>
                  <a className="link font-semibold" data-discover="true" href={`/trades/${trade.id}`} data-trade-link>
                    {trade.symbol}
                  </a>
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
                <td className={`${td} text-right tabular-nums`}>{texts.volume}</td>
                <td className={`${td} text-right tabular-nums`}>
                  <DisplayedPriceText price={texts.entryPrice} />
                </td>
                <td className={`${td} text-right tabular-nums`}>
                  <DisplayedPriceText price={texts.exitPrice} />
                </td>
                <td className={`${td} text-right`}>
                  <PnlTexts amount={trade.netProfit} money={texts.netProfit} pips={texts.pips} open={trade.status === "open"} />
                </td>
                <td className={td}>
                  <SessionBadge session={trade.sessionTag} />
                </td>
                <td className={`${td} text-right tabular-nums text-fg-muted`}>{texts.duration}</td>
                <td className={`${td} text-center`}>
                  <span className="inline-flex justify-center">
                    <JournalIndicator hasJournal={trade.hasJournal} />
                  </span>
                </td>
              </tr>
            );
          })}
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
  const openTradeLink = useOpenTradeLink();
  return (
    // Clicks on the rows' trade links (keyboard activation included) arrive here; the list itself is not interactive.
    <ul className="card divide-y divide-border md:hidden" aria-label="Trades" onClick={openTradeLink}>
      {trades.map((trade) => {
        const texts = rowTexts(trade, timeZone, currencyOf(trade.accountId));
        return (
          // The symbol's link covers the row (a 45 px tap target); the checkbox sits above it with its own padded target.
          <li key={trade.id} className="relative flex items-center gap-1 py-1 pl-1 pr-3" data-trade-id={trade.id}>
            <label className="relative z-10 flex cursor-pointer p-2">
              <SelectBox trade={trade} {...props} />
            </label>
            <div className="min-w-0 flex-1">
              <div className="flex items-center justify-between gap-2" data-row-line="1">
                <div className="flex min-w-0 items-center gap-1.5 overflow-hidden">
                  <a
                    className="link shrink-0 font-semibold leading-5 after:absolute after:inset-0 after:content-['']"
                    data-discover="true"
                    href={`/trades/${trade.id}`}
                    data-trade-link
                  >
                    {trade.symbol}
                  </a>
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
                  <span className={`shrink-0 text-sm font-medium leading-5 tabular-nums ${pnlTone(trade.netProfit)}`}>{texts.netProfit}</span>
                )}
              </div>
              <p className="truncate text-xs leading-4 tabular-nums text-fg-muted" data-row-line="2">
                {trade.closedAt ? texts.closedAt : `Opened ${texts.openedAt}`}
                {" · "}
                {texts.volume} lots · {rText(trade.realisedR)}
                {trade.durationMs !== null ? ` · ${texts.duration}` : ""}
                {" · "}
                <DisplayedPriceText price={texts.entryPrice} /> → <DisplayedPriceText price={texts.exitPrice} />
                {texts.pips !== null ? ` · ${texts.pips} pips` : ""}
                {trade.sessionTag ? ` · ${sessionLabel(trade.sessionTag)}` : ""}
                {showAccount ? ` · ${accountNameOf(trade.accountId)}` : ""}
              </p>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
