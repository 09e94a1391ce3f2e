// The services of the local Supabase server, in routing order.
import type { LocalService, ServiceContext } from "./context.ts";
import { authService } from "./auth/index.ts";
import { mailService } from "./mail/index.ts";
import { realtimeService } from "./realtime/index.ts";
import { storageService } from "./storage/index.ts";

export const localServices: Array<(ctx: ServiceContext) => LocalService | Promise<LocalService>> = [
  authService,
  realtimeService,
  storageService,
  mailService,
];
