// The journal forms' shared parts (the trade's journal, the daily review, the
// quick sheet): a labelled text area, a scale of radio buttons, the
// "leave with unsaved text?" dialog, and whether the page has hydrated.
import * as Dialog from "@radix-ui/react-dialog";
import { useEffect, useId, useState } from "react";
import type { useAutosave } from "./use-autosave.ts";

export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

export function JournalTextArea({
  label,
  name,
  hint,
  rows,
  value,
  onChange,
  error,
}: {
  label: string;
  name: string;
  hint: string;
  rows: number;
  value: string;
  onChange: (text: string) => void;
  error?: string;
}) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="text-sm font-medium text-fg">
        {label}
      </label>
      <p id={`${id}-hint`} className="text-xs text-fg-muted">
        {hint}
      </p>
      <textarea
        id={id}
        name={name}
        rows={rows}
        maxLength={20_000}
        className="input mt-1 resize-y leading-relaxed"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
      />
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-400">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A row of radio buttons; clicking the chosen one again clears the answer (with JavaScript). */
export function Scale({
  legend,
  name,
  value,
  onChange,
  options,
  error,
  wordy = false,
}: {
  legend: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string; short: string }[];
  error?: string;
  wordy?: boolean;
}) {
  return (
    <fieldset>
      <legend className="text-sm font-medium text-fg">{legend}</legend>
      <div className={`mt-1 grid gap-1.5 ${options.length === 5 ? "grid-cols-5" : "grid-cols-3"}`}>
        {options.map((option) => (
          <label
            key={option.value}
            className="flex min-w-0 cursor-pointer flex-col items-center justify-center rounded-md border border-border bg-bg px-0.5 py-1.5 text-center text-xs text-fg-muted has-[:checked]:border-accent has-[:checked]:bg-accent/15 has-[:checked]:text-fg has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-accent-hover"
          >
            <input
              type="radio"
              name={name}
              value={option.value}
              checked={value === option.value}
              onChange={() => onChange(option.value)}
              onClick={() => {
                if (value === option.value) onChange("");
              }}
              className="sr-only"
              aria-label={wordy ? `${option.short} — ${option.label}` : undefined}
            />
            {wordy ? (
              <>
                <span className="text-sm font-semibold tabular-nums" aria-hidden="true">
                  {option.short}
                </span>
                <span aria-hidden="true" className="max-w-full text-[10px] leading-tight sm:text-[11px]">
                  {option.label}
                </span>
              </>
            ) : (
              <span className="py-0.5 text-sm">{option.short}</span>
            )}
          </label>
        ))}
      </div>
      {error ? <p className="mt-1 text-sm text-red-400">{error}</p> : null}
    </fieldset>
  );
}

export function LeaveDialog({ blocker, entry }: { blocker: ReturnType<typeof useAutosave>["blocker"]; entry: "trade" | "day" }) {
  const open = blocker.state === "blocked";
  return (
    <Dialog.Root
      open={open}
      onOpenChange={(next) => {
        if (!next && blocker.state === "blocked") blocker.reset();
      }}
    >
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/60" />
        <Dialog.Content className="fixed left-1/2 top-1/2 z-50 w-[calc(100%-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-lg border border-border bg-surface p-6 shadow-2xl">
          <Dialog.Title className="text-base font-semibold text-fg">Leave with unsaved text?</Dialog.Title>
          <Dialog.Description className="mt-2 text-sm text-fg-muted">
            Your latest changes haven&apos;t reached the server yet. They stay in this browser and come back when you open this {entry} again.
          </Dialog.Description>
          <div className="mt-6 flex flex-wrap justify-end gap-3">
            <Dialog.Close className="btn-secondary">Stay</Dialog.Close>
            <button type="button" className="btn-primary" onClick={() => blocker.state === "blocked" && blocker.proceed()}>
              Leave
            </button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
