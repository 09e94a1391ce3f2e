// What postgres_changes needs to know about a replicated table, cached per
// relation id; entries expire so GRANTs and RLS toggles are seen.
import type pg from "pg";
import type { Relation } from "./replication.ts";

const CACHE_TTL_MS = 5_000;

export interface RelationInfo {
  rls: boolean;
  /** Primary key columns (else the replica identity), to look a row up by. */
  pk: string[];
}

export class Catalog {
  private readonly typeNames = new Map<number, string>();
  private readonly relations = new Map<number, RelationInfo & { at: number }>();
  private readonly columnPrivileges = new Map<string, { at: number; columns: Set<string> }>();
  private readonly bypassRls = new Map<string, boolean>();

  constructor(private readonly pool: pg.Pool) {}

  /** A relation was described again by the stream: its cached facts may be stale. */
  forget(relid: number): void {
    this.relations.delete(relid);
    for (const key of this.columnPrivileges.keys()) if (key.endsWith(`:${relid}`)) this.columnPrivileges.delete(key);
  }

  /** Column name → type name. */
  async types(relation: Relation): Promise<Map<string, string>> {
    const missing = relation.columns.map((c) => c.typeOid).filter((oid) => !this.typeNames.has(oid));
    if (missing.length) {
      const { rows } = await this.pool.query<{ oid: number; typname: string }>(
        "select oid::int as oid, typname::text from pg_type where oid = any($1::oid[])",
        [missing],
      );
      for (const row of rows) this.typeNames.set(row.oid, row.typname);
    }
    return new Map(relation.columns.map((c) => [c.name, this.typeNames.get(c.typeOid) ?? "text"]));
  }

  async relation(relation: Relation): Promise<RelationInfo> {
    const cached = this.relations.get(relation.id);
    if (cached && Date.now() - cached.at < CACHE_TTL_MS) return cached;
    const { rows } = await this.pool.query<{ rls: boolean; pk: string[] }>(
      `select c.relrowsecurity as rls,
              array(select a.attname::text from pg_index i
                      join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
                     where i.indrelid = c.oid and i.indisprimary order by a.attnum) as pk
         from pg_class c where c.oid = $1`,
      [relation.id],
    );
    const info = {
      at: Date.now(),
      rls: rows[0]?.rls ?? true,
      pk: rows[0]?.pk?.length ? rows[0].pk : relation.columns.filter((c) => c.isKey).map((c) => c.name),
    };
    this.relations.set(relation.id, info);
    return info;
  }

  /** The columns `role` may SELECT. */
  async readableColumns(role: string, relation: Relation): Promise<Set<string>> {
    const key = `${role}:${relation.id}`;
    const cached = this.columnPrivileges.get(key);
    if (cached && Date.now() - cached.at < CACHE_TTL_MS) return cached.columns;
    const { rows } = await this.pool.query<{ attname: string }>(
      `select attname::text from pg_attribute
        where attrelid = $1 and attnum > 0 and not attisdropped
          and has_column_privilege($2, attrelid, attnum, 'SELECT')`,
      [relation.id, role],
    );
    const columns = new Set(rows.map((r) => r.attname));
    this.columnPrivileges.set(key, { at: Date.now(), columns });
    return columns;
  }

  async roleBypassesRls(role: string): Promise<boolean> {
    let value = this.bypassRls.get(role);
    if (value === undefined) {
      const { rows } = await this.pool.query<{ b: boolean }>("select rolbypassrls as b from pg_roles where rolname = $1", [role]);
      value = rows[0]?.b === true;
      this.bypassRls.set(role, value);
    }
    return value;
  }
}
