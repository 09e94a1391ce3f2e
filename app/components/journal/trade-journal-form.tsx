// The journal on a trade's page: notes, tags, mood, setup quality, followed
// my plan, mistakes and lessons. With JavaScript the text autosaves (see
// use-autosave.ts) and the pickers save on every change; without it the same
// form posts to the page with its Save button. A stale save shows both
// versions and lets the writer keep either.
import { useId, type ReactNode } from "react";
import { saveStatusText } from "~/domain/journal/autosave-policy.ts";
import type { JournalContent, JournalEntry } from "~/domain/journal/entry.ts";
import { FOLLOWED_PLAN_OPTIONS, followedPlanLabel, MOOD_SCALE, moodLabel, SETUP_QUALITY_SCALE, setupQualityLabel } from "~/domain/journal/scales.ts";
import type { JournalFormAnswer, TradeJournal } from "~/models/journal/trade-journal.types.ts";
import { JournalTextArea, LeaveDialog, Scale, useHydrated } from "./form-parts.tsx";
import { JournalNotes } from "./journal-notes.tsx";
import { TagPicker } from "./tag-picker.tsx";
import { useAutosave, type Conflict } from "./use-autosave.ts";

export type JournalValues = { notes: string; lessons: string; mood: string; setupQuality: string; followedPlan: string };

export function journalValuesOf(content: JournalContent): JournalValues {
  return {
    notes: content.notes,
    lessons: content.lessons,
    mood: content.mood === null ? "" : String(content.mood),
    setupQuality: content.setupQuality === null ? "" : String(content.setupQuality),
    followedPlan: content.followedPlan ?? "",
  };
}

/** The trade's journal endpoint (autosave, pickers). */
export const journalUrl = (tradeId: string) => `/trades/${tradeId}/journal`;

interface TradeJournalFormProps {
  tradeId: string;
  journal: TradeJournal;
  timeZone: string;
  /** The page action's answer to a Save without JavaScript. */
  answer?: JournalFormAnswer | null;
  /** The Save without JavaScript went through (?journal=saved). */
  savedWithoutScript?: boolean;
}

export function TradeJournalForm({ tradeId, journal, timeZone, answer, savedWithoutScript }: TradeJournalFormProps) {
  const hydrated = useHydrated();
  const id = useId();
  const url = journalUrl(tradeId);
  const autosave = useAutosave<JournalValues, JournalEntry>({
    url,
    scope: `trade-journal:${tradeId}`,
    initial: journalValuesOf(journal.entry),
    version: journal.entry.version,
    toValues: journalValuesOf,
    extra: { intent: "save" },
  });
  const { values, setField, state } = autosave;
  // Without JavaScript the page action answers a stale Save with both versions.
  const staticConflict: Conflict<JournalValues> | null =
    answer?.status === "conflict"
      ? { mine: journalValuesOf(answer.mine), theirs: journalValuesOf(answer.theirs), theirsVersion: answer.theirs.version }
      : null;
  const conflict = autosave.conflict ?? (hydrated ? null : staticConflict);
  const fieldErrors = answer?.status === "invalid" ? answer.fieldErrors : {};
  const statusText = hydrated ? saveStatusText(state, timeZone) : savedWithoutScript ? "Saved" : "";
  const failedMessage = state.kind === "failed" ? state.message : answer?.status === "invalid" ? answer.formError : null;

  return (
    <section id="journal" aria-labelledby={`${id}-heading`} className="card mt-4 scroll-mt-20 p-5">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <div>
          <h2 id={`${id}-heading`} className="text-sm font-semibold text-fg">
            Journal
          </h2>
          <p className="mt-0.5 text-xs text-fg-muted">{hydrated ? "Saves as you type." : "Press Save when you're done."} Only you can see it.</p>
        </div>
        <p
          role="status"
          aria-live="polite"
          data-save-status={state.kind}
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
          tradeId={tradeId}
          onKeepMine={hydrated ? autosave.keepMine : undefined}
          onKeepTheirs={hydrated ? autosave.keepTheirs : undefined}
        />
      ) : null}

      <form
        method="post"
        action={`/trades/${tradeId}#journal`}
        hidden={conflict !== null}
        className="mt-4 space-y-5"
        onSubmit={(event) => {
          if (!hydrated) return;
          event.preventDefault();
          void autosave.saveNow();
        }}
      >
        <input type="hidden" name="intent" value="journal" />
        <input type="hidden" name="version" value={autosave.version} />
        {hydrated ? null : <input type="hidden" name="tagPickers" value="1" />}
        <div className="grid gap-5 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
          <div className="space-y-5">
            <JournalTextArea
              label="Notes"
              name="notes"
              hint="Why you took it, what you saw. Paragraphs, “- ” lists and **bold** work."
              rows={9}
              value={values.notes}
              onChange={(text) => setField("notes", text)}
              error={fieldErrors.notes?.[0]}
            />
            {values.notes.trim() ? (
              <details className="rounded-md border border-border bg-bg/40 px-3 py-2">
                <summary className="cursor-pointer text-xs font-medium text-fg-muted">Preview</summary>
                <JournalNotes text={values.notes} className="mt-2" />
              </details>
            ) : null}
            <JournalTextArea
              label="Lessons"
              name="lessons"
              hint="What you'd do the same, or differently, next time."
              rows={4}
              value={values.lessons}
              onChange={(text) => setField("lessons", text)}
              error={fieldErrors.lessons?.[0]}
            />
          </div>
          <div className="space-y-5">
            <Scale
              legend="Mood"
              name="mood"
              value={values.mood}
              onChange={(value) => setField("mood", value)}
              options={MOOD_SCALE.map((step) => ({ value: String(step.value), label: step.label, short: String(step.value) }))}
              error={fieldErrors.mood?.[0]}
              wordy
            />
            <Scale
              legend="Setup quality"
              name="setupQuality"
              value={values.setupQuality}
              onChange={(value) => setField("setupQuality", value)}
              options={SETUP_QUALITY_SCALE.map((step) => ({
                value: String(step.value),
                label: `${step.value} — ${step.label}`,
                short: String(step.value),
              }))}
              error={fieldErrors.setupQuality?.[0]}
            />
            <Scale
              legend="Followed my plan"
              name="followedPlan"
              value={values.followedPlan}
              onChange={(value) => setField("followedPlan", value)}
              options={FOLLOWED_PLAN_OPTIONS.map((option) => ({ value: option.value, label: option.label, short: option.label }))}
              error={fieldErrors.followedPlan?.[0]}
            />
            <TagPicker group="tags" label="Tags" tags={journal.tags} selectedIds={journal.selectedTagIds} url={url} interactive={hydrated} />
            <TagPicker
              group="mistakes"
              label="Mistakes"
              tags={journal.tags}
              selectedIds={journal.selectedTagIds}
              url={url}
              interactive={hydrated}
              placeholder="e.g. Moved my stop"
            />
          </div>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" className={hydrated ? "btn-secondary" : "btn-primary"} disabled={hydrated && !autosave.dirty}>
            {hydrated ? "Save now" : "Save"}
          </button>
        </div>
      </form>

      <LeaveDialog blocker={autosave.blocker} entry="trade" />
    </section>
  );
}

function Version({
  title,
  values,
}: {
  title: ReactNode;
  values: { notes: string; lessons: string; mood: string; setupQuality: string; followedPlan: string };
}) {
  const facts = [
    values.mood ? `Mood: ${values.mood} ${moodLabel(Number(values.mood))}` : null,
    values.setupQuality ? `Setup: ${values.setupQuality} ${setupQualityLabel(Number(values.setupQuality))}` : null,
    values.followedPlan ? `Followed plan: ${followedPlanLabel(values.followedPlan)}` : null,
  ].filter(Boolean);
  return (
    <div className="min-w-0 rounded-md border border-border bg-bg/40 p-3">
      <h3 className="text-xs font-semibold uppercase tracking-wide text-fg-muted">{title}</h3>
      <JournalNotes text={values.notes} empty="No notes." className="mt-2 max-h-80 overflow-auto" />
      {values.lessons.trim() ? (
        <div className="mt-2 border-t border-border pt-2">
          <p className="text-xs font-medium text-fg-muted">Lessons</p>
          <JournalNotes text={values.lessons} className="mt-1" />
        </div>
      ) : null}
      {facts.length ? <p className="mt-2 text-xs text-fg-muted">{facts.join(" · ")}</p> : null}
    </div>
  );
}

function ConflictPanel({
  conflict,
  tradeId,
  onKeepMine,
  onKeepTheirs,
}: {
  conflict: Conflict<JournalValues>;
  tradeId: string;
  onKeepMine?: () => void;
  onKeepTheirs?: () => void;
}) {
  return (
    <div className="mt-4 rounded-md border border-amber-400/40 bg-amber-400/5 p-4" role="alert" data-journal-conflict="">
      <p className="text-sm font-semibold text-amber-200">This entry was changed somewhere else (another tab or device) while you were writing.</p>
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
            <form method="post" action={`/trades/${tradeId}#journal`}>
              <input type="hidden" name="intent" value="journal" />
              <input type="hidden" name="version" value={conflict.theirsVersion} />
              {Object.entries(conflict.mine).map(([name, value]) => (
                <input key={name} type="hidden" name={name} value={value} />
              ))}
              <button type="submit" className="btn-primary">
                Keep mine
              </button>
            </form>
            <a href={`/trades/${tradeId}#journal`} className="btn-secondary">
              Keep theirs
            </a>
          </>
        )}
      </div>
    </div>
  );
}
