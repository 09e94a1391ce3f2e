// Slow statements (app/lib/query-timing.server.ts): named, never quoted, over
// SLOW_QUERY_MS only; on a real pool every statement form is timed and a COPY
// stream passes untouched.
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { createLogger } from "~/lib/logger.server.ts";
import { queryName, SLOW_QUERY_MS, timeClientQueries, timePoolQueries } from "~/lib/query-timing.server.ts";
import { createTestDatabase } from "../support/database.ts";

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ destination: { write: (chunk: string) => void lines.push(chunk) } });
  return { logger, lines, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe("query names", () => {
  it("verb, first table and a hash of the text; the statement's own `-- name` wins", () => {
    const select = "select id, symbol\n  from public.trades where account_id = $1 and note = 'private words'";
    expect(queryName(select)).toMatch(/^select public\.trades #[0-9a-f]{8}$/);
    expect(queryName(select)).toBe(queryName(select.replace(/\s+/g, " ")));
    expect(queryName("insert into public.rate_limit_hits (key) values ($1)")).toMatch(/^insert public\.rate_limit_hits #/);
    expect(queryName('update "public"."accounts" set name = $2 where id = $1')).toMatch(/^update public\.accounts #/);
    expect(queryName("-- dashboard.period-figures\nselect 1")).toBe("dashboard.period-figures");
    expect(queryName("begin")).toMatch(/^begin #/);
    expect(queryName(select)).not.toContain("private words");
  });
});

describe("timing a client's statements with a fake clock", () => {
  function fakeClient(tookMs: number, clock: { now: number }) {
    const client = {
      query: (...args: unknown[]) => {
        clock.now += tookMs;
        const last = args.at(-1);
        if (typeof last === "function") {
          (last as (e: null, r: unknown) => void)(null, { rows: [] });
          return undefined;
        }
        if (typeof (args[0] as { submit?: unknown }).submit === "function") return args[0];
        return Promise.resolve({ rows: [] });
      },
    };
    return client as unknown as pg.ClientBase;
  }

  it(`warns over ${SLOW_QUERY_MS} ms with the name and duration, never the text or values`, async () => {
    const { logger, lines, entries } = capture();
    const clock = { now: 0 };
    const client = fakeClient(SLOW_QUERY_MS + 1, clock);
    timeClientQueries(client, { logger, now: () => clock.now, pool: "web" });
    await client.query("select * from public.trades where note = 'secret note' and id = $1", ["trade-secret-id"]);
    expect(entries()).toEqual([
      expect.objectContaining({
        level: "warn",
        query: expect.stringMatching(/^select public\.trades #/),
        durationMs: 201,
        pool: "web",
        msg: expect.stringMatching(/^slow query: select public\.trades #/),
      }),
    ]);
    expect(lines.join("")).not.toMatch(/secret note|trade-secret-id|where/);
  });

  it(`says nothing at ${SLOW_QUERY_MS} ms or less`, async () => {
    const { logger, lines } = capture();
    const clock = { now: 0 };
    const client = fakeClient(SLOW_QUERY_MS, clock);
    timeClientQueries(client, { logger, now: () => clock.now });
    await client.query("select 1");
    expect(lines).toEqual([]);
  });

  it("times the callback form and a named query config; passes a submittable through", async () => {
    const { logger, entries } = capture();
    const clock = { now: 0 };
    const client = fakeClient(300, clock);
    timeClientQueries(client, { logger, now: () => clock.now });
    await new Promise((resolve) => (client.query as unknown as (t: string, cb: () => void) => void)("delete from public.tags", () => resolve(null)));
    await client.query({ name: "tags.by-user", text: "select * from public.tags" });
    const submittable = { text: "copy x from stdin", submit: () => {} };
    expect(client.query(submittable as unknown as pg.Submittable)).toBe(submittable);
    expect(entries().map((entry) => entry.query)).toEqual([expect.stringMatching(/^delete public\.tags #/), "tags.by-user"]);
  });
});

describe("a real pool", () => {
  it("logs a slow statement run through pool.query and through a checked-out client, by name", async () => {
    const database = await createTestDatabase();
    const { logger, lines, entries } = capture();
    const { default: pgModule } = await import("pg");
    const pool = new pgModule.Pool({ connectionString: database.url, max: 1 });
    try {
      timePoolQueries(pool, { logger, pool: "test" });
      await pool.query("select pg_sleep($1::float) as slept_for_the_test", [0.25]);
      const client = await pool.connect();
      await client.query("select 1 from pg_class where relname = 'secret_relation_name'");
      await client.query("-- slept.on-purpose\nselect pg_sleep(0.21)");
      client.release();
      expect(entries().map((entry) => [entry.level, entry.query])).toEqual([
        ["warn", expect.stringMatching(/^select #[0-9a-f]{8}$/)],
        ["warn", "slept.on-purpose"],
      ]);
      expect(lines.join("")).not.toMatch(/pg_sleep|0\.25|secret_relation_name/);
    } finally {
      await pool.end();
    }
  });
});
