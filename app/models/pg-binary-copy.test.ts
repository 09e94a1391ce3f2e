// Binary COPY rows must store exactly what the same values as text would:
// checked against a real PostgreSQL, type by type, edge by edge, through the
// same COPY the store stages with.
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../../tests/support/database.ts";
import { BinaryCopyRows, copyStreamOf, type CopyType, type CopyValue } from "./pg-binary-copy.ts";
import { copyRows, createStageSql } from "./staged-copy.server.ts";

const db = await createTestDatabase();

/** Copies the values as one column through binary COPY; reads them back as text beside the same values cast from text. */
async function roundTrip(type: CopyType, values: CopyValue[]) {
  const rows = new BinaryCopyRows<CopyValue>([
    ["n", "int2", (_, id) => Number(id)],
    ["v", type, (value) => value],
  ]);
  values.forEach((value, i) => rows.add(value, String(i)));
  const client = await db.pool.connect();
  try {
    await client.query("begin");
    await client.query(createStageSql("copy_round_trip", rows));
    expect(await copyRows(client, "copy_round_trip", rows)).toBe(values.length);
    const { rows: got } = await client.query("select v::text as v from pg_temp.copy_round_trip order by n");
    const texts = values.map((v) => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v)));
    const { rows: expected } = await client.query(`select v::${type}::text as v from unnest($1::text[]) with ordinality as t(v, n) order by n`, [
      texts,
    ]);
    await client.query("rollback");
    return { got: got.map((r) => r.v), expected: expected.map((r) => r.v) };
  } finally {
    client.release();
  }
}

describe("BinaryCopyRows", () => {
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
        "123456789012345678901234567890123456789012345678901234567890.000000000000000000000000000001",
        "-0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001",
        ".5",
        "5.",
        "+3",
        "1e-7",
        "2.5E3",
        null,
      ],
    ],
    [
      "text",
      [
        "",
        "EURUSD.Z",
        'a "quoted" \\ back,slash {x}',
        "tab\there, newline\nthere, return\rthere",
        "\\N",
        "\\.",
        "NULL",
        "Hístory ✓ 𝔘 日本語 ёлка",
        "e\u0301 (combining accent)",
        null,
      ],
    ],
    ["uuid", ["0190f7a1-2b3c-7d4e-8f00-112233445566", "00000000-0000-0000-0000-000000000000", null]],
    ["int2", [0, -840, 840, 32767, -32768, null]],
    ["int8", ["0", "-9223372036854775808", "9223372036854775807", "123456789012", null]],
    ["bool", [true, false, null]],
    ["jsonb", ['{"section":"Positions","row":1}', '{"a":[1,2,{"b":"ü"}],"c":null,"d":"tab\\tand\\nline"}', null]],
  ] as [CopyType, CopyValue[]][])("%s values read back as their text forms do", async (type, values) => {
    const { got, expected } = await roundTrip(type, values);
    expect(got).toEqual(expected);
    expect(got.filter((v) => v === null)).toHaveLength(values.filter((v) => v === null).length);
  });

  it("stores times to the millisecond, before and after 2000, and nulls", async () => {
    const times = [
      new Date("2025-04-15T14:11:31.123Z"),
      new Date("1999-12-31T23:59:59.999Z"),
      new Date("1970-01-01T00:00:00Z"),
      new Date("2038-01-19T03:14:08.001Z"),
      null,
    ];
    const rows = new BinaryCopyRows<Date | null>([["at", "timestamptz", (at) => at]]);
    for (const at of times) rows.add(at, "");
    const client = await db.pool.connect();
    try {
      await client.query("begin");
      await client.query(createStageSql("copy_times", rows));
      await copyRows(client, "copy_times", rows);
      const { rows: got } = await client.query("select at from pg_temp.copy_times");
      await client.query("rollback");
      expect(got.map((r) => (r.at as Date | null)?.toISOString() ?? null)).toEqual(times.map((t) => t?.toISOString() ?? null));
    } finally {
      client.release();
    }
  });

  it("grows past its first buffer and empties for the next rows", async () => {
    const rows = new BinaryCopyRows<string>([["v", "text", (v) => v]]);
    const long = "x".repeat(100_000);
    for (let i = 0; i < 5; i++) rows.add(long, "");
    const client = await db.pool.connect();
    try {
      await client.query("begin");
      await client.query(createStageSql("copy_long", rows));
      await copyRows(client, "copy_long", rows);
      await copyRows(client, "copy_long", rows.reset());
      rows.add("short", "");
      await copyRows(client, "copy_long", rows);
      const { rows: got } = await client.query("select count(*)::int as n, sum(length(v))::int as chars from pg_temp.copy_long");
      await client.query("rollback");
      expect(got[0]).toEqual({ n: 6, chars: 500_005 });
    } finally {
      client.release();
    }
  });

  it("sends several buffers' rows as one COPY stream, byte for byte the stream of them all in one buffer", async () => {
    const columns = [
      ["n", "int2", (n: number) => n],
      ["v", "text", (n: number) => `row ${n}`],
    ] as const;
    const all = new BinaryCopyRows<number>(columns);
    const parts = [new BinaryCopyRows<number>(columns), new BinaryCopyRows<number>(columns), new BinaryCopyRows<number>(columns)];
    for (let n = 0; n < 9; n++) {
      all.add(n, "");
      parts[n % 3 === 2 ? 2 : n < 3 ? 0 : 1]!.add(n, "");
    }
    // Parts 0 and 1 keep their rows in order of n: 0 1 | 3 4 6 7 | 2 5 8.
    const inOrder = new BinaryCopyRows<number>(columns);
    for (const n of [0, 1, 3, 4, 6, 7, 2, 5, 8]) inOrder.add(n, "");
    expect(Buffer.concat(copyStreamOf(parts))).toEqual(inOrder.data());
    expect(Buffer.concat(copyStreamOf([all]))).toEqual(all.data());
    const client = await db.pool.connect();
    try {
      await client.query("begin");
      await client.query(createStageSql("copy_parts", all));
      expect(await copyRows(client, "copy_parts", parts)).toBe(9);
      const { rows: got } = await client.query("select n, v from pg_temp.copy_parts order by n");
      await client.query("rollback");
      expect(got).toEqual(Array.from({ length: 9 }, (_, n) => ({ n, v: `row ${n}` })));
    } finally {
      client.release();
    }
  });

  it("refuses what is not a value of the type", () => {
    const one = (type: CopyType, value: CopyValue) => new BinaryCopyRows<CopyValue>([["v", type, (v) => v]]).add(value, "");
    expect(() => one("numeric", "1,5")).toThrow(/not a decimal/);
    expect(() => one("numeric", "NaN")).toThrow(/not a decimal/);
    expect(() => one("numeric", `0.${"1".repeat(16_384)}`)).toThrow(/too many digits/);
    expect(() => one("uuid", "x")).toThrow(/not a UUID/);
    expect(() => one("int2", 40_000)).toThrow(/smallint/);
    expect(() => one("int8", "9223372036854775808")).toThrow(/bigint/);
    expect(() => one("timestamptz", "2025-01-01")).toThrow(/from a Date/);
    expect(() => one("timestamptz", new Date(Number.NaN))).toThrow(/invalid date/);
  });
});
