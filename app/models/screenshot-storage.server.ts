// The private trade-screenshots bucket through the Storage API, as whoever the
// Supabase client is signed in as: in a request, the user's own session, so
// the bucket's folder policies (first folder = auth.uid()) decide every call
// exactly as for a direct client. The service role is the cleanup job's alone.
import type { SupabaseClient } from "@supabase/supabase-js";

export const SCREENSHOT_BUCKET = "trade-screenshots";
/** Signed URLs live five minutes: long enough to look, short enough that a copied link goes stale. */
export const SIGNED_URL_SECONDS = 300;

export interface ScreenshotStorage {
  /** Stores new bytes at `path` (never overwrites); throws with Storage's message when refused. */
  upload(path: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** Deletes the objects; resolves to the paths Storage reports deleted (one it cannot see is skipped). */
  remove(paths: string[]): Promise<string[]>;
  /** A signed URL per path it could sign. */
  signedUrls(paths: string[], expiresInSeconds: number): Promise<Map<string, string>>;
}

export class StorageRefused extends Error {
  constructor(operation: string, detail: string) {
    super(`Storage refused the ${operation}: ${detail}`);
    this.name = "StorageRefused";
  }
}

export function screenshotStorage(supabase: SupabaseClient): ScreenshotStorage {
  const bucket = () => supabase.storage.from(SCREENSHOT_BUCKET);
  return {
    async upload(path, bytes, contentType) {
      const { error } = await bucket().upload(path, bytes, { contentType, upsert: false, cacheControl: "3600" });
      if (error) throw new StorageRefused("upload", error.message);
    },
    async remove(paths) {
      if (paths.length === 0) return [];
      const { data, error } = await bucket().remove(paths);
      if (error) throw new StorageRefused("delete", error.message);
      return data.map((object) => object.name);
    },
    async signedUrls(paths, expiresInSeconds) {
      const urls = new Map<string, string>();
      if (paths.length === 0) return urls;
      const { data, error } = await bucket().createSignedUrls(paths, expiresInSeconds);
      if (error) throw new StorageRefused("signing", error.message);
      for (const entry of data) if (entry.path && entry.signedUrl && !entry.error) urls.set(entry.path, entry.signedUrl);
      return urls;
    },
  };
}
