// Reads who is looking: one private Realtime channel `presence:<user id>` per
// user with an MT5 account, joined with the service role (the only reader of
// those rosters — RLS lets users track on their own topic, never read it).
// Every roster change arrives as a presence `sync`; it is handed on as a full
// snapshot, so a rejoin after a dropped socket corrects whatever was missed.
import { createClient, type RealtimeChannel, type SupabaseClient } from "@supabase/supabase-js";
import { presenceTopic } from "~/domain/sync/realtime-contract.ts";
import { rosterTabs } from "./sync/presence.ts";

export interface PresenceListenerOptions {
  supabaseUrl: string;
  serviceRoleKey: string;
  /** A user's full set of tabs (presence refs) after any change. */
  onRoster: (userId: string, tabs: string[]) => void;
  log: (line: string) => void;
}

export class PresenceListener {
  readonly #client: SupabaseClient;
  readonly #channels = new Map<string, RealtimeChannel>();

  constructor(private readonly options: PresenceListenerOptions) {
    this.#client = createClient(options.supabaseUrl, options.serviceRoleKey, {
      auth: { persistSession: false, autoRefreshToken: false },
      accessToken: async () => options.serviceRoleKey,
    });
  }

  /** Listens to exactly these users' topics: joins new ones, leaves the rest. */
  async watch(userIds: Iterable<string>): Promise<void> {
    const wanted = new Set(userIds);
    for (const [userId, channel] of this.#channels) {
      if (!wanted.has(userId)) {
        this.#channels.delete(userId);
        await this.#client.removeChannel(channel);
      }
    }
    const added = [...wanted].filter((userId) => !this.#channels.has(userId));
    if (added.length === 0) return;
    await this.#client.realtime.setAuth();
    for (const userId of added) {
      const channel = this.#client.channel(presenceTopic(userId), { config: { private: true, presence: { enabled: true } } });
      channel.on("presence", { event: "sync" }, () => {
        this.options.onRoster(userId, rosterTabs(channel.presenceState() as Record<string, { presence_ref: string }[]>));
      });
      channel.subscribe((status, error) => {
        if (status === "CHANNEL_ERROR" || status === "TIMED_OUT") {
          this.options.log(`presence ${userId}: ${status}${error ? ` (${error.message})` : ""}; Realtime retries`);
        }
      });
      this.#channels.set(userId, channel);
    }
  }

  get watching(): number {
    return this.#channels.size;
  }

  async close(): Promise<void> {
    this.#channels.clear();
    await this.#client.removeAllChannels();
    this.#client.realtime.disconnect();
  }
}
