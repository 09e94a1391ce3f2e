// The timeline's search and filters: a GET form, so they live in the URL and
// work without JavaScript (Search submits). With JavaScript a changed choice
// applies at once; typing waits for Enter or Search. The page goes back to 1.
import { Form, Link, useSubmit } from "@remix-run/react";
import { Choice, FILTER_CONTROL, Labelled } from "~/components/forms/filter-fields.tsx";
import { FOLLOWED_PLAN_OPTIONS, MOOD_SCALE } from "~/domain/journal/scales.ts";
import type { TradeTag } from "~/models/trade-list.types.ts";
import { hasJournalFilters, SEARCH_MAX_LENGTH, type JournalFilters } from "~/schemas/journal-filters.ts";

export function TimelineFilters({
  filters,
  accounts,
  tags,
}: {
  filters: JournalFilters;
  accounts: { id: string; name: string }[];
  tags: TradeTag[];
}) {
  const submit = useSubmit();
  const active = hasJournalFilters(filters);
  const filterCount =
    [filters.from, filters.to, filters.kind, filters.mood, filters.plan, filters.shots, filters.account].filter((v) => v !== null).length +
    filters.tags.length;
  return (
    <Form
      method="get"
      action="/journal"
      role="search"
      aria-label="Search the journal"
      className="card mb-4 space-y-3 p-4"
      onChange={(event) => {
        const target = event.target as HTMLInputElement;
        if (!target.name || target.name === "q") return;
        submit(event.currentTarget, { replace: true, preventScrollReset: true });
      }}
    >
      <div className="flex gap-2">
        <label htmlFor="journal-q" className="sr-only">
          Search notes, lessons, plans, reviews and captions
        </label>
        <input
          id="journal-q"
          type="search"
          name="q"
          defaultValue={filters.q ?? ""}
          maxLength={SEARCH_MAX_LENGTH}
          placeholder="Search notes, lessons, plans, reviews, captions…"
          className="input min-w-0 flex-1"
          autoComplete="off"
        />
        <button type="submit" className="btn-primary shrink-0">
          Search
        </button>
      </div>
      <details open={filterCount > 0 ? true : undefined}>
        <summary className="cursor-pointer text-sm text-fg-muted hover:text-fg">
          Filters{filterCount ? <span className="ml-2 rounded-full bg-accent/20 px-2 py-0.5 text-xs text-indigo-200">{filterCount} on</span> : null}
        </summary>
        <div className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
          <Labelled label="From" htmlFor="journal-from">
            <input id="journal-from" type="date" name="from" defaultValue={filters.from ?? ""} className={FILTER_CONTROL} />
          </Labelled>
          <Labelled label="To" htmlFor="journal-to">
            <input id="journal-to" type="date" name="to" defaultValue={filters.to ?? ""} className={FILTER_CONTROL} />
          </Labelled>
          <Choice
            label="Entries"
            name="kind"
            idPrefix="journal"
            value={filters.kind}
            options={[
              ["trade", "Trades"],
              ["day", "Daily reviews"],
            ]}
          />
          <Choice
            label="Mood"
            name="mood"
            idPrefix="journal"
            value={filters.mood === null ? null : String(filters.mood)}
            options={MOOD_SCALE.map((step) => [String(step.value), `${step.value} — ${step.label}`] as const)}
          />
          <Choice
            label="Followed plan"
            name="plan"
            idPrefix="journal"
            value={filters.plan}
            options={FOLLOWED_PLAN_OPTIONS.map((option) => [option.value, option.label] as const)}
          />
          <Labelled label="Account" htmlFor="journal-account">
            <select id="journal-account" name="account" defaultValue={filters.account ?? ""} className={FILTER_CONTROL}>
              <option value="">All accounts</option>
              {accounts.map((account) => (
                <option key={account.id} value={account.id}>
                  {account.name}
                </option>
              ))}
            </select>
          </Labelled>
        </div>
        <div className="mt-3 flex flex-wrap items-center gap-x-4 gap-y-2">
          <label className="flex items-center gap-2 text-sm text-fg-muted">
            <input type="checkbox" name="shots" value="1" defaultChecked={filters.shots !== null} className="h-4 w-4 accent-indigo-500" />
            Has screenshots
          </label>
          {tags.length ? (
            <fieldset className="flex min-w-0 flex-wrap items-center gap-1.5">
              <legend className="sr-only">Tags (entries with every tag ticked)</legend>
              <span aria-hidden="true" className="text-xs text-fg-muted">
                Tags:
              </span>
              {tags.map((tag) => (
                <label
                  key={tag.id}
                  className="flex cursor-pointer items-center gap-1 rounded-full border border-border px-2 py-0.5 text-xs text-fg-muted has-[:checked]:border-accent has-[:checked]:bg-accent/15 has-[:checked]:text-fg has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-accent-hover"
                >
                  <input type="checkbox" name="tag" value={tag.id} defaultChecked={filters.tags.includes(tag.id)} className="sr-only" />
                  <span className="h-2 w-2 rounded-full" style={{ backgroundColor: tag.color }} aria-hidden="true" />
                  {tag.name}
                </label>
              ))}
            </fieldset>
          ) : null}
        </div>
      </details>
      {active ? (
        <Link to="/journal" className="link inline-block text-xs">
          Clear search and filters
        </Link>
      ) : null}
    </Form>
  );
}
