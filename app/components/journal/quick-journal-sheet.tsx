// The quick journal: the new-trade toast's "Add notes" opens this compact
// sheet over whatever page is showing (the dashboard, mostly) — mood, tags,
// a one-line note and screenshots — so journaling a trade as it closes
// costs no navigation. It saves like the trade page's journal (autosave with
// the entry's version, tags at once) through the same endpoint, and sends
// every field it was given so the ones it does not show are kept. Without
// JavaScript there is no toast; the link itself goes to /trades/<id>#journal.
import * as Dialog from "@radix-ui/react-dialog";
import { Link } from "@remix-run/react";
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { saveStatusText } from "~/domain/journal/autosave-policy.ts";
import type { JournalEntry } from "~/domain/journal/entry.ts";
import { MOOD_SCALE } from "~/domain/journal/scales.ts";
import type { TradeJournal } from "~/models/journal/trade-journal.types.ts";
import { ScreenshotsPanel } from "./screenshots/index.ts";
import { TagPicker } from "./tag-picker.tsx";
import { Scale } from "./form-parts.tsx";
import { journalUrl, journalValuesOf, type JournalValues } from "./trade-journal-form.tsx";
import { useAutosave } from "./use-autosave.ts";

interface QuickJournalTarget {
  tradeId: string;
  /** What the toast said, e.g. "EURUSD buy closed +$47.50 (+23.0 pips)". */
  title: string;
}

const QuickJournalContext = createContext<{ open: (target: QuickJournalTarget) => void }>({ open: () => {} });

export function useQuickJournal() {
  return useContext(QuickJournalContext);
}

export function QuickJournalProvider({ timeZone, children }: { timeZone?: string; children: ReactNode }) {
  const [target, setTarget] = useState<QuickJournalTarget | null>(null);
  const open = useCallback((next: QuickJournalTarget) => setTarget(next), []);
  const value = useMemo(() => ({ open }), [open]);
  return (
    <QuickJournalContext.Provider value={value}>
      {children}
      <Dialog.Root open={target !== null} onOpenChange={(next) => !next && setTarget(null)}>
        <Dialog.Portal>
          <Dialog.Overlay className="fixed inset-0 z-40 bg-black/60" />
          <Dialog.Content
            className="fixed inset-x-0 bottom-0 z-50 max-h-[90vh] overflow-y-auto rounded-t-xl border border-border bg-surface p-5 shadow-2xl sm:inset-x-auto sm:bottom-auto sm:left-1/2 sm:top-1/2 sm:w-[32rem] sm:-translate-x-1/2 sm:-translate-y-1/2 sm:rounded-xl"
            aria-describedby={undefined}
          >
            {target ? <QuickJournal key={target.tradeId} target={target} timeZone={timeZone} onDone={() => setTarget(null)} /> : null}
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
    </QuickJournalContext.Provider>
  );
}

function QuickJournal({ target, timeZone, onDone }: { target: QuickJournalTarget; timeZone?: string; onDone: () => void }) {
  const [journal, setJournal] = useState<TradeJournal | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    fetch(journalUrl(target.tradeId), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(async (response) => {
        const body = (await response.json().catch(() => null)) as (TradeJournal & { message?: string }) | null;
        if (cancelled) return;
        if (!response.ok || !body?.entry) setError(body?.message ?? "The journal couldn't be loaded.");
        else setJournal(body);
      })
      .catch(() => !cancelled && setError("The journal couldn't be loaded. Check your connection."));
    return () => {
      cancelled = true;
    };
  }, [target.tradeId]);

  return (
    <>
      <Dialog.Title className="text-base font-semibold text-fg">Add notes</Dialog.Title>
      <p className="mt-0.5 text-sm text-fg-muted">{target.title}</p>
      {error ? (
        <p className="mt-4 text-sm text-red-400" role="alert">
          {error}
        </p>
      ) : journal ? (
        <QuickJournalFields tradeId={target.tradeId} journal={journal} timeZone={timeZone} onDone={onDone} />
      ) : (
        <p className="mt-4 text-sm text-fg-muted">Loading…</p>
      )}
    </>
  );
}

function QuickJournalFields({
  tradeId,
  journal,
  timeZone,
  onDone,
}: {
  tradeId: string;
  journal: TradeJournal;
  timeZone?: string;
  onDone: () => void;
}) {
  const url = journalUrl(tradeId);
  const autosave = useAutosave<JournalValues, JournalEntry>({
    url,
    scope: `trade-journal:${tradeId}`,
    initial: journalValuesOf(journal.entry),
    version: journal.entry.version,
    toValues: journalValuesOf,
    extra: { intent: "save" },
    // The sheet saves as it closes; its draft survives in the browser if that fails.
    blockNavigation: false,
  });
  const { values, setField, state, saveNow } = autosave;
  // Closed by Escape or a click outside: what was typed goes to the server as it closes.
  useEffect(() => () => void saveNow(), [saveNow]);
  // One line here; longer notes are edited on the trade's page.
  const multiline = journal.entry.notes.includes("\n");
  const full = `/trades/${tradeId}#journal`;

  return (
    <div className="mt-4 space-y-4">
      <Scale
        legend="Mood"
        name="quick-mood"
        value={values.mood}
        onChange={(value) => setField("mood", value)}
        options={MOOD_SCALE.map((step) => ({ value: String(step.value), label: step.label, short: String(step.value) }))}
        wordy
      />
      <TagPicker group="tags" label="Tags" tags={journal.tags} selectedIds={journal.selectedTagIds} url={url} interactive />
      {multiline ? (
        <p className="text-sm text-fg-muted">
          This trade already has longer notes.{" "}
          <Link to={full} className="link" onClick={onDone}>
            Edit them on its page
          </Link>
          .
        </p>
      ) : (
        <div>
          <label htmlFor="quick-note" className="text-sm font-medium text-fg">
            Note
          </label>
          <input
            id="quick-note"
            className="input mt-1"
            value={values.notes}
            maxLength={500}
            placeholder="Why you took it, in a line"
            onChange={(event) => setField("notes", event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter") {
                event.preventDefault();
                void autosave.saveNow();
              }
            }}
          />
        </div>
      )}
      <ScreenshotsPanel target={{ kind: "trade", tradeId }} />
      {autosave.conflict ? (
        <p className="text-sm text-amber-300" role="alert">
          This entry changed elsewhere meanwhile.{" "}
          <Link to={full} className="link" onClick={onDone}>
            Compare both versions on the trade&apos;s page
          </Link>
          .
        </p>
      ) : null}
      <div className="flex flex-wrap items-center justify-between gap-3 border-t border-border pt-4">
        <p role="status" aria-live="polite" data-save-status={state.kind} className="text-xs text-fg-muted">
          {saveStatusText(state, timeZone)}
        </p>
        <div className="flex gap-2">
          <Link to={full} className="btn-ghost" onClick={onDone}>
            Full journal
          </Link>
          <button
            type="button"
            className="btn-primary"
            onClick={() => {
              void autosave.saveNow().then(onDone);
            }}
          >
            Done
          </button>
        </div>
      </div>
    </div>
  );
}
