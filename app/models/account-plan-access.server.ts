// What the current plan allows for one account (public.account_plan_access,
// supabase/migrations/20261207130000_billing.sql), for pages that show an
// account's trades: a read-only account's trades explain why they cannot be
// edited before anyone fills a form.
import type { RequestDb } from "~/lib/db.server.ts";
import type { PlanAccess } from "./accounts.types.ts";

export interface AccountPlanAccess {
  access: PlanAccess;
  /** The user's plan, as the database names it ('free', 'pro', 'elite'). */
  tier: string;
}

export async function loadAccountPlanAccess(db: RequestDb, accountId: string): Promise<AccountPlanAccess> {
  const { rows } = await db.query<{ access: PlanAccess | null; tier: string }>(
    "select public.account_plan_access($1) as access, public.user_tier((select auth.uid())) as tier",
    [accountId],
  );
  // No answer = not the caller's account; the page's own load has already refused it.
  return { access: rows[0]?.access ?? "full", tier: rows[0]?.tier ?? "free" };
}

/** The edit page's refusal, in the words the database uses when it refuses the write. */
export function readOnlyEditRefusal(accountName: string, tier: string): string {
  return `"${accountName}" is read-only on the ${tier} plan: its trades stay visible, but nothing can be added or changed until you upgrade.`;
}

/** The caller's accounts a downgrade left read-only, oldest first (RLS keeps it to the caller's own). */
export async function listReadOnlyAccountNames(db: RequestDb): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    "select name from public.accounts where public.account_plan_access(id) = 'read_only' order by created_at, id",
  );
  return rows.map((row) => row.name);
}
