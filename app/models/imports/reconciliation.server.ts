// The reconciliation line of an import: what the stored trades and cash rows
// of the file add up to, summed by the database in exact numerics inside the
// import's own transaction, kept on the batch beside the file's own figures.
import { dec, toDecimalString } from "~/domain/decimal.ts";
import { reconcileImport, type ImportReconciliation, type ReconciliationResult, type StoredFigures } from "~/domain/imports/reconcile-import.ts";
import { hasFigures } from "~/domain/imports/report-summary.ts";
import type { ImportPlan } from "~/domain/imports/import-plan.ts";
import type { RequestDb } from "~/lib/db.server.ts";
import { isUuid } from "./uploads.server.ts";

/** Sums the file's stored positions and cash rows (duplicates stored earlier included) and keeps them on the batch. */
export async function storeReconciliation(db: RequestDb, batchId: string, accountId: string, plan: ImportPlan): Promise<void> {
  if (!hasFigures(plan.summary)) return;
  const dealIds = plan.cash.map((movement) => movement.dealId).filter((id): id is string => id !== null);
  const { rows } = await db.query<{ trades_net: string; closed_net: string; trades: number; cash: string; cash_rows: number }>(
    `select t.trades_net::text, t.closed_net::text, t.trades, c.cash::text, c.cash_rows
       from (select coalesce(sum(net_profit), 0) as trades_net,
                    coalesce(sum(net_profit) filter (where status = 'closed'), 0) as closed_net,
                    count(*)::int as trades
               from public.trades where account_id = $1 and position_id = any($2::text[])) t,
            -- Credit is lent by the broker: it never enters the balance.
            (select coalesce(sum(amount) filter (where kind <> 'credit'), 0) as cash, count(*)::int as cash_rows
               from public.cash_movements where account_id = $1 and deal_id = any($3::text[])) c`,
    [accountId, plan.positionIds, dealIds],
  );
  const row = rows[0]!;
  // Sums carry the widest scale of their rows ("50.940"): kept as plain decimal text.
  const plain = (text: string) => toDecimalString(dec(text));
  const stored: StoredFigures = {
    tradesNet: plain(row.trades_net),
    closedTradesNet: plain(row.closed_net),
    cash: plain(row.cash),
    trades: row.trades,
    cashRows: row.cash_rows,
  };
  const reconciliation: ImportReconciliation = { summary: plan.summary, stored };
  await db.query("update public.import_batches set reconciliation = $2 where id = $1", [batchId, JSON.stringify(reconciliation)]);
}

export async function loadReconciliation(db: RequestDb, batchId: string): Promise<ReconciliationResult | null> {
  if (!isUuid(batchId)) return null;
  const { rows } = await db.query<{ reconciliation: ImportReconciliation | null }>("select reconciliation from public.import_batches where id = $1", [
    batchId,
  ]);
  const kept = rows[0]?.reconciliation;
  return kept ? reconcileImport(kept) : null;
}
