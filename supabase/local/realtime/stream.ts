// The one logical replication stream of the service: started by the first
// join, restarted after an error while anyone listens, stopped on close. It
// streams the supabase_realtime publication (postgres_changes) and a
// publication of realtime.messages inserts (realtime.send() broadcasts).
import type pg from "pg";
import { LogicalReplication, type Relation, type Transaction } from "./replication.ts";

export const CHANGES_PUBLICATION = "supabase_realtime";
const MESSAGES_PUBLICATION = "supabase_realtime_messages_publication";

export interface ReplicationFeedOptions {
  databaseUrl: string;
  pool: pg.Pool;
  onTransaction: (tx: Transaction) => void;
  onRelation: (relation: Relation) => void;
  /** Whether a restart after an error is still wanted. */
  hasListeners: () => boolean;
  log: (line: string) => void;
}

export class ReplicationFeed {
  private stream: LogicalReplication | null = null;
  private ready: Promise<void> | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private closing = false;

  constructor(private readonly options: ReplicationFeedOptions) {}

  /** Resolves once the slot exists: every later commit is streamed. */
  ensure(): Promise<void> {
    if (this.closing) return Promise.reject(new Error("realtime is shutting down"));
    if (this.ready) return this.ready;
    const starting = this.start();
    this.ready = starting;
    starting.catch((error: Error) => {
      this.options.log(`[realtime] replication failed to start: ${error.message}`);
      if (this.ready === starting) this.ready = null;
    });
    return starting;
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    await this.ready?.catch(() => {});
    await this.stream?.stop();
    this.stream = null;
  }

  private async start(): Promise<void> {
    // realtime.send() inserts into realtime.messages; stream those inserts from a
    // publication of our own (the supabase_realtime table list belongs to migrations).
    await this.options.pool
      .query(
        `do $$ begin
           if not exists (select 1 from pg_publication where pubname = '${MESSAGES_PUBLICATION}') then
             create publication ${MESSAGES_PUBLICATION} for table realtime.messages with (publish = 'insert');
           end if;
         end $$`,
      )
      .catch((error: Error) => {
        if (!/already exists/.test(error.message)) throw error;
      });
    const stream: LogicalReplication = new LogicalReplication({
      databaseUrl: this.options.databaseUrl,
      publications: [CHANGES_PUBLICATION, MESSAGES_PUBLICATION],
      onTransaction: this.options.onTransaction,
      onRelation: this.options.onRelation,
      onError: (error) => this.restart(stream, error),
      log: this.options.log,
    });
    this.stream = stream;
    try {
      await stream.start();
    } catch (error) {
      this.stream = null;
      await stream.stop();
      throw error;
    }
  }

  private restart(stream: LogicalReplication, error: Error): void {
    if (this.closing || this.stream !== stream) return;
    this.options.log(`[realtime] replication error: ${error.message}; restarting`);
    this.stream = null;
    this.ready = null;
    void stream.stop();
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (!this.closing && this.options.hasListeners()) this.ensure().catch(() => {});
    }, 1000);
  }
}
