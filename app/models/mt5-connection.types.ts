// The shapes app/models/mt5-connection.server.ts returns, in a module of types only, so
// components can use them without importing server code.

export interface Mt5SyncDetails {
  syncEnabled: boolean;
  syncStatus: string;
  syncError: string | null;
  lastSyncedAt: string | null;
  pausedAt: string | null;
  pausedReason: string | null;
  hasCredentials: boolean;
  server: string;
  login: string;
  /** The user's own time zone, to show the sync times in. */
  timeZone: string;
}
