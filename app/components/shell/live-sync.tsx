// The signed-in layout's live connection: every page of every tab counts as
// "online" for sync (presence), hears the jobs process's notices (toasts on
// any page) and passes postgres_changes to whichever page listens (the
// dashboard). The header's sync dot is kept current from the accounts'
// changes. supabase-js is loaded only in the browser, after the page is
// interactive.
import { useRevalidator } from "@remix-run/react";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { RowChange } from "~/domain/sync/live-rows.ts";
import { syncIndicator, type AccountSyncStatus, type SyncIndicator } from "~/domain/sync/sync-indicator.ts";
import { RealtimeSession, type LiveStatus, type RealtimeToken, type SharedChangesWatch } from "~/lib/realtime-session.ts";
import { accountPausedText, tradeClosedText, tradeClosedTone } from "~/lib/sync-notice-text.ts";
import type { ShellAccount } from "~/models/shell-types.ts";
import type { RealtimeTokenAnswer } from "~/routes/realtime.token.ts";
import { useQuickJournal } from "~/components/journal/quick-journal-sheet.tsx";
import { useToast } from "./toaster.tsx";

export interface LiveConfig {
  supabaseUrl: string;
  anonKey: string;
  userId: string;
}

type ChangeListener = (change: RowChange) => void;

interface LiveSyncValue {
  status: LiveStatus;
  indicator: SyncIndicator;
  /** Registers a listener for postgres_changes; returns its removal. */
  listen: (listener: ChangeListener) => () => void;
  /** Bumps once each time the channels are (re)joined, so a page can tell it is live. */
  joinCount: number;
  /** Listens to a shared table's postgres_changes (candle_cache) on this tab's connection; returns its removal. */
  watchChanges: (watch: SharedChangesWatch) => () => void;
}

const LiveSyncContext = createContext<LiveSyncValue>({
  status: "connecting",
  indicator: syncIndicator([]),
  listen: () => () => {},
  joinCount: 0,
  watchChanges: () => () => {},
});

export function useLiveSync(): LiveSyncValue {
  return useContext(LiveSyncContext);
}

async function fetchRealtimeToken(): Promise<RealtimeToken | null> {
  const response = await fetch("/realtime/token", { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (response.status === 401) return null;
  if (!response.ok) throw new Error(`token request answered ${response.status}`);
  const answer = (await response.json()) as RealtimeTokenAnswer;
  // Measured on this browser's clock from the server's "time left", so a clock that is off does not matter.
  return { token: answer.token, expiresAt: Date.now() + answer.expiresInMs };
}

/** A random presence key for this tab (crypto.randomUUID needs a secure context; this does not). */
function newTabId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `tab-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

type AccountSync = Pick<ShellAccount, "id" | "name" | "kind" | "syncEnabled" | "syncStatus" | "syncError">;

const SYNC_STATUSES: ReadonlySet<string> = new Set(["idle", "pending", "syncing", "ok", "error", "paused"]);

function patchAccount(accounts: AccountSync[], change: RowChange): AccountSync[] {
  if (change.table !== "accounts" || change.eventType !== "UPDATE") return accounts;
  const row = change.new;
  const index = accounts.findIndex((a) => a.id === row.id);
  if (index === -1) return accounts;
  const current = accounts[index]!;
  const next: AccountSync = {
    ...current,
    name: typeof row.name === "string" ? row.name : current.name,
    syncEnabled: typeof row.sync_enabled === "boolean" ? row.sync_enabled : current.syncEnabled,
    syncStatus:
      typeof row.sync_status === "string" && SYNC_STATUSES.has(row.sync_status) ? (row.sync_status as AccountSyncStatus) : current.syncStatus,
    syncError: row.sync_error === null || typeof row.sync_error === "string" ? (row.sync_error as string | null) : current.syncError,
  };
  const copy = [...accounts];
  copy[index] = next;
  return copy;
}

export function LiveSyncProvider({ config, accounts, children }: { config: LiveConfig; accounts: AccountSync[]; children: ReactNode }) {
  const { show } = useToast();
  const { open: openQuickJournal } = useQuickJournal();
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const [joinCount, setJoinCount] = useState(0);
  const listeners = useRef(new Set<ChangeListener>());
  // Shared-table watches outlive a session (it is remade when the user changes): each is re-attached to the current one.
  const watches = useRef(new Map<SharedChangesWatch, () => void>());
  const currentSession = useRef<RealtimeSession | null>(null);
  // The loader's accounts, patched by live changes until the loader speaks again.
  const [live, setLive] = useState<{ from: AccountSync[]; accounts: AccountSync[] }>({ from: accounts, accounts });
  const current = live.from === accounts ? live.accounts : accounts;
  if (live.from !== accounts) setLive({ from: accounts, accounts });

  const { supabaseUrl, anonKey, userId } = config;
  useEffect(() => {
    let session: RealtimeSession | null = null;
    let cancelled = false;
    const attached = watches.current;
    let resumeTimer: ReturnType<typeof setTimeout> | null = null;
    void import("@supabase/supabase-js").then(({ createClient }) => {
      if (cancelled) return;
      session = new RealtimeSession({
        url: supabaseUrl,
        anonKey,
        userId,
        tabId: newTabId(),
        fetchToken: fetchRealtimeToken,
        createClient,
        onChange: (change) => {
          setLive((state) => ({ from: state.from, accounts: patchAccount(state.accounts, change) }));
          for (const listener of listeners.current) listener(change);
        },
        onTradeClosed: (notice) =>
          show({
            text: tradeClosedText(notice),
            tone: tradeClosedTone(notice.netProfit),
            action: {
              label: "Add notes",
              to: `/trades/${notice.tradeId}#journal`,
              onSelect: () => openQuickJournal({ tradeId: notice.tradeId, title: tradeClosedText(notice) }),
            },
          }),
        onAccountPaused: (notice) =>
          show({ text: accountPausedText(notice), tone: "warning", action: { label: "Reconnect", to: `/accounts/${notice.accountId}#connection` } }),
        onStatus: (next) => {
          setStatus(next);
          if (next === "live") setJoinCount((count) => count + 1);
        },
        // Several channels rejoin at once after a drop: reload the loaders once.
        onResumed: () => {
          if (resumeTimer) clearTimeout(resumeTimer);
          resumeTimer = setTimeout(() => revalidate.current(), 200);
        },
        onSignedOut: () => setStatus("stopped"),
      });
      currentSession.current = session;
      for (const watch of attached.keys()) attached.set(watch, session.watchChanges(watch));
      void session.start();
    });
    return () => {
      cancelled = true;
      if (resumeTimer) clearTimeout(resumeTimer);
      currentSession.current = null;
      for (const watch of attached.keys()) attached.set(watch, () => {});
      void session?.stop();
    };
  }, [supabaseUrl, anonKey, userId, show, openQuickJournal]);

  const listen = useCallback((listener: ChangeListener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);
  const watchChanges = useCallback((watch: SharedChangesWatch) => {
    watches.current.set(watch, currentSession.current?.watchChanges(watch) ?? (() => {}));
    return () => {
      watches.current.get(watch)?.();
      watches.current.delete(watch);
    };
  }, []);
  const indicator = useMemo(() => syncIndicator(current), [current]);
  const value = useMemo(() => ({ status, indicator, listen, joinCount, watchChanges }), [status, indicator, listen, joinCount, watchChanges]);
  return <LiveSyncContext.Provider value={value}>{children}</LiveSyncContext.Provider>;
}
