// Binary array parameters must store exactly what the same values as text
// would: checked against a real PostgreSQL, type by type, edge by edge.
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../../tests/support/database.ts";
import { BinaryArray, type ElementType } from "./pg-binary-array.ts";

const db = await createTestDatabase();

/** The values read back as text, through the binary array and through a text literal. */
async function roundTrip(type: ElementType, values: (string | number | null)[]) {
  const array = new BinaryArray(type);
  for (const value of values) array.push(value);
  const { rows } = await db.pool.query(`select v::text as v from unnest($1::${type}[]) as v`, [array.toBuffer()]);
  const literal = `{${values.map((v) => (v === null ? "NULL" : `"${String(v).replace(/["\\]/g, "\\$&")}"`)).join(",")}}`;
  const { rows: expected } = await db.pool.query(`select v::text as v from unnest($1::${type}[]) as v`, [literal]);
  return { got: rows.map((r) => r.v), expected: expected.map((r) => r.v) };
}

describe("BinaryArray", () => {
  it.each([
    [
      "numeric",
      [
        "0",
        "-0",
        "-0.00",
        "1.50",
        "1.12895",
        "-6.93",
        "12345678.9",
        "0.0001",
        "0.00001",
        "100000000",
        "99999999999999999999.123456789012",
        ".5",
        "5.",
        "+3",
        "1e-7",
        "2.5E3",
        null,
      ],
    ],
    ["text", ["", "EURUSD.Z", 'a "quoted" \\ back,slash {x}', "NULL", "Hístory ✓ 𝔘", null]],
    ["uuid", ["0190f7a1-2b3c-7d4e-8f00-112233445566", "00000000-0000-0000-0000-000000000000", null]],
    ["int2", [0, -840, 840, 32767, -32768, null]],
    ["int8", ["0", "-9223372036854775808", "9223372036854775807", "123456789012", null]],
    ["jsonb", ['{"section":"Positions","row":1}', '{"a":[1,2,{"b":"ü"}],"c":null}', null]],
  ] as [ElementType, (string | number | null)[]][])("%s values read back as their text forms do", async (type, values) => {
    const { got, expected } = await roundTrip(type, values);
    expect(got).toEqual(expected);
  });

  it("stores times to the millisecond, before and after 2000, and nulls", async () => {
    const times = [
      new Date("2025-04-15T14:11:31.123Z"),
      new Date("1999-12-31T23:59:59.999Z"),
      new Date("1970-01-01T00:00:00Z"),
      new Date("2038-01-19T03:14:08.001Z"),
      null,
    ];
    const array = new BinaryArray("timestamptz");
    for (const at of times) array.pushTime(at);
    const { rows } = await db.pool.query("select v from unnest($1::timestamptz[]) as v", [array.toBuffer()]);
    expect(rows.map((r) => (r.v as Date | null)?.toISOString() ?? null)).toEqual(times.map((t) => t?.toISOString() ?? null));
  });

  it("sends an empty array and grows past its first buffer", async () => {
    expect((await db.pool.query("select cardinality($1::text[]) as n", [new BinaryArray("text").toBuffer()])).rows[0].n).toBe(0);
    const array = new BinaryArray("text");
    const long = "x".repeat(100_000);
    for (let i = 0; i < 5; i++) array.push(long);
    const { rows } = await db.pool.query("select sum(length(v))::int as n from unnest($1::text[]) as v", [array.toBuffer()]);
    expect(rows[0].n).toBe(500_000);
  });

  it("refuses what is not a value of the type", () => {
    expect(() => new BinaryArray("numeric").push("1,5")).toThrow(/not a decimal/);
    expect(() => new BinaryArray("uuid").push("x")).toThrow(/not a UUID/);
    expect(() => new BinaryArray("int2").push(40_000)).toThrow(/smallint/);
  });
});
