// /journal/$date: the review of one trading day (the user's day start hour and
// zone) — pre-market plan, end-of-day review and mood, autosaved with
// JavaScript and saved with a button without — beside that day's trades
// (every account, or the one chosen in the shell) and their total, with the
// previous and next days, and the day's screenshots. The calendar heatmap's
// days open this page.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { DailyReviewForm, type DailyReviewFormAnswer, type DailyReviewValues } from "~/components/journal/daily/daily-review-form.tsx";
import { DayTrades } from "~/components/journal/daily/day-trades.tsx";
import { ScreenshotsPanel } from "~/components/journal/screenshots/index.ts";
import { AppError } from "~/lib/app-error.ts";
import { fieldErrorsOf, formDataObject } from "~/lib/forms.ts";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleAction, handleLoader } from "~/lib/route-handler.server.ts";
import { wallClockNow } from "~/lib/wall-clock.server.ts";
import { loadDailyReview, saveDailyReview } from "~/models/journal/daily-review.server.ts";
import { loadDaySignals } from "~/models/psychology.server.ts";
import { DaySignalsPanel } from "~/components/psychology/day-signals.tsx";
import { dailyReviewSchema } from "~/schemas/daily-review.ts";
import { day as dayField, id as idField } from "~/schemas/trade-filters.ts";

/** "Tuesday 3 November 2026" for a "YYYY-MM-DD" trading day. */
export function longDay(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString("en-GB", {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${longDay(data.day)} — Journal — RawJournal` : "Journal — RawJournal" },
];

function dayParam(value: string | undefined): string {
  const parsed = dayField.safeParse(value ?? "");
  if (!parsed.success) throw new AppError("not_found", "That isn't a day. Journal pages are named like /journal/2026-11-03.");
  return parsed.data;
}

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request, params }) => {
    const user = await requireUserDb(request);
    const day = dayParam(params.date);
    const account = idField.safeParse(new URL(request.url).searchParams.get("account") ?? "");
    const psychology = await loadDaySignals(user.db, user.claims.sub, day);
    return { ...(await loadDailyReview(user.db, user.claims.sub, day, account.success ? account.data : null, wallClockNow())), psychology };
  });

export const action = (args: ActionFunctionArgs) =>
  handleAction(args, async ({ request, params }) => {
    const user = await requireUserDb(request);
    const day = dayParam(params.date);
    const values = formDataObject(await request.formData());
    const parsed = dailyReviewSchema.safeParse(values);
    if (!parsed.success) {
      const fieldErrors = fieldErrorsOf(parsed.error);
      const answer: DailyReviewFormAnswer = { status: "invalid", fieldErrors, formError: "Check the review and try again." };
      return data({ review: answer }, { status: 400 });
    }
    const { version, ...content } = parsed.data;
    const result = await saveDailyReview(user.db, user.claims.sub, day, content, version);
    if (result.status === "saved") {
      const next = new URL(request.url).searchParams;
      next.set("review", "saved");
      return redirect(`/journal/${day}?${next.toString()}#review`);
    }
    const mine: DailyReviewValues = {
      premarketPlan: content.premarketPlan,
      review: content.review,
      mood: content.mood === null ? "" : String(content.mood),
    };
    const answer: DailyReviewFormAnswer = { status: "conflict", mine, theirs: result.current };
    return { review: answer };
  });

export default function DailyReviewPage() {
  const page = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const [params] = useSearchParams();
  const account = params.get("account");
  const keep = (path: string, extra: Record<string, string> = {}) => {
    const query = new URLSearchParams(extra);
    if (account) query.set("account", account);
    const text = query.toString();
    return `${path}${text ? `?${text}` : ""}`;
  };
  const isToday = page.day === page.today;
  return (
    <>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <Link to={keep("/journal")} className="link text-sm">
          ← Journal
        </Link>
        <nav aria-label="Days" className="flex items-center gap-2 text-sm">
          <Link
            to={keep(`/journal/${page.previousDay}`)}
            className="btn-secondary px-3 py-1.5"
            rel="prev"
            aria-label={`Previous day, ${longDay(page.previousDay)}`}
          >
            ← Previous day
          </Link>
          <Link
            to={keep(`/journal/${page.nextDay}`)}
            className="btn-secondary px-3 py-1.5"
            rel="next"
            aria-label={`Next day, ${longDay(page.nextDay)}`}
          >
            Next day →
          </Link>
        </nav>
      </div>
      <header className="mb-4">
        <h1 className="text-2xl font-semibold tracking-tight text-fg" data-journal-day={page.day}>
          {longDay(page.day)}
        </h1>
        <p className="mt-1 text-sm text-fg-muted">
          Trading day {page.day}
          {isToday ? " · today" : page.day > page.today ? " · ahead" : ""} · your day starts at {page.dayStart}.{" "}
          <Link to="/settings/profile" className="link">
            Change
          </Link>
        </p>
      </header>
      <div className="grid gap-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <DailyReviewForm
          key={page.day}
          day={page.day}
          entry={page.entry}
          timeZone={page.timeZone}
          answer={answer && "review" in answer ? answer.review : null}
          savedWithoutScript={params.get("review") === "saved"}
        />
        <div className="space-y-4">
          <DayTrades
            trades={page.trades}
            totals={page.totals}
            timeZone={page.timeZone}
            accountName={page.accountName}
            tradeListUrl={keep("/trades", { from: page.day, to: page.day })}
          />
          <DaySignalsPanel signals={page.psychology} />
          <ScreenshotsPanel key={page.day} target={{ kind: "day", date: page.day }} />
        </div>
      </div>
    </>
  );
}
