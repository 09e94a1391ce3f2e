// What every service of the local Supabase server is handed: one database pool,
// the keys, the configuration and a logger that never prints secrets.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type pg from "pg";
import type { LocalKeys } from "./keys.ts";

export interface LocalSupabaseConfig {
  /** Public base URL clients use, e.g. http://127.0.0.1:54321 */
  publicUrl: string;
  /** Where email links send the user by default (the app). */
  siteUrl: string;
  /** Extra redirect URLs allowed besides siteUrl (prefix match). */
  additionalRedirectUrls: string[];
  /** When true, sign-up returns a session and no confirmation email is sent. */
  autoconfirm: boolean;
  /** Access token lifetime in seconds (GoTrue's JWT_EXPIRY). */
  jwtExpirySeconds: number;
  /** Emails one address may be sent per hour before 429 over_email_send_rate_limit. */
  emailRateLimitPerHour: number;
  /** Files stored by the Storage service live below this directory. */
  storageDir: string;
}

export interface ServiceContext {
  /** Pool connected as a superuser; services switch role per request. */
  pool: pg.Pool;
  /** Database URL of that pool (Realtime opens its replication connection from it). */
  databaseUrl: string;
  keys: LocalKeys;
  config: LocalSupabaseConfig;
  log: (line: string) => void;
}

/** Returns true when it handled the request. */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer, url: URL) => boolean;

export interface LocalService {
  name: string;
  http?: HttpHandler;
  upgrade?: UpgradeHandler;
  close?: () => Promise<void>;
}
