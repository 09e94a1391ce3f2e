// Decoded months of the analytics store, kept in the process between loads.
//
// A month's packed trades are immutable at a given version (any change to its
// trades bumps the version, and the month is rebuilt under the new one), so a
// chunk decoded once can serve every later load that reads the same month at
// the same version — in any request of any user, because a load only takes a
// chunk for a month row that its own query, under RLS, returned at that
// version. Without this, every uncached view of a 100,000-trade history read
// and decoded ~3.4 MB of base64 and left it to the garbage collector
// (docs/benchmarks.md, "Analytics").
//
// Bounded by the bytes of the packed data and ids it holds; the least recently
// used month goes first.
import type { Chunk } from "~/domain/analytics/chunk.ts";

export interface CachedChunks {
  /** Names (account/month/version) of the held months of these accounts that also hold their ids. */
  withIds: string[];
  /** The same for months held without their ids. */
  withoutIds: string[];
  /** The held chunks by name, pinned for this load (an eviction meanwhile does not take them away). */
  chunks: Map<string, Chunk>;
}

const accountOf = (name: string) => name.slice(0, name.indexOf("/"));

export class ChunkCache {
  readonly #maxBytes: number;
  #bytes = 0;
  /** Insertion order is recency: a hit moves the entry to the end. */
  readonly #entries = new Map<string, { chunk: Chunk; bytes: number }>();

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** What is held for these accounts, to tell the store query which months it need not send. */
  heldFor(accountIds: readonly string[]): CachedChunks {
    const accounts = new Set(accountIds);
    const held: CachedChunks = { withIds: [], withoutIds: [], chunks: new Map() };
    for (const [name, entry] of this.#entries) {
      if (!accounts.has(accountOf(name))) continue;
      (entry.chunk.ids ? held.withIds : held.withoutIds).push(name);
      held.chunks.set(name, entry.chunk);
    }
    return held;
  }

  /** Forgets every month (a process that has decoded nothing yet; the benchmark's first-load case). */
  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  /** Marks a month as just used. */
  touch(name: string): void {
    const entry = this.#entries.get(name);
    if (!entry) return;
    this.#entries.delete(name);
    this.#entries.set(name, entry);
  }

  /** Holds a decoded month (one with ids replaces one without); evicts the least recently used beyond the bound. */
  put(chunk: Chunk): void {
    const bytes = chunkBytes(chunk);
    if (bytes > this.#maxBytes) return;
    const held = this.#entries.get(chunk.name);
    if (held) {
      if (held.chunk.ids && !chunk.ids) return this.touch(chunk.name);
      this.#entries.delete(chunk.name);
      this.#bytes -= held.bytes;
    }
    this.#entries.set(chunk.name, { chunk, bytes });
    this.#bytes += bytes;
    for (const [name, entry] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#entries.delete(name);
      this.#bytes -= entry.bytes;
    }
    // Older versions of the same month can never be read again.
    const month = chunk.name.slice(0, chunk.name.lastIndexOf("/") + 1);
    for (const [name, entry] of this.#entries) {
      if (name !== chunk.name && name.startsWith(month)) {
        this.#entries.delete(name);
        this.#bytes -= entry.bytes;
      }
    }
  }
}

/** The memory a chunk keeps alive: the buffer its packed columns view (decimals is always one of them) and its ids. */
function chunkBytes(chunk: Chunk): number {
  return chunk.packed.decimals.buffer.byteLength + (chunk.ids?.buffer.byteLength ?? 0);
}

/** The process's cache: 64 MB holds the decoded store of about twenty 100,000-trade histories. */
export const decodedChunks = new ChunkCache(64 * 1024 * 1024);
