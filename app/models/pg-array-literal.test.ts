// Text array literals carry any text through unchanged (position ids come from files).
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../../tests/support/database.ts";
import { arrayLiteral } from "./pg-array-literal.ts";

const db = await createTestDatabase();

describe("arrayLiteral", () => {
  it("round-trips empty, NULL-looking, quoted, backslashed, braced and Unicode text, and nulls", async () => {
    const values = ["", "NULL", "null", 'a "b" c', "back\\slash", "{x,y}", " spaced ", "fp:0a1b", "Zürich ✓", null];
    const { rows } = await db.pool.query("select v from unnest($1::text[]) with ordinality as t(v, n) order by n", [arrayLiteral(values)]);
    expect(rows.map((r) => r.v)).toEqual(values);
  });

  it("refuses numbers that cannot be stored", () => {
    expect(() => arrayLiteral([Number.NaN])).toThrow(/cannot be stored/);
  });
});
