// What the signed-in shell shows on every page: who you are and your
// accounts, read in the request's RLS-scoped transaction.
import type { AccessClaims } from "~/lib/access-token.server.ts";
import type { RequestDb } from "~/lib/db.server.ts";
import type { ShellAccount, ShellData } from "./shell-types.ts";

export async function loadShell(db: RequestDb, claims: AccessClaims): Promise<ShellData> {
  const profile = await db.query<{ email: string; full_name: string | null; subscription_tier: ShellData["user"]["tier"]; is_admin: boolean }>(
    "select email, full_name, subscription_tier, is_admin from public.profiles where id = $1",
    [claims.sub],
  );
  const accounts = await db.query<{
    id: string;
    name: string;
    kind: ShellAccount["kind"];
    sync_enabled: boolean;
    sync_status: ShellAccount["syncStatus"];
    sync_error: string | null;
  }>("select id, name, kind, sync_enabled, sync_status, sync_error from public.accounts where user_id = $1 order by created_at, name", [claims.sub]);
  const row = profile.rows[0];
  return {
    user: {
      id: claims.sub,
      email: row?.email ?? claims.email ?? "",
      fullName: row?.full_name ?? null,
      tier: row?.subscription_tier ?? "free",
      isAdmin: row?.is_admin ?? false,
    },
    accounts: accounts.rows.map((a) => ({
      id: a.id,
      name: a.name,
      kind: a.kind,
      syncEnabled: a.sync_enabled,
      syncStatus: a.sync_status,
      syncError: a.sync_error,
    })),
  };
}
