// /journal: the timeline — trade journal entries and daily reviews, newest
// first, or the best matches first when searching (PostgreSQL full-text
// search over notes, lessons, plans, reviews and screenshot captions, English
// stemming, highlighted snippets). Search, filters and page live in the URL;
// the page works without JavaScript.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { TimelineEntryCard } from "~/components/journal/timeline/timeline-entry.tsx";
import { TimelineFilters } from "~/components/journal/timeline/timeline-filters.tsx";
import { PageHeader } from "~/components/page-header.tsx";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleLoader } from "~/lib/route-handler.server.ts";
import { wallClockNow } from "~/lib/wall-clock.server.ts";
import { loadTimeline } from "~/models/journal/timeline.server.ts";
import { screenshotStorage, SIGNED_URL_SECONDS } from "~/models/screenshot-storage.server.ts";
import { journalFiltersQuery, parseJournalFilters } from "~/schemas/journal-filters.ts";

export const meta: MetaFunction = () => [{ title: "Journal — RawJournal" }];

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => {
    const user = await requireUserDb(request);
    const filters = parseJournalFilters(new URL(request.url).searchParams);
    const timeline = await loadTimeline(user.db, user.claims.sub, filters, wallClockNow());
    // Thumbnails: one signing call for the page's screenshots (short expiry); if Storage is unavailable
    // the entries show a count instead.
    const shots = timeline.entries.flatMap((entry) => entry.screenshots);
    const urls = shots.length
      ? await screenshotStorage(user.supabase)
          .signedUrls(
            shots.map((shot) => shot.objectPath),
            SIGNED_URL_SECONDS,
          )
          .catch(() => new Map<string, string>())
      : new Map<string, string>();
    const thumbnails: Record<string, string> = {};
    for (const shot of shots) {
      const url = urls.get(shot.objectPath);
      if (url) thumbnails[shot.id] = url;
    }
    return { filters, timeline, thumbnails };
  });

export default function JournalTimeline() {
  const { filters, timeline, thumbnails } = useLoaderData<typeof loader>();
  const searching = filters.q !== null;
  const link = (page: number) => `/journal${journalFiltersQuery(filters, { page })}`;
  const dayLink = (day: string) => `/journal/${day}${filters.account ? `?account=${filters.account}` : ""}`;
  const step = "btn-secondary px-3 py-1.5";
  const disabled = `${step} pointer-events-none opacity-40`;
  return (
    <>
      <PageHeader
        title="Journal"
        description="Your trade notes and daily reviews, newest first. Search finds word forms too: “scaling” finds “scaled”."
        actions={
          <Link to={`/journal/${timeline.today}`} className="btn-primary">
            Today&apos;s review
          </Link>
        }
      />
      <TimelineFilters filters={filters} accounts={timeline.accounts} tags={timeline.tags} />
      {searching && timeline.total !== null ? (
        <p className="mb-3 text-sm text-fg-muted" aria-live="polite" data-search-total={timeline.total}>
          {timeline.total === 0
            ? `Nothing matches “${filters.q}”.`
            : `${timeline.total.toLocaleString("en-US")} ${timeline.total === 1 ? "entry matches" : "entries match"} “${filters.q}”, best first.`}
        </p>
      ) : null}
      {timeline.entries.length === 0 ? (
        <div className="card px-4 py-6 text-sm text-fg-muted" data-timeline-empty="">
          {timeline.page > 1 ? (
            <p>
              No entries on this page.{" "}
              <Link to={link(1)} className="link">
                Back to the first page
              </Link>
            </p>
          ) : searching || filters.tags.length || filters.from || filters.to || filters.mood || filters.plan || filters.shots || filters.kind ? (
            <p>No entries match. Try fewer filters or other words.</p>
          ) : (
            <p>
              Nothing written yet. Open a trade to journal it, or start{" "}
              <Link to={`/journal/${timeline.today}`} className="link">
                today&apos;s review
              </Link>
              .
            </p>
          )}
        </div>
      ) : (
        <ol className="space-y-3" aria-label={searching ? "Search results" : "Journal entries"} data-timeline="">
          {timeline.entries.map((entry) => (
            <TimelineEntryCard
              key={entry.kind === "trade" ? entry.tradeId : entry.dailyJournalId}
              entry={entry}
              timeZone={timeline.timeZone}
              thumbnails={thumbnails}
              dayLink={dayLink}
            />
          ))}
        </ol>
      )}
      {timeline.page > 1 || timeline.hasNext ? (
        <nav aria-label="Pages" className="mt-4 flex items-center justify-between gap-3 text-sm">
          {timeline.page > 1 ? (
            <Link to={link(timeline.page - 1)} className={step} rel="prev">
              Previous
            </Link>
          ) : (
            <span className={disabled} aria-disabled="true">
              Previous
            </span>
          )}
          <span className="tabular-nums text-fg-muted">Page {timeline.page.toLocaleString("en-US")}</span>
          {timeline.hasNext ? (
            <Link to={link(timeline.page + 1)} className={step} rel="next">
              Next
            </Link>
          ) : (
            <span className={disabled} aria-disabled="true">
              Next
            </span>
          )}
        </nav>
      ) : null}
    </>
  );
}
