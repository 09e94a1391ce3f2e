// useAutosave: an editor's fields saved 2 s after the last keystroke, without
// ever losing a word. Generic: the trade journal uses it, and so can any
// entry that has a version (the daily review).
//
// Contract
//   const save = useAutosave({ url, scope, initial, version, toValues, extra });
//   - `initial` / `version`: the stored fields (all strings, "" for empty) and
//     the version they were read at (0 when there is no entry yet).
//   - `url` receives a POST of FormData: every field, `version` (the version
//     the text started from) and `extra` (e.g. { intent: "save" }), with
//     Accept: application/json. It answers JSON:
//       { status: "saved", entry }          entry = the stored row: its fields, version
//       { status: "conflict", theirs }      nothing written; theirs = the newer stored row
//       { status: "invalid", formError }    refused (4xx); not retried until the next edit
//     `toValues(entry)` turns an answered row into fields. A failed request
//     (offline, 5xx, no JSON) is retried with backoff (1 s, 2 s, 4 s … 30 s)
//     and at once when the browser comes back online.
//   - Returns the fields (`values`, `setField`), the status (`state`, shown
//     with saveStatusText), `dirty`, `saveNow()`, and on a conflict `conflict`
//     ({ mine, theirs }) with `keepMine()` / `keepTheirs()`, and `blocker` (below).
//   - `blockNavigation: false` for an editor that saves as it closes (a sheet).
//
// Never lose a word: every edit is written to localStorage under the scope
// and the version it started from (draftKey) until the server has it, so a
// reload restores it — as a conflict when the stored entry moved on in the
// meantime. Leaving with unsaved text asks first: beforeunload for the tab,
// Remix's useBlocker for links inside the app (`blocker`: the page shows the
// question).
import { useBlocker } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { AUTOSAVE_DELAY_MS, draftKey, draftKeyPrefix, draftKeyVersion, retryDelayMs, type SaveState } from "~/domain/journal/autosave-policy.ts";

export type Fields = Record<string, string>;

export interface AutosaveOptions<F extends Fields, E extends { version: number }> {
  url: string;
  /** Names the entry for drafts, e.g. "trade-journal:<trade id>". */
  scope: string;
  initial: F;
  version: number;
  toValues: (entry: E) => F;
  extra?: Record<string, string>;
  delayMs?: number;
  /** Ask before in-app navigation with unsaved text (false for a sheet that saves as it closes). */
  blockNavigation?: boolean;
}

export interface Conflict<F> {
  mine: F;
  theirs: F;
  theirsVersion: number;
}

type Answer<E> = { status: "saved"; entry: E } | { status: "conflict"; theirs: E } | { status: "invalid"; formError: string };

function sameFields(a: Fields, b: Fields): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if ((a[key] ?? "").replace(/\r\n?/g, "\n").trimEnd() !== (b[key] ?? "").replace(/\r\n?/g, "\n").trimEnd()) return false;
  return true;
}

function readDrafts<F>(scope: string): { key: string; version: number; values: F }[] {
  const drafts: { key: string; version: number; values: F }[] = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i)!;
      const version = draftKeyVersion(key, scope);
      if (version === null) continue;
      const parsed = JSON.parse(localStorage.getItem(key) ?? "null") as { values?: F } | null;
      if (parsed?.values) drafts.push({ key, version, values: parsed.values });
    }
  } catch {
    // Storage refused (private mode, quota): the editor still saves, only without a draft.
  }
  return drafts.sort((a, b) => b.version - a.version);
}

function clearDrafts(scope: string) {
  try {
    for (const key of Object.keys(localStorage)) if (key.startsWith(draftKeyPrefix(scope))) localStorage.removeItem(key);
  } catch {
    // See readDrafts.
  }
}

function writeDraft(scope: string, version: number, values: Fields) {
  try {
    localStorage.setItem(draftKey(scope, version), JSON.stringify({ values, at: new Date().toISOString() }));
  } catch {
    // See readDrafts.
  }
}

export function useAutosave<F extends Fields, E extends { version: number }>({
  url,
  scope,
  initial,
  version,
  toValues,
  extra,
  delayMs = AUTOSAVE_DELAY_MS,
  blockNavigation = true,
}: AutosaveOptions<F, E>) {
  const [values, setValues] = useState<F>(initial);
  const [saved, setSaved] = useState<{ values: F; version: number }>({ values: initial, version });
  const [state, setState] = useState<SaveState>({ kind: "idle" });
  const [conflict, setConflict] = useState<Conflict<F> | null>(null);
  const [restored, setRestored] = useState(false);
  const [edits, setEdits] = useState(0);
  const [retryCount, setRetryCount] = useState(0);

  // The timers and the in-flight save read the latest of these, not a render's copy.
  const live = useRef({ values, saved, conflict, inFlight: false, attempt: 0 });
  live.current.values = values;
  live.current.saved = saved;
  live.current.conflict = conflict;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const options = useRef({ url, scope, extra, toValues });
  options.current = { url, scope, extra, toValues };

  const dirty = !sameFields(values, saved.values);

  const save = useCallback(async (): Promise<void> => {
    const current = live.current;
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (current.inFlight || current.conflict) return;
    const sent = current.values;
    const baseVersion = current.saved.version;
    if (sameFields(sent, current.saved.values)) {
      setState((state) => (state.kind === "dirty" ? { kind: "idle" } : state));
      return;
    }
    if (typeof navigator !== "undefined" && navigator.onLine === false) {
      setState({ kind: "offline" });
      return;
    }
    current.inFlight = true;
    setState({ kind: "saving" });
    const body = new FormData();
    for (const [name, value] of Object.entries(sent)) body.set(name, value);
    body.set("version", String(baseVersion));
    for (const [name, value] of Object.entries(options.current.extra ?? {})) body.set(name, value);
    let answer: Answer<E> | null = null;
    let retry = false;
    try {
      const response = await fetch(options.current.url, {
        method: "POST",
        body,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const json = (await response.json().catch(() => null)) as Answer<E> | null;
      if (json && (json.status === "saved" || json.status === "conflict" || json.status === "invalid")) answer = json;
      else retry = response.status >= 500 || response.status === 0;
      if (!answer && !retry) setState({ kind: "failed", message: "The server's answer wasn't understood. Reload the page; your text is kept here." });
    } catch {
      // fetch rejects only when no answer arrived: offline or the connection dropped.
      retry = true;
    } finally {
      current.inFlight = false;
    }
    if (retry) {
      const offline = typeof navigator !== "undefined" && navigator.onLine === false;
      setState(offline ? { kind: "offline" } : { kind: "failed", message: "The server couldn't be reached; retrying." });
      const wait = retryDelayMs(current.attempt++);
      timer.current = setTimeout(() => void save(), wait);
      setRetryCount((n) => n + 1);
      return;
    }
    if (!answer) return;
    current.attempt = 0;
    if (answer.status === "saved") {
      const next = { values: sent, version: answer.entry.version };
      live.current.saved = next;
      setSaved(next);
      setState({ kind: "saved", at: new Date().toISOString() });
      if (sameFields(live.current.values, sent)) clearDrafts(options.current.scope);
      else {
        // Typed while the save was on its way: move the draft to the new version and save again.
        clearDrafts(options.current.scope);
        writeDraft(options.current.scope, next.version, live.current.values);
        timer.current = setTimeout(() => void save(), delayMs);
      }
    } else if (answer.status === "conflict") {
      const found = { mine: live.current.values, theirs: options.current.toValues(answer.theirs), theirsVersion: answer.theirs.version };
      live.current.conflict = found;
      setConflict(found);
      setState({ kind: "conflict" });
    } else {
      setState({ kind: "failed", message: answer.formError });
    }
  }, [delayMs]);

  // Restore a draft left by a reload or a closed tab: over the same version it
  // simply comes back (and saves); over an older one it meets the stored entry
  // as a conflict.
  useEffect(() => {
    const [draft] = readDrafts<F>(scope);
    if (!draft || sameFields(draft.values, initial)) {
      clearDrafts(scope);
      return;
    }
    setRestored(true);
    if (draft.version === version) {
      setValues(draft.values);
      setEdits((n) => n + 1);
    } else {
      const found = { mine: draft.values, theirs: initial, theirsVersion: version };
      live.current.conflict = found;
      setValues(draft.values);
      setConflict(found);
      setState({ kind: "conflict" });
    }
    // Once per entry: a later loader revalidation must not replay the draft.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scope]);

  // Each edit: keep the draft, and save once the writer pauses.
  useEffect(() => {
    if (edits === 0) return;
    const current = live.current;
    if (sameFields(current.values, current.saved.values)) {
      if (!current.conflict) clearDrafts(scope);
      return;
    }
    // Under the version the text was typed against: while a conflict is open that is the older one.
    writeDraft(scope, current.saved.version, current.values);
    if (current.conflict) return;
    setState((state) => (state.kind === "offline" ? state : { kind: "dirty" }));
    if (timer.current) clearTimeout(timer.current);
    current.attempt = 0;
    timer.current = setTimeout(() => void save(), delayMs);
  }, [edits, scope, delayMs, save]);

  // Back online: save now instead of waiting for the next retry.
  useEffect(() => {
    const online = () => {
      live.current.attempt = 0;
      void save();
    };
    const offline = () => {
      if (!sameFields(live.current.values, live.current.saved.values)) setState({ kind: "offline" });
    };
    window.addEventListener("online", online);
    window.addEventListener("offline", offline);
    return () => {
      window.removeEventListener("online", online);
      window.removeEventListener("offline", offline);
    };
  }, [save]);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  // Unsaved text: the tab asks before closing, the app before navigating away.
  const unsaved = dirty || conflict !== null;
  useEffect(() => {
    if (!unsaved) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [unsaved]);
  const blocker = useBlocker(({ currentLocation, nextLocation }) => blockNavigation && unsaved && currentLocation.pathname !== nextLocation.pathname);

  const setField = useCallback((name: keyof F & string, value: string) => {
    setValues((current) => ({ ...current, [name]: value }));
    setEdits((n) => n + 1);
  }, []);

  const keepMine = useCallback(() => {
    const found = live.current.conflict;
    if (!found) return;
    live.current.conflict = null;
    // My text (as it is now) replaces theirs: save it against their version.
    const next = { values: found.theirs, version: found.theirsVersion };
    live.current.saved = next;
    setSaved(next);
    setConflict(null);
    setState({ kind: "dirty" });
    live.current.attempt = 0;
    void save();
  }, [save]);

  const keepTheirs = useCallback(() => {
    const found = live.current.conflict;
    if (!found) return;
    live.current.conflict = null;
    const next = { values: found.theirs, version: found.theirsVersion };
    live.current.saved = next;
    live.current.values = found.theirs;
    setSaved(next);
    setValues(found.theirs);
    setConflict(null);
    clearDrafts(scope);
    setState({ kind: "idle" });
  }, [scope]);

  return {
    values,
    setField,
    version: saved.version,
    state,
    dirty,
    unsaved,
    restored,
    retries: retryCount,
    conflict,
    keepMine,
    keepTheirs,
    saveNow: save,
    blocker,
  };
}
