import { startLocalPostgres } from "../supabase/local/postgres.ts";
import { runBootstrap } from "../supabase/local/database.ts";
import { migrate } from "../supabase/migrate.ts";
import pg from "pg";
const db = await startLocalPostgres({ dataDir: ".data/scratch", port: 54398, fast: true });
const admin = new pg.Client({ connectionString: db.url }); await admin.connect();
await admin.query("drop database if exists scratch with (force)"); await admin.query("create database scratch"); await admin.end();
const url = db.url.replace(/\/postgres$/, "/scratch");
try {
  await runBootstrap(url); await runBootstrap(url);
  console.log(await migrate(url, { dir: process.argv[2] ?? "supabase/migrations-wip" }));
} catch (e) { console.error(String(e)); }
await db.stop();
