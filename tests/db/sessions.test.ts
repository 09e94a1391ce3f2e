// public.session_tag() against app/domain/sessions.ts, minute-exact around
// every DST switch of 2025 and 2026 in London, New York and Sydney.
import { describe, expect, it } from "vitest";
import { sessionTag } from "../../app/domain/sessions.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createTrade, createUser } from "../support/fixtures.ts";

const db = await createTestDatabase();

const SWITCHES = {
  "US 2025 spring": "2025-03-09",
  "UK 2025 spring": "2025-03-30",
  "UK 2025 autumn": "2025-10-26",
  "US 2025 autumn": "2025-11-02",
  "AU 2025 autumn": "2025-04-06",
  "AU 2025 spring": "2025-10-05",
  "US 2026 spring": "2026-03-08",
  "UK 2026 spring": "2026-03-29",
  "UK 2026 autumn": "2026-10-25",
  "US 2026 autumn": "2026-11-01",
  "AU 2026 autumn": "2026-04-05",
  "AU 2026 spring": "2026-10-04",
};

async function sqlTags(from: string, to: string, stepMinutes: number): Promise<Array<{ at: Date; tag: string }>> {
  const { rows } = await db.pool.query<{ at: Date; tag: string }>(
    `select t as at, public.session_tag(t) as tag
       from generate_series($1::timestamptz, $2::timestamptz, make_interval(mins => $3)) as t`,
    [from, to, stepMinutes],
  );
  return rows;
}

describe("session_tag in the database", () => {
  it.each(Object.entries(SWITCHES))("agrees with the TypeScript rules around the %s switch (%s)", async (_, day) => {
    const start = new Date(`${day}T00:00:00Z`);
    const from = new Date(start.getTime() - 4 * 86_400_000).toISOString();
    const to = new Date(start.getTime() + 4 * 86_400_000).toISOString();
    const rows = await sqlTags(from, to, 15);
    expect(rows.length).toBeGreaterThan(700);
    const disagreements = rows.filter((r) => r.tag !== sessionTag(r.at)).map((r) => `${r.at.toISOString()} sql=${r.tag}`);
    expect(disagreements).toEqual([]);
  });

  it.each([
    // London opens 08:00 local: 08:00 UTC in winter, 07:00 UTC in summer.
    ["2025-03-28T07:30:00Z", "asian"], // before the UK switch
    ["2025-03-31T07:30:00Z", "london"], // after it
    ["2025-10-24T07:30:00Z", "london"],
    ["2025-10-27T07:30:00Z", "asian"],
    // New York opens 08:00 local: the overlap starts 13:00 UTC in winter, 12:00 UTC in summer.
    ["2026-03-06T12:30:00Z", "london"],
    ["2026-03-09T12:30:00Z", "overlap"],
    ["2026-10-30T12:30:00Z", "overlap"], // US still on EDT, UK already on GMT
    ["2026-11-02T12:30:00Z", "london"],
    // New York closes 17:00 local.
    ["2026-10-30T21:30:00Z", "late-ny"],
    ["2026-11-02T21:30:00Z", "newyork"],
  ])("%s is %s", async (iso, tag) => {
    const { rows } = await db.pool.query("select public.session_tag($1::timestamptz) as tag", [iso]);
    expect(rows[0].tag).toBe(tag);
  });

  it("is set on every trade from its UTC open time, and follows edits of it", async () => {
    const user = await createUser(db.pool, { tier: "pro" });
    const account = await createAccount(db.pool, user);
    const id = await createTrade(db.pool, user, account, { opened_at: "2026-07-15T12:30:00Z", closed_at: "2026-07-15T18:00:00Z" });
    const read = async () => (await db.pool.query("select session_tag from public.trades where id = $1", [id])).rows[0].session_tag;
    expect(await read()).toBe("overlap");
    await db.pool.query("update public.trades set opened_at = '2026-07-15T02:00:00Z' where id = $1", [id]);
    expect(await read()).toBe("asian");
    await db.pool.query("update public.trades set session_tag = 'london' where id = $1", [id]);
    expect(await read()).toBe("london"); // an explicit correction without a time change stays
  });
});
