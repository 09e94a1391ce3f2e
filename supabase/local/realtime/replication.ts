// Logical replication over a `pg` replication connection, decoding the
// pgoutput plugin's protocol (version 1) ourselves. The slot is TEMPORARY, so
// PostgreSQL drops it when this connection ends, and its name is unique per
// process so several servers can stream from databases of one cluster.
import { randomBytes } from "node:crypto";
import pg from "pg";

export interface RelationColumn {
  name: string;
  typeOid: number;
  typeMod: number;
  /** Part of the replica identity (flag bit 1). */
  isKey: boolean;
}

export interface Relation {
  id: number;
  schema: string;
  table: string;
  /** d = default (primary key), n = nothing, f = full, i = index. */
  replicaIdentity: string;
  columns: RelationColumn[];
}

/** One column value of a tuple: null, unchanged TOAST, or its text form. */
export type TupleValue = { kind: "null" } | { kind: "toast" } | { kind: "text"; text: string };

export interface Change {
  type: "INSERT" | "UPDATE" | "DELETE";
  relation: Relation;
  newTuple: TupleValue[] | null;
  /** K = replica-identity columns only, O = the whole old row; null when not sent. */
  oldKind: "K" | "O" | null;
  oldTuple: TupleValue[] | null;
}

export interface Transaction {
  /** The transaction id (32 bits); null for a change sent outside a transaction. */
  xid: number | null;
  /** Commit time, ms since the epoch. */
  commitTime: number;
  changes: Change[];
}

const PG_EPOCH_MS = 946_684_800_000; // 2000-01-01T00:00:00Z

class Reader {
  offset = 0;
  constructor(private readonly buffer: Buffer) {}
  byte(): number {
    return this.buffer[this.offset++]!;
  }
  int16(): number {
    const value = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }
  int32(): number {
    const value = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }
  uint32(): number {
    const value = this.buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }
  int64(): bigint {
    const value = this.buffer.readBigInt64BE(this.offset);
    this.offset += 8;
    return value;
  }
  cstring(): string {
    const end = this.buffer.indexOf(0, this.offset);
    const value = this.buffer.toString("utf8", this.offset, end);
    this.offset = end + 1;
    return value;
  }
  text(length: number): string {
    const value = this.buffer.toString("utf8", this.offset, this.offset + length);
    this.offset += length;
    return value;
  }
  tuple(): TupleValue[] {
    const count = this.int16();
    const values: TupleValue[] = [];
    for (let i = 0; i < count; i++) {
      const kind = String.fromCharCode(this.byte());
      if (kind === "n") values.push({ kind: "null" });
      else if (kind === "u") values.push({ kind: "toast" });
      else if (kind === "t" || kind === "b") values.push({ kind: "text", text: this.text(this.int32()) });
      else throw new Error(`pgoutput: unknown tuple value kind ${kind}`);
    }
    return values;
  }
}

function pgTimeToMs(us: bigint): number {
  return Number(us / 1000n) + PG_EPOCH_MS;
}

interface ReplicationConnection {
  on(event: "copyData", listener: (msg: { chunk: Buffer }) => void): void;
  once(event: "replicationStart", listener: () => void): void;
  sendCopyFromChunk(chunk: Buffer): void;
}

export interface LogicalReplicationOptions {
  databaseUrl: string;
  publications: string[];
  onTransaction: (tx: Transaction) => void;
  onError: (error: Error) => void;
  /** A (re)described relation: caches keyed by its id are stale. */
  onRelation?: (relation: Relation) => void;
  log: (line: string) => void;
}

export class LogicalReplication {
  readonly slotName = `rt_${process.pid}_${randomBytes(5).toString("hex")}`;
  private client: pg.Client | null = null;
  private relations = new Map<number, Relation>();
  private current: Transaction | null = null;
  private receivedLsn = 0n;
  private feedbackTimer: NodeJS.Timeout | null = null;
  private stopping = false;

  constructor(private readonly options: LogicalReplicationOptions) {}

  async start(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.databaseUrl,
      replication: "database",
      options: "-c TimeZone=UTC -c DateStyle=ISO -c extra_float_digits=1",
    } as pg.ClientConfig & { replication: string });
    client.on("error", (error) => {
      if (!this.stopping) this.options.onError(error);
    });
    client.on("end", () => {
      if (!this.stopping) this.options.onError(new Error("replication connection ended"));
    });
    await client.connect();
    this.client = client;
    await client.query(`CREATE_REPLICATION_SLOT ${this.slotName} TEMPORARY LOGICAL pgoutput NOEXPORT_SNAPSHOT`);
    const connection = (client as unknown as { connection: ReplicationConnection }).connection;
    connection.on("copyData", ({ chunk }) => {
      try {
        this.onCopyData(chunk);
      } catch (error) {
        this.options.onError(error as Error);
      }
    });
    const publications = this.options.publications.map((name) => `"${name.replace(/"/g, '""')}"`).join(",");
    const started = new Promise<void>((resolve) => connection.once("replicationStart", resolve));
    const failed = client
      .query(`START_REPLICATION SLOT ${this.slotName} LOGICAL 0/0 (proto_version '1', publication_names '${publications.replace(/'/g, "''")}')`)
      .then(
        () => {
          throw new Error("replication stream ended");
        },
        (error: Error) => {
          throw error;
        },
      );
    failed.catch((error: Error) => {
      if (!this.stopping) this.options.onError(error);
    });
    await Promise.race([started, failed]);
    this.feedbackTimer = setInterval(() => this.sendFeedback(), 10_000);
    this.feedbackTimer.unref();
    this.options.log(`[realtime] replication slot ${this.slotName} streaming (${this.options.publications.join(", ")})`);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.feedbackTimer) clearInterval(this.feedbackTimer);
    const client = this.client;
    this.client = null;
    if (client) await client.end().catch(() => {});
  }

  private sendFeedback(): void {
    if (!this.client) return;
    const buffer = Buffer.alloc(34);
    buffer[0] = 0x72; // 'r' standby status update
    const lsn = this.receivedLsn;
    buffer.writeBigUInt64BE(lsn, 1); // written
    buffer.writeBigUInt64BE(lsn, 9); // flushed
    buffer.writeBigUInt64BE(lsn, 17); // applied
    buffer.writeBigInt64BE(BigInt(Date.now() - PG_EPOCH_MS) * 1000n, 25);
    buffer[33] = 0;
    try {
      (this.client as unknown as { connection: ReplicationConnection }).connection.sendCopyFromChunk(buffer);
    } catch {
      // connection going away
    }
  }

  private onCopyData(chunk: Buffer): void {
    const tag = chunk[0];
    if (tag === 0x77) {
      // 'w' XLogData: start LSN, end LSN, send time, then the pgoutput message
      const start = chunk.readBigUInt64BE(1);
      const end = chunk.readBigUInt64BE(9);
      const lsn = start > end ? start : end;
      if (lsn > this.receivedLsn) this.receivedLsn = lsn;
      this.onPgOutput(chunk.subarray(25));
    } else if (tag === 0x6b) {
      // 'k' primary keepalive: end LSN, send time, reply requested
      const end = chunk.readBigUInt64BE(1);
      if (end > this.receivedLsn) this.receivedLsn = end;
      if (chunk[17] === 1) this.sendFeedback();
    }
  }

  private onPgOutput(message: Buffer): void {
    const reader = new Reader(message);
    const type = String.fromCharCode(reader.byte());
    switch (type) {
      case "B": {
        reader.int64(); // final LSN
        const commitTime = pgTimeToMs(reader.int64());
        this.current = { xid: reader.uint32(), commitTime, changes: [] };
        break;
      }
      case "C": {
        reader.byte(); // flags
        reader.int64(); // commit LSN
        const endLsn = reader.int64();
        const commitTime = pgTimeToMs(reader.int64());
        const tx = this.current;
        this.current = null;
        if (BigInt.asUintN(64, endLsn) > this.receivedLsn) this.receivedLsn = BigInt.asUintN(64, endLsn);
        if (tx && tx.changes.length) {
          tx.commitTime = commitTime;
          this.options.onTransaction(tx);
        }
        break;
      }
      case "R": {
        const id = reader.uint32();
        const schema = reader.cstring();
        const table = reader.cstring();
        const replicaIdentity = String.fromCharCode(reader.byte());
        const count = reader.int16();
        const columns: RelationColumn[] = [];
        for (let i = 0; i < count; i++) {
          const flags = reader.byte();
          const name = reader.cstring();
          const typeOid = reader.uint32();
          const typeMod = reader.int32();
          columns.push({ name, typeOid, typeMod, isKey: (flags & 1) === 1 });
        }
        const relation = { id, schema, table, replicaIdentity, columns };
        this.relations.set(id, relation);
        this.options.onRelation?.(relation);
        break;
      }
      case "I": {
        const relation = this.relation(reader.uint32());
        reader.byte(); // 'N'
        this.push({ type: "INSERT", relation, newTuple: reader.tuple(), oldKind: null, oldTuple: null });
        break;
      }
      case "U": {
        const relation = this.relation(reader.uint32());
        let marker = String.fromCharCode(reader.byte());
        let oldKind: "K" | "O" | null = null;
        let oldTuple: TupleValue[] | null = null;
        if (marker === "K" || marker === "O") {
          oldKind = marker;
          oldTuple = reader.tuple();
          marker = String.fromCharCode(reader.byte());
        }
        this.push({ type: "UPDATE", relation, newTuple: reader.tuple(), oldKind, oldTuple });
        break;
      }
      case "D": {
        const relation = this.relation(reader.uint32());
        const marker = String.fromCharCode(reader.byte()) as "K" | "O";
        this.push({ type: "DELETE", relation, newTuple: null, oldKind: marker, oldTuple: reader.tuple() });
        break;
      }
      default:
        // O (origin), Y (type), T (truncate), M (message): not delivered.
        break;
    }
  }

  private relation(id: number): Relation {
    const relation = this.relations.get(id);
    if (!relation) throw new Error(`pgoutput: change for unknown relation ${id}`);
    return relation;
  }

  private push(change: Change): void {
    if (this.current) this.current.changes.push(change);
    else this.options.onTransaction({ xid: null, commitTime: Date.now(), changes: [change] });
  }
}
