// Parse once (issue 16, docs/decisions/017): an upload's bytes and its parse
// stay in this process between the steps of one import, so the file crosses
// to PostgreSQL once (staged, for the confirm on another server or after a
// restart) and is parsed once:
//   upload  → the bytes are handed over here as well as staged, and their
//             parse starts at once, while they are being staged;
//   preview → awaits that parse (or takes the handed-over bytes and parses
//             them), and keeps the plan;
//   confirm → reuses the plan made with the same parse options (no read, no parse).
// A miss (another process, a restart, other parse options, expiry) falls back
// to reading the staged bytes and parsing them: slower, never different.
//
// A re-import (issue 16): once a file is stored its plan stays kept (its bytes
// do not), so the same user uploading the same bytes again — same SHA-256,
// read with the same options — gets that plan instead of a parse: parsing a
// file is a function of its bytes and those options. The re-import's store
// then builds none of the positions already stored. A stored file's plan
// gives way to the next parse of any other file, so it never adds to the
// memory of an import in progress.
//
// Entries belong to one user and one staged file (its SHA-256); a plan holds
// tens of MB for a 100,000-position report, so only a few are kept, briefly.
import type { PlanOutcome } from "~/domain/imports/parse-import.ts";
import type { ParseOptions } from "~/domain/imports/parse-options.ts";

const KEEP_MS = 30 * 60 * 1000;
const MAX_PLANS = 2;
const MAX_HANDOVERS = 2;

interface Owner {
  userId: string;
  uploadId: string;
  sha256: string;
}

interface Handover extends Owner {
  bytes: Uint8Array;
  at: number;
}

interface KeptParse extends Owner {
  options: string;
  outcome: Promise<PlanOutcome>;
  at: number;
  /** Its import is stored: kept only for a re-import, until another file is parsed. */
  stored?: boolean;
}

const handovers = new Map<string, Handover>();
const parses = new Map<string, KeptParse>();

const sameOwner = (entry: Owner, owner: Owner) => entry.userId === owner.userId && entry.uploadId === owner.uploadId && entry.sha256 === owner.sha256;

/** Drops expired entries, then the oldest beyond `max` (Maps iterate in insertion order). */
function prune<T extends { at: number }>(entries: Map<string, T>, max: number): void {
  const now = Date.now();
  for (const [key, entry] of entries) if (now - entry.at > KEEP_MS) entries.delete(key);
  while (entries.size > max) entries.delete(entries.keys().next().value!);
}

/** The file was just received and staged: the preview can take its bytes from here. */
export function handOverUploadBytes(owner: Owner, bytes: Uint8Array): void {
  handovers.delete(owner.uploadId);
  handovers.set(owner.uploadId, { ...owner, bytes, at: Date.now() });
  prune(handovers, MAX_HANDOVERS);
}

/** The staged file's bytes when this process received them (once: the taker owns them). */
export function takeUploadBytes(owner: Owner): Uint8Array | null {
  const entry = handovers.get(owner.uploadId);
  if (!entry || !sameOwner(entry, owner)) return null;
  handovers.delete(owner.uploadId);
  return entry.bytes;
}

/** The parse options a plan was made with, as a key (a column mapping included). */
export function parseOptionsKey(options: ParseOptions): string {
  return JSON.stringify([options.serverTimeZone, options.marginMode, options.accountCurrency, options.columnMapping ?? null]);
}

/** A file is about to be parsed: the plans kept only for a re-import give way first (before the parse allocates). */
export function makeRoomForParse(): void {
  for (const [key, entry] of parses) if (entry.stored) parses.delete(key);
}

/** Keeps a parse of the file (finished, or still running). */
export function keepParse(owner: Owner, options: ParseOptions, outcome: PlanOutcome | Promise<PlanOutcome>): void {
  parses.delete(owner.uploadId);
  parses.set(owner.uploadId, { ...owner, options: parseOptionsKey(options), outcome: Promise.resolve(outcome), at: Date.now() });
  prune(parses, MAX_PLANS);
}

const fresh = (entry: KeptParse) => Date.now() - entry.at <= KEEP_MS;

/**
 * The outcome of parsing this file with these options before, if this
 * process still has it: this upload's own parse, or (a re-import) one this
 * user made of the same bytes for another upload, kept now for this one too.
 */
export function parsedBefore(owner: Owner, options: ParseOptions): Promise<PlanOutcome> | null {
  const entry = parses.get(owner.uploadId);
  if (entry && sameOwner(entry, owner) && entry.options === parseOptionsKey(options) && fresh(entry)) return entry.outcome;
  const same = sameFileParsed(owner, options);
  if (same) keepParse(owner, options, same);
  return same;
}

/** A parse this user made of the same bytes (same SHA-256) with the same options, for any upload of them. */
export function sameFileParsed(file: { userId: string; sha256: string }, options: ParseOptions): Promise<PlanOutcome> | null {
  const key = parseOptionsKey(options);
  let found: KeptParse | null = null;
  for (const entry of parses.values())
    if (entry.userId === file.userId && entry.sha256 === file.sha256 && entry.options === key && fresh(entry)) found = entry;
  return found?.outcome ?? null;
}

/** Whether some parse of this file is kept (the confirm then need not read the bytes before it knows the options). */
export function hasKeptParse(owner: Owner): boolean {
  const entry = parses.get(owner.uploadId);
  return !!entry && sameOwner(entry, owner);
}

/** The import is stored: its bytes are not needed again; its plan stays kept for a re-import of the same file. */
export function uploadStored(uploadId: string): void {
  handovers.delete(uploadId);
  const entry = parses.get(uploadId);
  if (entry) entry.stored = true;
}

/** The upload is gone (or, in tests, this process never saw it): neither its plan nor its bytes are kept. */
export function forgetUpload(uploadId: string): void {
  handovers.delete(uploadId);
  parses.delete(uploadId);
}
