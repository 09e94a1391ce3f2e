// Issue 19 item 3: our migrations apply on real Supabase, where the role that
// runs them (`postgres`) is NOT a superuser. The local stack and the other
// tests run them as a superuser, which would hide a migration that needs one.
//
// So this file starts its own cluster whose bootstrap superuser is
// `supabase_admin`, as in the supabase/postgres 15.x image (POSTGRES_USER=
// supabase_admin), applies the Supabase bootstrap as that superuser (what the
// image's init scripts do), sets `postgres` up as the image does, and then runs
// every file in supabase/migrations/ through the app's own runner logged in as
// `postgres`. Role setup mirrored from supabase/postgres 15.x (15.1.1 and
// later, through 15.8): migrations/db/init-scripts/00000000000000-initial-schema.sql
// and 00000000000003-post-setup.sql, migrations/db/migrations/
// 10000000000000_demote-postgres.sql (NOSUPERUSER CREATEDB CREATEROLE LOGIN
// REPLICATION BYPASSRLS, ALL on the database and on auth/storage/extensions)
// and 20220609081115_grant-supabase-auth-admin-and-supabase-storage-admin-to-postgres.sql
// (member of supabase_auth_admin and supabase_storage_admin, which is how
// `postgres` puts triggers on auth.users and policies on storage.objects),
// 20230201083204_grant_auth_roles_to_postgres.sql (member of anon,
// authenticated, service_role). Realtime's own migrations make
// realtime.messages belong to supabase_realtime_admin, of which `postgres` is a
// member on every project (`pg_dumpall --roles-only` of one shows
// "GRANT supabase_realtime_admin TO postgres"): that is how a project's
// migrations add policies to it. On a Supabase project `postgres` owns the
// public schema and the supabase_realtime publication (a project's
// `supabase db dump` shows both).
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBootstrap } from "../../supabase/local/database.ts";
import { migrate, readMigrations } from "../../supabase/migrate.ts";
import { startExtraCluster, type ExtraCluster } from "../support/extra-cluster.ts";

const SUPABASE_ROLE_SETUP = `
  create role postgres login password 'postgres' nosuperuser createdb createrole replication bypassrls;
`;

// After the bootstrap: what the image grants `postgres` once the Supabase
// schemas exist (demote-postgres, post-setup, the 2022/2023 grant migrations).
const SUPABASE_POSTGRES_GRANTS = `
  grant all on database postgres to postgres;
  grant all on schema auth, storage, extensions to postgres;
  grant all on all tables in schema auth, storage, extensions to postgres;
  grant all on all sequences in schema auth, storage, extensions to postgres;
  grant all on all routines in schema auth, storage, extensions to postgres;
  grant supabase_auth_admin, supabase_storage_admin to postgres;
  grant anon, authenticated, service_role to postgres;
  grant supabase_realtime_admin to postgres;
  alter table realtime.messages owner to supabase_realtime_admin;
  alter role postgres set search_path to "$user", public, extensions;
  alter schema public owner to postgres;
  alter publication supabase_realtime owner to postgres;
`;

let cluster: ExtraCluster;

beforeAll(async () => {
  cluster = await startExtraCluster({ superuser: "supabase_admin" });
  const admin = new pg.Client({ connectionString: cluster.url() });
  await admin.connect();
  try {
    await admin.query(SUPABASE_ROLE_SETUP);
  } finally {
    await admin.end();
  }
  await runBootstrap(cluster.url());
  const grants = new pg.Client({ connectionString: cluster.url() });
  await grants.connect();
  try {
    await grants.query(SUPABASE_POSTGRES_GRANTS);
  } finally {
    await grants.end();
  }
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

describe("migrations as Supabase's non-superuser `postgres` owner", () => {
  it("applies every migration in the folder through the app's runner without superuser powers", async () => {
    const ownerUrl = cluster.url({ user: "postgres" });
    const owner = new pg.Client({ connectionString: ownerUrl });
    await owner.connect();
    try {
      const { rows: me } = await owner.query<{ rolsuper: boolean; rolcreaterole: boolean; rolbypassrls: boolean }>(
        "select rolsuper, rolcreaterole, rolbypassrls from pg_roles where rolname = current_user",
      );
      expect(me[0]).toEqual({ rolsuper: false, rolcreaterole: true, rolbypassrls: true });

      const expected = (await readMigrations()).map((m) => m.file);
      const { applied } = await migrate(ownerUrl);
      expect(applied).toEqual(expected);

      // What the migrations made belongs to `postgres`, so the next migration
      // (run by the same owner on the project) can alter it.
      const { rows: foreign } = await owner.query<{ name: string; owner: string }>(`
        select c.relname as name, pg_get_userbyid(c.relowner) as owner
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm')
           and pg_get_userbyid(c.relowner) <> 'postgres'`);
      expect(foreign).toEqual([]);

      // Realtime reads postgres_changes from the publication the migrations filled.
      const { rows: published } = await owner.query<{ n: number }>(
        "select count(*)::int as n from pg_publication_tables where pubname = 'supabase_realtime'",
      );
      expect(published[0]!.n).toBeGreaterThan(0);
    } finally {
      await owner.end();
    }
  }, 180_000);

  it("refuses a migration that needs a superuser (so the test above can fail)", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "rj-superuser-migration-"));
    await writeFile(
      path.join(dir, "29991231000000_needs_superuser.sql"),
      "create function public.noop_ddl() returns event_trigger language plpgsql as $$ begin end $$;\n" +
        "create event trigger needs_superuser on ddl_command_end execute function public.noop_ddl();\n",
    );
    await expect(migrate(cluster.url({ user: "postgres" }), { dir })).rejects.toThrow(
      /29991231000000_needs_superuser\.sql failed and was rolled back: permission denied to create event trigger/,
    );
  });
});
