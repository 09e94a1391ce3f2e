// The dashboard's rows: the loader's snapshot, then every postgres_change the
// layout's live connection hears, applied as it arrives.
//
// When the loader runs again (a navigation, a revalidation after a dropped
// connection), its new snapshot replaces the live rows, and the changes heard
// since that load began are replayed on top, in order: the snapshot may have
// been read before them. A change that cannot be shown exactly (see
// live-rows.ts) asks the loader for the exact figures instead. And a page
// rendered before the live connection first joined loads once more when it
// does, to pick up what changed in between.
import { useFetchers, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { applyAccountChange, applyPositionChange, applyTradeChange, type PositionRows, type RowChange } from "~/domain/sync/live-rows.ts";
import { useLiveSync } from "~/components/shell/live-sync.tsx";
import type { DashboardAccount, DashboardData } from "~/models/dashboard.types.ts";
import type { LiveTrade } from "~/domain/sync/live-rows.ts";

export interface LiveDashboardRows {
  accounts: DashboardAccount[];
  positions: PositionRows;
  trades: LiveTrade[];
}

interface State extends LiveDashboardRows {
  from: DashboardData;
}

const MAX_JOURNAL = 1_000;

function snapshot(data: DashboardData): State {
  return {
    from: data,
    accounts: data.accounts,
    positions: Object.fromEntries(data.positions.map((p) => [p.id, p])),
    trades: data.recentTrades,
  };
}

function reduce(state: State, change: RowChange, recentLimit: number): { state: State; inexact: boolean } {
  const positions = applyPositionChange(state.positions, change);
  const accounts = applyAccountChange(state.accounts, change);
  const trades = applyTradeChange(state.trades, change, recentLimit);
  return {
    state: {
      from: state.from,
      positions: positions.rows,
      accounts: [...accounts.rows],
      trades: [...trades.rows],
    },
    inexact: positions.inexact || accounts.inexact || trades.inexact,
  };
}

export function useLiveDashboard(data: DashboardData, recentLimit: number): LiveDashboardRows {
  const { listen, joinCount } = useLiveSync();
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  const navigation = useNavigation();
  const fetchers = useFetchers();
  const loading = navigation.state === "loading" || revalidator.state === "loading" || fetchers.some((f) => f.state === "loading");

  const journal = useRef<RowChange[]>([]);
  const [state, setState] = useState(() => snapshot(data));
  const stateRef = useRef(state);
  let current = state;
  if (state.from !== data) {
    current = journal.current.reduce((rows, change) => reduce(rows, change, recentLimit).state, snapshot(data));
    setState(current);
  }
  stateRef.current = current;

  // A load starts: what is heard from now on may postdate its snapshot.
  useEffect(() => {
    if (loading) journal.current = [];
  }, [loading]);

  useEffect(() => {
    let pending: ReturnType<typeof setTimeout> | null = null;
    const stop = listen((change) => {
      journal.current.push(change);
      if (journal.current.length > MAX_JOURNAL) journal.current.shift();
      const { state: next, inexact } = reduce(stateRef.current, change, recentLimit);
      stateRef.current = next;
      setState(next);
      if (inexact && !pending) {
        pending = setTimeout(() => {
          pending = null;
          revalidate.current();
        }, 250);
      }
    });
    return () => {
      stop();
      if (pending) clearTimeout(pending);
    };
  }, [listen, recentLimit]);

  // A page rendered before this document's socket first joined may have missed
  // changes in between: once it joins, load the page again.
  const catchUp = useRef(joinCount === 0);
  useEffect(() => {
    if (!catchUp.current || joinCount === 0) return;
    catchUp.current = false;
    revalidate.current();
  }, [joinCount]);

  return current;
}
