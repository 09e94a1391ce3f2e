// One browser tab's Realtime connection (docs/decisions/011): it
//  - tracks the tab on the private topic `presence:<user id>`, which is what
//    makes the jobs process sync the user's MT5 accounts;
//  - listens on the private topic `user:<user id>` for the jobs process's
//    notices (a trade closed, an account paused) and, on the same channel, for
//    postgres_changes of the user's accounts, open positions and trades;
//  - keeps its access token valid: the token comes from the app
//    (/realtime/token, which refreshes the cookie session), is handed to the
//    socket through supabase-js's accessToken callback, and is renewed on a
//    timer before it expires, so joined channels are never closed for an
//    expired token;
//  - on request, listens to postgres_changes of shared tables (candle_cache)
//    on a public channel of its own per watch, over the same socket and token;
//  - comes back after a drop: the socket reconnects with backoff and phoenix
//    rejoins errored channels; a channel the server closed is opened again
//    with backoff; and every channel that rejoins after a drop reports
//    `onResumed`, so the page reloads what it may have missed from its loader.
// It never queries the database: everything it learns is pushed to it.
//
// Framework-free and given its supabase-js factory, so it runs the same in the
// browser and in tests against the local Realtime.
import type { RealtimeChannel, SupabaseClient, SupabaseClientOptions } from "@supabase/supabase-js";
import type { RowChange } from "~/domain/sync/live-rows.ts";
import { presenceTopic, USER_EVENTS, userTopic, type AccountPausedNotice, type TradeClosedNotice } from "~/domain/sync/realtime-contract.ts";
import { reconnectDelay, tokenIsFresh, tokenRenewDelay } from "~/domain/sync/realtime-timing.ts";

export type LiveStatus = "connecting" | "live" | "reconnecting" | "stopped";

export interface RealtimeToken {
  token: string;
  /** Milliseconds since the epoch, by this process's clock (`now`). */
  expiresAt: number;
}

export type CreateSupabaseClient = (url: string, key: string, options: SupabaseClientOptions<"public">) => SupabaseClient;

export interface RealtimeSessionOptions {
  url: string;
  anonKey: string;
  userId: string;
  /** This tab's presence key. */
  tabId: string;
  /** A current access token, or null once the user is signed out. Throws when it cannot tell (offline). */
  fetchToken: () => Promise<RealtimeToken | null>;
  createClient: CreateSupabaseClient;
  onChange?: (change: RowChange) => void;
  onTradeClosed?: (notice: TradeClosedNotice) => void;
  onAccountPaused?: (notice: AccountPausedNotice) => void;
  onStatus?: (status: LiveStatus) => void;
  /** Channels rejoined after a drop: changes may have been missed. */
  onResumed?: () => void;
  onSignedOut?: () => void;
  random?: () => number;
  now?: () => number;
}

const LIVE_TABLES = ["accounts", "open_positions", "trades"] as const;

/** postgres_changes of a table every signed-in user may read (RLS still decides), e.g. candle_cache for one symbol. */
export interface SharedChangesWatch {
  table: string;
  /** A Realtime filter such as `symbol=eq.EURUSD` or `symbol=in.(EURUSD,GBPUSD)`. */
  filter?: string;
  onChange: (change: RowChange) => void;
}

interface WatchSlot {
  watch: SharedChangesWatch;
  topic: string;
  channel: RealtimeChannel | null;
  tries: number;
  timer: ReturnType<typeof setTimeout> | null;
}

let nextWatchId = 1;

interface ChannelSlot {
  name: "presence" | "user";
  channel: RealtimeChannel | null;
  joined: boolean;
  /** Joined at least once, then lost: the next join is a resumption. */
  dropped: boolean;
  everJoined: boolean;
  reopenTries: number;
  reopenTimer: ReturnType<typeof setTimeout> | null;
}

function isTradeClosed(value: unknown): value is TradeClosedNotice {
  const v = value as Partial<TradeClosedNotice> | null;
  return (
    !!v &&
    typeof v.tradeId === "string" &&
    typeof v.symbol === "string" &&
    (v.direction === "buy" || v.direction === "sell") &&
    typeof v.netProfit === "string" &&
    typeof v.currency === "string" &&
    (v.pips === null || typeof v.pips === "string")
  );
}

function isAccountPaused(value: unknown): value is AccountPausedNotice {
  const v = value as Partial<AccountPausedNotice> | null;
  return !!v && typeof v.accountId === "string" && typeof v.accountName === "string" && typeof v.message === "string";
}

export class RealtimeSession {
  private readonly options: RealtimeSessionOptions;
  private readonly random: () => number;
  private readonly now: () => number;
  private client: SupabaseClient | null = null;
  private token: (RealtimeToken & { receivedAt: number }) | null = null;
  private tokenRequest: Promise<string | null> | null = null;
  private renewTimer: ReturnType<typeof setTimeout> | null = null;
  /** Set by the renew timer: the next accessToken() fetches, whatever the clock says (timers may fire a hair early). */
  private renewDue = false;
  private stopped = false;
  private readonly watches = new Set<WatchSlot>();
  private status: LiveStatus = "connecting";
  private readonly slots: ChannelSlot[] = [
    { name: "presence", channel: null, joined: false, dropped: false, everJoined: false, reopenTries: 0, reopenTimer: null },
    { name: "user", channel: null, joined: false, dropped: false, everJoined: false, reopenTries: 0, reopenTimer: null },
  ];

  constructor(options: RealtimeSessionOptions) {
    this.options = options;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  /** Connects and joins both channels. */
  async start(): Promise<void> {
    const { url, anonKey, createClient } = this.options;
    this.client = createClient(url, anonKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      accessToken: () => this.accessToken(),
      realtime: { reconnectAfterMs: (tries: number) => reconnectDelay(tries, this.random()) },
    });
    // Settle the token before the first join, or it goes out with the anon key.
    await this.client.realtime.setAuth();
    if (this.stopped) return;
    for (const slot of this.slots) this.open(slot);
    for (const watch of this.watches) this.openWatch(watch);
  }

  /** Listens to a shared table's changes until the returned function is called; may be called before start(). */
  watchChanges(watch: SharedChangesWatch): () => void {
    // A topic per watch: supabase-js hands back an existing channel for a repeated topic.
    const slot: WatchSlot = { watch, topic: `watch:${watch.table}:${nextWatchId++}`, channel: null, tries: 0, timer: null };
    this.watches.add(slot);
    if (this.client) this.openWatch(slot);
    return () => {
      this.watches.delete(slot);
      if (slot.timer) clearTimeout(slot.timer);
      const channel = slot.channel;
      slot.channel = null;
      if (channel) void this.client?.removeChannel(channel).catch(() => {});
    };
  }

  private openWatch(slot: WatchSlot): void {
    const client = this.client;
    if (!client || this.stopped || !this.watches.has(slot)) return;
    const { table, filter, onChange } = slot.watch;
    const channel = client.channel(slot.topic);
    channel.on(
      "postgres_changes",
      { event: "*", schema: "public", table, ...(filter ? { filter } : {}) },
      (change: { table: string; eventType: RowChange["eventType"]; new: object; old: object }) =>
        onChange({
          table: change.table,
          eventType: change.eventType,
          new: change.new as Record<string, unknown>,
          old: change.old as Record<string, unknown>,
        }),
    );
    slot.channel = channel;
    channel.subscribe((state) => {
      if (slot.channel !== channel || this.stopped) return;
      if (state === "SUBSCRIBED") slot.tries = 0;
      else if (state === "CLOSED") {
        slot.channel = null;
        slot.timer = setTimeout(
          () => {
            slot.timer = null;
            this.openWatch(slot);
          },
          reconnectDelay(++slot.tries, this.random()),
        );
      }
    });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.renewTimer) clearTimeout(this.renewTimer);
    for (const slot of this.slots) if (slot.reopenTimer) clearTimeout(slot.reopenTimer);
    for (const watch of this.watches) if (watch.timer) clearTimeout(watch.timer);
    this.setStatus("stopped");
    const client = this.client;
    this.client = null;
    if (client) {
      await client.removeAllChannels().catch(() => {});
      await client.realtime.disconnect().catch(() => {});
    }
  }

  /** supabase-js asks this for the token on every join, heartbeat and reconnect. */
  private async accessToken(): Promise<string | null> {
    const cached = this.token;
    if (cached && !this.renewDue && tokenIsFresh({ ...cached, now: this.now() })) return cached.token;
    this.tokenRequest ??= this.fetchToken().finally(() => {
      this.tokenRequest = null;
    });
    return this.tokenRequest;
  }

  private async fetchToken(): Promise<string | null> {
    if (this.stopped) return null;
    let answer: RealtimeToken | null;
    try {
      answer = await this.options.fetchToken();
    } catch {
      // Offline or the app restarting: keep the last token; the renew timer tries again.
      this.scheduleRenew(5_000);
      return this.token?.token ?? null;
    }
    if (!answer) {
      if (!this.stopped) {
        this.options.onSignedOut?.();
        void this.stop();
      }
      return null;
    }
    const receivedAt = this.now();
    this.token = { ...answer, receivedAt };
    this.renewDue = false;
    this.scheduleRenew(tokenRenewDelay({ receivedAt, expiresAt: answer.expiresAt, now: receivedAt }));
    return answer.token;
  }

  private scheduleRenew(delay: number): void {
    if (this.stopped) return;
    if (this.renewTimer) clearTimeout(this.renewTimer);
    this.renewTimer = setTimeout(() => {
      this.renewTimer = null;
      this.renewDue = true;
      // setAuth() asks accessToken(), which now fetches a new token (renewDue) and
      // pushes it to every joined channel.
      this.client?.realtime.setAuth().catch(() => {});
    }, delay);
  }

  private open(slot: ChannelSlot): void {
    const client = this.client;
    if (!client || this.stopped) return;
    const { userId, tabId } = this.options;
    let channel: RealtimeChannel;
    if (slot.name === "presence") {
      channel = client.channel(presenceTopic(userId), { config: { private: true, presence: { key: tabId } } });
    } else {
      channel = client.channel(userTopic(userId), { config: { private: true } });
      channel.on("broadcast", { event: USER_EVENTS.tradeClosed }, ({ payload }) => {
        if (isTradeClosed(payload)) this.options.onTradeClosed?.(payload);
      });
      channel.on("broadcast", { event: USER_EVENTS.accountPaused }, ({ payload }) => {
        if (isAccountPaused(payload)) this.options.onAccountPaused?.(payload);
      });
      for (const table of LIVE_TABLES) {
        const deliver = (change: { table: string; eventType: RowChange["eventType"]; new: object; old: object }) =>
          this.options.onChange?.({
            table: change.table,
            eventType: change.eventType,
            new: change.new as Record<string, unknown>,
            old: change.old as Record<string, unknown>,
          });
        // INSERT and UPDATE for the user's own rows; a DELETE carries only the
        // primary key, so no user filter can match it: it is taken unfiltered
        // and ignored by the page unless it holds that id.
        channel.on("postgres_changes", { event: "*", schema: "public", table, filter: `user_id=eq.${userId}` }, deliver);
        channel.on("postgres_changes", { event: "DELETE", schema: "public", table }, deliver);
      }
    }
    slot.channel = channel;
    channel.subscribe((state) => {
      if (slot.channel !== channel || this.stopped) return;
      if (state === "SUBSCRIBED") {
        const resumed = slot.dropped;
        slot.joined = true;
        slot.everJoined = true;
        slot.dropped = false;
        slot.reopenTries = 0;
        if (slot.name === "presence") void channel.track({ tab: tabId, online_at: new Date(this.now()).toISOString() });
        this.refreshStatus();
        if (resumed) this.options.onResumed?.();
      } else if (state === "CHANNEL_ERROR" || state === "TIMED_OUT") {
        // Phoenix rejoins an errored channel by itself once the socket is back.
        this.lose(slot);
      } else if (state === "CLOSED") {
        // Closed by the server (its token expired, a kick): open a new one.
        this.lose(slot);
        slot.channel = null;
        const tries = ++slot.reopenTries;
        slot.reopenTimer = setTimeout(
          () => {
            slot.reopenTimer = null;
            this.open(slot);
          },
          reconnectDelay(tries, this.random()),
        );
      }
    });
  }

  private lose(slot: ChannelSlot): void {
    if (slot.everJoined) slot.dropped = true;
    slot.joined = false;
    this.refreshStatus();
  }

  private refreshStatus(): void {
    if (this.stopped) return;
    if (this.slots.every((s) => s.joined)) this.setStatus("live");
    else if (this.slots.some((s) => s.dropped)) this.setStatus("reconnecting");
    else this.setStatus("connecting");
  }

  private setStatus(status: LiveStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.options.onStatus?.(status);
  }
}
