// One entry of the journal timeline: a trade's journal (symbol, side, result,
// tags, mood, followed plan) or a daily review, with its text — search
// snippets with the matches marked, or the text's opening — and its
// screenshots (thumbnails when signed URLs came with the page, else a count).
import { Link } from "@remix-run/react";
import { pnlTone } from "~/components/trades/pnl-text.tsx";
import { DirectionBadge } from "~/components/trades/trade-badges.tsx";
import { followedPlanLabel, moodLabel } from "~/domain/journal/scales.ts";
import { formatDateTime, formatMoney } from "~/lib/format.ts";
import type { TimelineEntry } from "~/models/journal/timeline.types.ts";
import { HighlightedText } from "./highlighted-text.tsx";

function Snippet({ label, text }: { label: string; text: string }) {
  if (!text.trim()) return null;
  return (
    <p className="mt-1 line-clamp-4 whitespace-pre-line break-words text-sm text-fg-muted">
      <span className="text-xs font-medium uppercase tracking-wide text-fg-subtle">{label} </span>
      <HighlightedText snippet={text} />
    </p>
  );
}

function Screenshots({ entry, thumbnails }: { entry: TimelineEntry; thumbnails: Record<string, string> }) {
  if (entry.screenshotCount === 0) return null;
  const shown = entry.screenshots.filter((shot) => thumbnails[shot.id]);
  if (shown.length === 0) {
    return (
      <span className="rounded-full bg-raised px-2 py-0.5 text-xs text-fg-muted" data-screenshot-count={entry.screenshotCount}>
        {entry.screenshotCount} screenshot{entry.screenshotCount === 1 ? "" : "s"}
      </span>
    );
  }
  return (
    <div className="mt-3 flex gap-2" data-screenshot-count={entry.screenshotCount}>
      {shown.map((shot) => (
        <img
          key={shot.id}
          src={thumbnails[shot.id]}
          alt={shot.caption ?? "Screenshot"}
          loading="lazy"
          width={shot.width}
          height={shot.height}
          className="h-16 w-24 rounded border border-border bg-bg object-cover"
        />
      ))}
      {entry.screenshotCount > shown.length ? (
        <span className="self-center text-xs text-fg-muted">+{entry.screenshotCount - shown.length}</span>
      ) : null}
    </div>
  );
}

export function TimelineEntryCard({
  entry,
  timeZone,
  thumbnails,
  dayLink,
}: {
  entry: TimelineEntry;
  timeZone: string;
  thumbnails: Record<string, string>;
  dayLink: (day: string) => string;
}) {
  const mood = moodLabel(entry.mood);
  const facts = [mood ? `Mood ${entry.mood} ${mood}` : null];
  if (entry.kind === "trade" && entry.followedPlan) facts.push(`Followed plan: ${followedPlanLabel(entry.followedPlan)}`);
  const first = entry.kind === "trade" ? "Notes" : "Plan";
  const second = entry.kind === "trade" ? "Lessons" : "Review";
  return (
    <li className="card p-4" data-entry-kind={entry.kind} data-entry-day={entry.day}>
      <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-1">
        {entry.kind === "trade" ? (
          <div className="min-w-0">
            <div className="flex flex-wrap items-center gap-2">
              <Link to={`/trades/${entry.tradeId}#journal`} className="font-semibold text-fg hover:underline">
                {entry.symbol}
              </Link>
              <DirectionBadge direction={entry.direction} compact />
              {entry.tags.map((tag) => (
                <span key={tag.id} className="inline-flex items-center gap-1 rounded-full border border-border px-2 py-0.5 text-xs text-fg-muted">
                  <span className="h-2 w-2 rounded-full" style={{ backgroundColor: tag.color }} aria-hidden="true" />
                  {tag.name}
                </span>
              ))}
            </div>
            <p className="mt-0.5 text-xs text-fg-subtle">
              {entry.status === "open" ? "Opened" : "Closed"} {formatDateTime(entry.at, timeZone)} · {entry.accountName} ·{" "}
              <Link to={dayLink(entry.day)} className="link">
                day {entry.day}
              </Link>
            </p>
          </div>
        ) : (
          <div className="min-w-0">
            <Link to={dayLink(entry.day)} className="font-semibold text-fg hover:underline">
              Daily review · {entry.day}
            </Link>
            <p className="mt-0.5 text-xs text-fg-subtle">Trading day {entry.day}</p>
          </div>
        )}
        {entry.kind === "trade" ? (
          <p
            className={`text-sm font-semibold tabular-nums ${entry.status === "open" ? "text-fg-subtle" : pnlTone(entry.netProfit)}`}
            data-result={entry.result ?? "open"}
          >
            {entry.status === "open" ? "Open" : formatMoney(entry.netProfit, entry.currency, { signed: true })}
            {entry.result ? <span className="ml-1 text-xs font-normal text-fg-subtle">{entry.result}</span> : null}
          </p>
        ) : null}
      </div>
      <Snippet label={first} text={entry.firstText} />
      <Snippet label={second} text={entry.secondText} />
      {entry.captions ? <Snippet label="Caption" text={entry.captions} /> : null}
      <div className="mt-2 flex flex-wrap items-center gap-2 text-xs text-fg-subtle">
        {facts.filter(Boolean).map((fact) => (
          <span key={fact}>{fact}</span>
        ))}
        <Screenshots entry={entry} thumbnails={thumbnails} />
      </div>
    </li>
  );
}
