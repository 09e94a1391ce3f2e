// postgres_changes fan-out: each replicated transaction is matched against the
// channels' bindings, authorised per subscriber (column privileges, then RLS by
// looking the row up as the subscriber), and delivered in commit order,
// interleaved with the realtime.send() broadcasts of the same transactions.
import type pg from "pg";
import { checkRowVisibility, sqlIdent, type CallerChecks } from "./authz.ts";
import type { Broadcasts } from "./broadcast.ts";
import { sendRaw, type Channel, type Json } from "./channels.ts";
import type { Catalog, RelationInfo } from "./catalog.ts";
import { matchesFilter } from "./filters.ts";
import type { Change, Relation, Transaction, TupleValue } from "./replication.ts";
import { toJsonValue } from "./values.ts";

interface Candidate {
  channel: Channel;
  /** Ids of the channel's bindings the change matches. */
  ids: number[];
}

interface PreparedChange {
  change: Change;
  info: RelationInfo;
  types: Map<string, string>;
  record: Json | null;
  oldRecord: Json | null;
  keyText: Map<string, string>;
  candidates: Candidate[];
  /** Per candidate channel: the columns it may see, or null when it may not see the change. */
  visible: Map<Channel, Set<string> | null>;
}

function tupleRecord(relation: Relation, types: Map<string, string>, tuple: TupleValue[], onlyKeys: boolean) {
  const record: Json = {};
  const text = new Map<string, string>();
  relation.columns.forEach((column, i) => {
    const value = tuple[i];
    if ((onlyKeys && !column.isKey) || !value || value.kind === "toast") return;
    if (value.kind === "null") record[column.name] = null;
    else {
      record[column.name] = toJsonValue(types.get(column.name) ?? "text", value.text);
      text.set(column.name, value.text);
    }
  });
  return { record, text };
}

function matchingCandidates(channels: Set<Channel>, change: Change, matchOn: Json | null, types: Map<string, string>) {
  const { schema, table } = change.relation;
  const candidates: Candidate[] = [];
  for (const channel of channels) {
    const ids = channel.bindings
      .filter(
        (b) =>
          !b.filterError &&
          (b.schema === "*" || b.schema === schema) &&
          (b.table === "*" || b.table === table) &&
          (b.event === "*" || b.event === change.type) &&
          (!b.filter.length || matchesFilter(b.filter, matchOn, types)),
      )
      .map((b) => b.id);
    if (ids.length) candidates.push({ channel, ids });
  }
  return candidates;
}

export class ChangeFanout {
  private deliveryChain: Promise<void> = Promise.resolve();

  constructor(
    private readonly subscribers: Set<Channel>,
    private readonly catalog: Catalog,
    private readonly broadcasts: Broadcasts,
    private readonly pool: pg.Pool,
    private readonly log: (line: string) => void,
  ) {}

  /** Preparation (database look-ups) runs at once; deliveries stay in commit order. */
  onTransaction(tx: Transaction): void {
    const prepared = this.prepare(tx);
    this.deliveryChain = this.deliveryChain
      .then(() => prepared)
      .then((deliver) => deliver())
      .catch((error: unknown) => this.log(`postgres_changes delivery failed: ${error instanceof Error ? error.stack : String(error)}`));
  }

  async drain(): Promise<void> {
    await this.deliveryChain.catch(() => {});
  }

  private async prepare(tx: Transaction): Promise<() => void> {
    const steps: Array<() => void> = [];
    const prepared: PreparedChange[] = [];
    for (const change of tx.changes) {
      const relation = change.relation;
      if (relation.schema === "realtime" && relation.table === "messages") {
        const broadcast = this.broadcasts.fromMessagesRow(change);
        if (broadcast) steps.push(broadcast);
        continue;
      }
      if (!this.subscribers.size) continue;
      const item = await this.describe(change);
      if (!item) continue;
      prepared.push(item);
      steps.push(() => this.deliver(tx, item));
    }
    await this.authorise(prepared, tx.xid);
    return () => {
      for (const step of steps) step();
    };
  }

  /** The change's records and the channels whose bindings it matches; null when none. */
  private async describe(change: Change): Promise<PreparedChange | null> {
    const relation = change.relation;
    const types = await this.catalog.types(relation);
    let record: Json | null = null;
    let oldRecord: Json | null = null;
    let keyText = new Map<string, string>();
    if (change.newTuple) ({ record, text: keyText } = tupleRecord(relation, types, change.newTuple, false));
    if (change.oldTuple) {
      oldRecord = tupleRecord(relation, types, change.oldTuple, change.oldKind === "K").record;
    } else if (change.type === "UPDATE" && record) {
      // Default replica identity: the old row's identity columns equal the new ones.
      oldRecord = {};
      for (const column of relation.columns) if (column.isKey && column.name in record) oldRecord[column.name] = record[column.name];
    }
    const candidates = matchingCandidates(this.subscribers, change, change.type === "DELETE" ? oldRecord : record, types);
    if (!candidates.length) return null;
    const info = await this.catalog.relation(relation);
    return { change, info, types, record, oldRecord, keyText, candidates, visible: new Map() };
  }

  /** Column privileges per role, then RLS row checks batched per caller. */
  private async authorise(prepared: PreparedChange[], xid: number | null): Promise<void> {
    const callers = new Map<string, CallerChecks & { wants: Array<{ item: PreparedChange; channel: Channel; columns: Set<string> }> }>();
    for (const item of prepared) {
      for (const { channel } of item.candidates) {
        const columns = await this.catalog.readableColumns(channel.role, item.change.relation);
        item.visible.set(channel, null);
        if (!columns.size) continue;
        const rowCheck = item.change.type !== "DELETE" && item.info.rls && !(await this.catalog.roleBypassesRls(channel.role));
        if (!rowCheck) {
          item.visible.set(channel, columns);
          continue;
        }
        if (!item.info.pk.length || item.info.pk.some((column) => !item.keyText.has(column))) continue; // no key to look it up by
        const callerKey = `${channel.role}\u0000${JSON.stringify(channel.claims)}`;
        let caller = callers.get(callerKey);
        if (!caller) callers.set(callerKey, (caller = { role: channel.role, claims: channel.claims, rows: [], wants: [] }));
        caller.wants.push({ item, channel, columns });
      }
    }
    if (!callers.size) return;
    const list = [...callers.values()];
    const rowIndexes = list.map((caller) => {
      const rowOf = new Map<PreparedChange, number>();
      for (const { item } of caller.wants) {
        if (rowOf.has(item)) continue;
        rowOf.set(item, caller.rows.length);
        const relation = item.change.relation;
        caller.rows.push({
          table: `${sqlIdent(relation.schema)}.${sqlIdent(relation.table)}`,
          key: item.info.pk.map((column) => [column, item.keyText.get(column)!] as [string, string]),
        });
      }
      return rowOf;
    });
    const answers = await checkRowVisibility(this.pool, list, xid, () =>
      this.log(`postgres_changes: transaction ${xid} not yet visible to a new snapshot; checking again`),
    );
    list.forEach((caller, i) => {
      for (const want of caller.wants) {
        if (answers[i]![rowIndexes[i]!.get(want.item)!]) want.item.visible.set(want.channel, want.columns);
      }
    });
  }

  private deliver(tx: Transaction, item: PreparedChange): void {
    const { relation, type } = item.change;
    const dataJson = new Map<string, string>();
    const dataFor = (columns: Set<string>): string => {
      const key = [...columns].join("\u0000");
      let json = dataJson.get(key);
      if (json !== undefined) return json;
      const pick = (record: Json | null): Json | null => record && Object.fromEntries(Object.entries(record).filter(([name]) => columns.has(name)));
      const data: Json = {
        schema: relation.schema,
        table: relation.table,
        commit_timestamp: new Date(tx.commitTime).toISOString(),
        type,
        columns: relation.columns.filter((c) => columns.has(c.name)).map((c) => ({ name: c.name, type: item.types.get(c.name) ?? "text" })),
        errors: null,
      };
      if (type !== "DELETE") data.record = pick(item.record);
      if (type !== "INSERT") data.old_record = pick(item.oldRecord) ?? {};
      dataJson.set(key, (json = JSON.stringify(data)));
      return json;
    };
    for (const { channel, ids } of item.candidates) {
      const columns = item.visible.get(channel);
      if (channel.closed || !columns) continue;
      const payload = `{"ids":${JSON.stringify(ids)},"data":${dataFor(columns)}}`;
      const joinRef = JSON.stringify(channel.joinRef);
      const topic = JSON.stringify(channel.topic);
      const frame =
        channel.conn.vsn === "2.0.0"
          ? `[${joinRef},null,${topic},"postgres_changes",${payload}]`
          : `{"join_ref":${joinRef},"ref":null,"topic":${topic},"event":"postgres_changes","payload":${payload}}`;
      sendRaw(channel.conn, frame);
    }
  }
}
