import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../support/database.ts";

const db = await createTestDatabase();

describe("test database harness", () => {
  it("gives each file a migrated database of its own", async () => {
    const { rows } = await db.pool.query("select current_database() as name, to_regclass('auth.users') is not null as has_auth");
    expect(rows[0].name).toMatch(/^rj_test_/);
    expect(rows[0].has_auth).toBe(true);
  });
});
