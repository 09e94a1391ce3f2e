import { describe, expect, it } from "vitest";
import { decodeChunk, encodeChunk, type Chunk } from "~/domain/analytics/chunk.ts";
import { columnsOf } from "~/domain/analytics/columns.ts";
import { trade } from "~/domain/analytics/test-support.ts";
import { ChunkCache } from "./chunk-cache.ts";

const MARCH = Date.UTC(2026, 2, 1);
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

/** A decoded month of `trades` trades, named as the store names it; with or without its ids. */
function month(name: string, trades: number, withIds = true): Chunk {
  const list = Array.from({ length: trades }, (_, i) =>
    trade(uuid(i + 1), `2026-03-02T09:${String(i % 60).padStart(2, "0")}:00Z`, `2026-03-02T10:${String(i % 60).padStart(2, "0")}:00Z`, {
      profit: "1.25",
    }),
  );
  const packed = encodeChunk(columnsOf(list), MARCH);
  return decodeChunk(packed.data, MARCH, withIds ? packed.ids : null, name);
}

const bytesOf = (chunk: Chunk) => chunk.packed.decimals.buffer.byteLength + (chunk.ids?.buffer.byteLength ?? 0);

describe("ChunkCache", () => {
  it("says which months of the asked accounts it holds, with and without ids, and pins them for the load", () => {
    const cache = new ChunkCache(1_000_000);
    const a = month("acc-a/2026-03-01/4", 3);
    const b = month("acc-a/2026-04-01/2", 3, false);
    const other = month("acc-b/2026-03-01/9", 3);
    for (const chunk of [a, b, other]) cache.put(chunk);
    const held = cache.heldFor(["acc-a"]);
    expect(held.withIds).toEqual(["acc-a/2026-03-01/4"]);
    expect(held.withoutIds).toEqual(["acc-a/2026-04-01/2"]);
    expect(held.chunks.get("acc-a/2026-03-01/4")).toBe(a);
    expect(held.chunks.has("acc-b/2026-03-01/9")).toBe(false);
  });

  it("drops the least recently used months beyond its bound, a touched month counting as used", () => {
    const first = month("acc/2026-01-01/1", 50);
    const size = bytesOf(first);
    const cache = new ChunkCache(size * 2);
    cache.put(first);
    cache.put(month("acc/2026-02-01/1", 50));
    cache.touch("acc/2026-01-01/1");
    cache.put(month("acc/2026-03-01/1", 50));
    expect([...cache.heldFor(["acc"]).chunks.keys()].sort()).toEqual(["acc/2026-01-01/1", "acc/2026-03-01/1"]);
    expect(cache.bytes).toBe(size * 2);
  });

  it("keeps one version of a month: a newer version replaces the older, which no load can read again", () => {
    const cache = new ChunkCache(1_000_000);
    cache.put(month("acc/2026-03-01/1", 3));
    cache.put(month("acc/2026-03-01/2", 4));
    expect(cache.heldFor(["acc"]).withIds).toEqual(["acc/2026-03-01/2"]);
    expect(cache.size).toBe(1);
  });

  it("replaces a month held without ids by the same month with them, and never the other way round", () => {
    const cache = new ChunkCache(1_000_000);
    cache.put(month("acc/2026-03-01/1", 3, false));
    const withIds = month("acc/2026-03-01/1", 3);
    cache.put(withIds);
    cache.put(month("acc/2026-03-01/1", 3, false));
    expect(cache.heldFor(["acc"]).chunks.get("acc/2026-03-01/1")).toBe(withIds);
    expect(cache.bytes).toBe(bytesOf(withIds));
  });

  it("does not hold a month larger than its whole bound", () => {
    const big = month("acc/2026-03-01/1", 200);
    const cache = new ChunkCache(bytesOf(big) - 1);
    cache.put(big);
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });
});
