// The daily review's form on /journal/$date: pre-market plan, end-of-day
// review and mood. With JavaScript it autosaves (use-autosave.ts) to the
// JSON endpoint journal.$date.review.ts; without it the same form posts to the
// page with its Save button. A stale save shows both versions and lets the
// writer keep either.
import { useId } from "react";
import { saveStatusText } from "~/domain/journal/autosave-policy.ts";
import { MOOD_SCALE, moodLabel } from "~/domain/journal/scales.ts";
import type { DailyReviewEntry } from "~/models/journal/daily-review.types.ts";
import { JournalNotes } from "../journal-notes.tsx";
import { JournalTextArea, LeaveDialog, Scale, useHydrated } from "../form-parts.tsx";
import { useAutosave, type Conflict } from "../use-autosave.ts";

export type DailyReviewValues = { premarketPlan: string; review: string; mood: string };

export function dailyReviewValuesOf(entry: Pick<DailyReviewEntry, "premarketPlan" | "review" | "mood">): DailyReviewValues {
  return { premarketPlan: entry.premarketPlan, review: entry.review, mood: entry.mood === null ? "" : String(entry.mood) };
}

/** The autosave endpoint of a day's review. */
export const dailyReviewUrl = (day: string) => `/journal/${day}/review`;

/** What the page action answers a Save without JavaScript. */
export type DailyReviewFormAnswer =
  | { status: "conflict"; mine: DailyReviewValues; theirs: DailyReviewEntry }
  | { status: "invalid"; formError: string; fieldErrors: Partial<Record<string, string[]>> };

interface DailyReviewFormProps {
  day: string;
  entry: DailyReviewEntry;
  timeZone: string;
  answer?: DailyReviewFormAnswer | null;
  savedWithoutScript?: boolean;
}

export function DailyReviewForm({ day, entry, timeZone, answer, savedWithoutScript }: DailyReviewFormProps) {
  const hydrated = useHydrated();
  const id = useId();
  const autosave = useAutosave<DailyReviewValues, DailyReviewEntry>({
    url: dailyReviewUrl(day),
    scope: `daily-review:${day}`,
    initial: dailyReviewValuesOf(entry),
    version: entry.version,
    toValues: dailyReviewValuesOf,
  });
  const { values, setField, state } = autosave;
  const staticConflict: Conflict<DailyReviewValues> | null =
    answer?.status === "conflict" ? { mine: answer.mine, theirs: dailyReviewValuesOf(answer.theirs), theirsVersion: answer.theirs.version } : null;
  const conflict = autosave.conflict ?? (hydrated ? null : staticConflict);
  const fieldErrors = answer?.status === "invalid" ? answer.fieldErrors : {};
  const statusText = hydrated ? saveStatusText(state, timeZone) : savedWithoutScript ? "Saved" : "";
  const failedMessage = state.kind === "failed" ? state.message : answer?.status === "invalid" ? answer.formError : null;

  return (
    <section aria-labelledby={`${id}-heading`} className="card p-5" id="review">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <div>
          <h2 id={`${id}-heading`} className="text-sm font-semibold text-fg">
            Daily review
          </h2>
          <p className="mt-0.5 text-xs text-fg-muted">{hydrated ? "Saves as you type." : "Press Save when you're done."} Only you can see it.</p>
        </div>
        <p
          role="status"
          aria-live="polite"
          data-save-status={hydrated ? state.kind : savedWithoutScript ? "saved" : "idle"}
          className={`text-xs tabular-nums ${state.kind === "failed" || state.kind === "conflict" ? "text-red-400" : state.kind === "offline" ? "text-amber-300" : "text-fg-muted"}`}
        >
          {statusText}
        </p>
      </div>
      {autosave.restored && !conflict ? <p className="mt-2 text-xs text-amber-300">Restored the text you hadn&apos;t saved yet.</p> : null}
      {failedMessage ? (
        <p className="mt-2 text-sm text-red-400" role="alert">
          {failedMessage}
        </p>
      ) : null}

      {conflict ? (
        <ConflictPanel
          conflict={conflict}
          day={day}
          onKeepMine={hydrated ? autosave.keepMine : undefined}
          onKeepTheirs={hydrated ? autosave.keepTheirs : undefined}
        />
      ) : null}

      <form
        method="post"
        action={`/journal/${day}#review`}
        hidden={conflict !== null}
        className="mt-4 space-y-5"
        onSubmit={(event) => {
          if (!hydrated) return;
          event.preventDefault();
          void autosave.saveNow();
        }}
      >
        <input type="hidden" name="version" value={autosave.version} />
        <JournalTextArea
          label="Pre-market plan"
          name="premarketPlan"
          hint="What you will trade today, what you will not, and your limits."
          rows={5}
          value={values.premarketPlan}
          onChange={(text) => setField("premarketPlan", text)}
          error={fieldErrors.premarketPlan?.[0]}
        />
        <JournalTextArea
          label="End-of-day review"
          name="review"
          hint="How the day went against the plan, and what to carry into tomorrow."
          rows={7}
          value={values.review}
          onChange={(text) => setField("review", text)}
          error={fieldErrors.review?.[0]}
        />
        <div className="max-w-md">
          <Scale
            legend="Mood"
            name="mood"
            value={values.mood}
            onChange={(value) => setField("mood", value)}
            options={MOOD_SCALE.map((step) => ({ value: String(step.value), label: step.label, short: String(step.value) }))}
            error={fieldErrors.mood?.[0]}
            wordy
          />
        </div>
        <button type="submit" className={hydrated ? "btn-secondary" : "btn-primary"} disabled={hydrated && !autosave.dirty}>
          {hydrated ? "Save now" : "Save"}
        </button>
      </form>
      <LeaveDialog blocker={autosave.blocker} entry="day" />
    </section>
  );
}

function Version({ title, values }: { title: string; values: DailyReviewValues }) {
  return (
    <div className="min-w-0 rounded-md border border-border bg-bg/40 p-3">
      <h3 className="text-xs font-semibold uppercase tracking-wide text-fg-muted">{title}</h3>
      <p className="mt-2 text-xs font-medium text-fg-muted">Pre-market plan</p>
      <JournalNotes text={values.premarketPlan} empty="No plan." className="mt-1 max-h-60 overflow-auto" />
      <p className="mt-2 border-t border-border pt-2 text-xs font-medium text-fg-muted">Review</p>
      <JournalNotes text={values.review} empty="No review." className="mt-1 max-h-60 overflow-auto" />
      {values.mood ? <p className="mt-2 text-xs text-fg-muted">Mood: {`${values.mood} ${moodLabel(Number(values.mood))}`}</p> : null}
    </div>
  );
}

function ConflictPanel({
  conflict,
  day,
  onKeepMine,
  onKeepTheirs,
}: {
  conflict: Conflict<DailyReviewValues>;
  day: string;
  onKeepMine?: () => void;
  onKeepTheirs?: () => void;
}) {
  return (
    <div className="mt-4 rounded-md border border-amber-400/40 bg-amber-400/5 p-4" role="alert" data-review-conflict="">
      <p className="text-sm font-semibold text-amber-200">This review was changed somewhere else (another tab or device) while you were writing.</p>
      <p className="mt-1 text-xs text-fg-muted">Nothing was overwritten. Choose which version to keep; you can copy from the other one first.</p>
      <div className="mt-3 grid gap-3 md:grid-cols-2">
        <Version title="Theirs (saved)" values={conflict.theirs} />
        <Version title="Yours (not saved)" values={conflict.mine} />
      </div>
      <div className="mt-3 flex flex-wrap gap-2">
        {onKeepMine && onKeepTheirs ? (
          <>
            <button type="button" className="btn-primary" onClick={onKeepMine}>
              Keep mine
            </button>
            <button type="button" className="btn-secondary" onClick={onKeepTheirs}>
              Keep theirs
            </button>
          </>
        ) : (
          <>
            <form method="post" action={`/journal/${day}#review`}>
              <input type="hidden" name="version" value={conflict.theirsVersion} />
              {Object.entries(conflict.mine).map(([name, value]) => (
                <input key={name} type="hidden" name={name} value={value} />
              ))}
              <button type="submit" className="btn-primary">
                Keep mine
              </button>
            </form>
            <a href={`/journal/${day}#review`} className="btn-secondary">
              Keep theirs
            </a>
          </>
        )}
      </div>
    </div>
  );
}
