// Playbooks (issue 13): named setups with a checklist of entry rules, the
// trades linked to each (journals.playbook_id) and the rules ticked for each
// trade (trade_rule_checks). Figures come from app/domain/playbooks. Every
// statement runs in the request's RLS-scoped transaction, and the composite
// foreign keys (id, user_id) refuse linking anything of another user's.
import type { AnalyticsTrade } from "~/domain/analytics/types.ts";
import { followedEveryRule, playbookFigures, type PlaybookTrade } from "~/domain/playbooks/figures.ts";
import { impliedRiskAmount } from "~/domain/trades/r-multiple.ts";
import { AppError } from "~/lib/app-error.ts";
import type { RequestDb } from "~/lib/db.server.ts";
import { RULES_MAX } from "~/schemas/playbooks.ts";
import type { PlaybookDetail, PlaybookRule, PlaybookSummary, PlaybookTradeRow, TradePlaybookPanelData } from "./playbooks.types.ts";

export type { PlaybookDetail, PlaybookRule, PlaybookSummary, PlaybookTradeRow, TradePlaybookPanelData };

/** The playbook page lists at most this many of its trades, newest first. */
export const TRADE_ROWS_MAX = 200;

const UNIQUE_VIOLATION = "23505";
const FOREIGN_KEY_VIOLATION = "23503";
/** Row-level security refused the row (an upsert onto another user's journal). */
const RLS_VIOLATION = "42501";
const GONE = "That playbook no longer exists; it may have been deleted. Reload the page.";

function sqlCode(error: unknown): string | undefined {
  return (error as { code?: string }).code;
}

function duplicateName(error: unknown, name: string): never {
  if (sqlCode(error) === UNIQUE_VIOLATION) throw new AppError("conflict", `You already have a playbook named "${name}".`, { cause: error });
  throw error;
}

interface LinkedTradeRow {
  id: string;
  playbook_id: string;
  status: "open" | "closed";
  opened_ms: number;
  closed_ms: number | null;
  gross_profit: string;
  commission: string;
  swap: string;
  fee: string;
  net_profit: string;
  initial_risk_amount: string | null;
  entry_price: string;
  exit_price: string | null;
  initial_stop_loss: string | null;
  symbol: string;
  direction: "buy" | "sell";
  session_tag: string | null;
  currency: string;
  checked: string[];
}

/** The linked trades of some playbooks, newest close first (open trades first of all). */
async function linkedTrades(db: RequestDb, userId: string, playbookIds: string[]): Promise<LinkedTradeRow[]> {
  if (playbookIds.length === 0) return [];
  const { rows } = await db.query<LinkedTradeRow>(
    `select t.id, j.playbook_id, t.status,
            (extract(epoch from t.opened_at) * 1000)::float8 as opened_ms, (extract(epoch from t.closed_at) * 1000)::float8 as closed_ms,
            t.gross_profit::text, t.commission::text, t.swap::text, t.fee::text, t.net_profit::text,
            t.initial_risk_amount::text, t.entry_price::text, t.exit_price::text, t.initial_stop_loss::text,
            t.symbol, t.direction, t.session_tag, a.currency,
            coalesce((select array_agg(c.rule_id::text) from public.trade_rule_checks c where c.trade_id = t.id), '{}') as checked
       from public.journals j
       join public.trades t on t.id = j.trade_id
       join public.accounts a on a.id = t.account_id
      where j.user_id = $1 and j.playbook_id = any($2::uuid[])
      order by t.closed_at desc nulls first, t.id`,
    [userId, playbookIds],
  );
  return rows;
}

/** A closed trade as the analytics figures read it (the same mapping as app/models/analytics/input.server.ts). */
function asPlaybookTrade(t: LinkedTradeRow): PlaybookTrade {
  const trade: AnalyticsTrade = {
    id: t.id,
    openedAt: new Date(t.opened_ms),
    closedAt: new Date(t.closed_ms!),
    profit: t.gross_profit,
    commission: t.commission,
    swap: t.swap,
    fee: t.fee,
    // Recorded for manual trades; for synced and imported ones read from the trade's own P&L.
    initialRisk:
      t.initial_risk_amount ??
      impliedRiskAmount({
        direction: t.direction,
        entryPrice: t.entry_price,
        exitPrice: t.exit_price,
        initialStopLoss: t.initial_stop_loss,
        grossProfit: t.gross_profit,
      }),
    symbol: t.symbol,
    direction: t.direction,
    session: t.session_tag,
    tags: [],
  };
  return { ...trade, currency: t.currency, checkedRuleIds: t.checked };
}

function figuresOf(trades: LinkedTradeRow[], ruleIds: string[], options?: { compare: boolean }) {
  return playbookFigures(trades.filter((t) => t.status === "closed" && t.closed_ms !== null).map(asPlaybookTrade), ruleIds, options);
}

/** Every playbook of the user, by name, with its closed trades' figures. */
export async function listPlaybooks(db: RequestDb, userId: string): Promise<PlaybookSummary[]> {
  const { rows: playbooks } = await db.query<{ id: string; name: string; description: string | null; rule_ids: string[] }>(
    `select p.id, p.name, p.description,
            coalesce((select array_agg(r.id::text order by r.position) from public.playbook_rules r where r.playbook_id = p.id), '{}') as rule_ids
       from public.playbooks p
      where p.user_id = $1 and not p.archived
      order by lower(p.name), p.id`,
    [userId],
  );
  const trades = await linkedTrades(
    db,
    userId,
    playbooks.map((p) => p.id),
  );
  return playbooks.map((p) => {
    const own = trades.filter((t) => t.playbook_id === p.id);
    return {
      id: p.id,
      name: p.name,
      description: p.description,
      ruleCount: p.rule_ids.length,
      linkedTrades: own.length,
      // The list shows the headline figures; the comparison is on the playbook's page.
      figures: figuresOf(own, p.rule_ids, { compare: false }),
    };
  });
}

export async function createPlaybook(db: RequestDb, userId: string, values: { name: string; description: string | null }): Promise<string> {
  try {
    const { rows } = await db.query<{ id: string }>("insert into public.playbooks (user_id, name, description) values ($1, $2, $3) returning id", [
      userId,
      values.name,
      values.description,
    ]);
    return rows[0]!.id;
  } catch (error) {
    duplicateName(error, values.name);
  }
}

/** One playbook with its rules, figures and trades; null when it is not the user's (or gone). */
export async function loadPlaybook(db: RequestDb, userId: string, playbookId: string): Promise<PlaybookDetail | null> {
  if (!/^[0-9a-f-]{36}$/i.test(playbookId)) return null;
  const { rows } = await db.query<{ id: string; name: string; description: string | null; time_zone: string | null }>(
    `select p.id, p.name, p.description, (select s.time_zone from public.user_settings s where s.user_id = $1) as time_zone
       from public.playbooks p where p.id = $2 and p.user_id = $1`,
    [userId, playbookId],
  );
  const playbook = rows[0];
  if (!playbook) return null;
  const { rows: rules } = await db.query<PlaybookRule>(
    "select r.id, r.text, r.position from public.playbook_rules r where r.playbook_id = $1 order by r.position, r.id",
    [playbookId],
  );
  const ruleIds = rules.map((r) => r.id);
  const trades = await linkedTrades(db, userId, [playbookId]);
  const ruleSet = new Set(ruleIds);
  return {
    id: playbook.id,
    name: playbook.name,
    description: playbook.description,
    rules,
    figures: figuresOf(trades, ruleIds),
    linkedTrades: trades.length,
    trades: trades.slice(0, TRADE_ROWS_MAX).map((t): PlaybookTradeRow => ({
      id: t.id,
      symbol: t.symbol,
      direction: t.direction,
      status: t.status,
      openedAt: new Date(t.opened_ms).toISOString(),
      closedAt: t.closed_ms === null ? null : new Date(t.closed_ms).toISOString(),
      netProfit: t.net_profit,
      currency: t.currency,
      checked: t.checked.filter((id) => ruleSet.has(id)).length,
      followedEveryRule: followedEveryRule(t.checked, ruleIds),
    })),
    timeZone: playbook.time_zone ?? "UTC",
  };
}

export async function updatePlaybook(db: RequestDb, playbookId: string, values: { name: string; description: string | null }): Promise<void> {
  let updated: number;
  try {
    updated =
      (await db.query("update public.playbooks set name = $2, description = $3 where id = $1", [playbookId, values.name, values.description]))
        .rowCount ?? 0;
  } catch (error) {
    duplicateName(error, values.name);
  }
  if (updated === 0) throw new AppError("not_found", GONE);
}

/** Deletes a playbook with its rules and ticks; its trades stay, unlinked. */
export async function deletePlaybook(db: RequestDb, playbookId: string): Promise<void> {
  const { rowCount } = await db.query("delete from public.playbooks where id = $1", [playbookId]);
  if (!rowCount) throw new AppError("not_found", GONE);
}

/** Appends a rule at the end of the checklist. */
export async function addRule(db: RequestDb, userId: string, playbookId: string, text: string): Promise<string> {
  // Locks the playbook row so two adds at once cannot take the same position.
  const { rows } = await db.query<{ next: number }>(
    `select coalesce((select max(r.position) + 1 from public.playbook_rules r where r.playbook_id = p.id), 0) as next
       from public.playbooks p where p.id = $1 for update`,
    [playbookId],
  );
  if (!rows[0]) throw new AppError("not_found", GONE);
  if (rows[0].next >= RULES_MAX) throw new AppError("conflict", `A checklist holds at most ${RULES_MAX} rules.`);
  const inserted = await db.query<{ id: string }>(
    "insert into public.playbook_rules (user_id, playbook_id, position, text) values ($1, $2, $3, $4) returning id",
    [userId, playbookId, rows[0].next, text],
  );
  return inserted.rows[0]!.id;
}

/** Swaps a rule with its neighbour above or below; at either end nothing moves. */
export async function moveRule(db: RequestDb, playbookId: string, ruleId: string, direction: "up" | "down"): Promise<void> {
  const { rows } = await db.query<{ id: string; position: number }>(
    "select r.id, r.position from public.playbook_rules r where r.playbook_id = $1 order by r.position, r.id for update",
    [playbookId],
  );
  const index = rows.findIndex((r) => r.id === ruleId);
  if (index < 0) throw new AppError("not_found", "That rule no longer exists. Reload the page.");
  const other = rows[direction === "up" ? index - 1 : index + 1];
  if (!other) return;
  await db.query(
    `update public.playbook_rules r set position = v.position
       from (values ($1::uuid, $2::smallint), ($3::uuid, $4::smallint)) as v (id, position)
      where r.id = v.id`,
    [ruleId, other.position, other.id, rows[index]!.position],
  );
}

/** Removes a rule (and its ticks) and closes the gap it leaves in the order. */
export async function removeRule(db: RequestDb, playbookId: string, ruleId: string): Promise<void> {
  const { rows } = await db.query<{ position: number }>("delete from public.playbook_rules where id = $1 and playbook_id = $2 returning position", [
    ruleId,
    playbookId,
  ]);
  if (!rows[0]) throw new AppError("not_found", "That rule no longer exists. Reload the page.");
  await db.query("update public.playbook_rules set position = position - 1 where playbook_id = $1 and position > $2", [playbookId, rows[0].position]);
}

// ── The trade page's panel ─────────────────────────────────────────────────

/** The user's playbooks with their rules, and what this trade is linked to and has ticked. */
export async function loadTradePlaybookPanel(db: RequestDb, userId: string, tradeId: string): Promise<TradePlaybookPanelData> {
  const { rows } = await db.query<{ playbooks: TradePlaybookPanelData["playbooks"]; linked: string | null; checked: string[] }>(
    `select coalesce((select json_agg(json_build_object('id', p.id, 'name', p.name, 'rules',
                        coalesce((select json_agg(json_build_object('id', r.id, 'text', r.text) order by r.position, r.id)
                                    from public.playbook_rules r where r.playbook_id = p.id), '[]'::json))
                      order by lower(p.name), p.id)
                        from public.playbooks p where p.user_id = $1 and not p.archived), '[]'::json) as playbooks,
            (select j.playbook_id::text from public.journals j where j.trade_id = $2) as linked,
            coalesce((select array_agg(c.rule_id::text) from public.trade_rule_checks c where c.trade_id = $2), '{}') as checked`,
    [userId, tradeId],
  );
  const row = rows[0]!;
  return { tradeId, playbooks: row.playbooks, linkedPlaybookId: row.linked, checkedRuleIds: row.checked };
}

/**
 * Links the trade to a playbook (null: unlinks it). The link lives on the
 * trade's journal row, created here when the trade has none yet; only
 * playbook_id is written, and the journal's version trigger ignores it, so
 * an editor open on the same entry is not made stale. Ticks of another
 * playbook's rules are dropped with the old link.
 */
export async function linkTradePlaybook(db: RequestDb, userId: string, tradeId: string, playbookId: string | null): Promise<void> {
  try {
    if (playbookId === null) {
      await db.query("update public.journals set playbook_id = null where trade_id = $1 and playbook_id is not null", [tradeId]);
    } else {
      await db.query(
        `insert into public.journals (user_id, trade_id, playbook_id) values ($1, $2, $3)
         on conflict (trade_id) do update set playbook_id = excluded.playbook_id
         where journals.playbook_id is distinct from excluded.playbook_id`,
        [userId, tradeId, playbookId],
      );
    }
  } catch (error) {
    // The composite keys: a trade or playbook that is not the user's (or is gone).
    if (sqlCode(error) === FOREIGN_KEY_VIOLATION || sqlCode(error) === RLS_VIOLATION) {
      throw new AppError("not_found", "That trade or playbook no longer exists. Reload the page.", { cause: error });
    }
    throw error;
  }
  await db.query(
    `delete from public.trade_rule_checks c using public.playbook_rules r
      where c.trade_id = $1 and r.id = c.rule_id and r.playbook_id is distinct from $2::uuid`,
    [tradeId, playbookId],
  );
}

/**
 * Sets the trade's ticked rules to exactly `ruleIds`, which must be rules of
 * the playbook the trade is linked to (`playbookId`, as the form saw it: a
 * link changed meanwhile in another tab is refused rather than ticking the
 * wrong checklist).
 */
export async function setRuleChecks(db: RequestDb, userId: string, tradeId: string, playbookId: string, ruleIds: string[]): Promise<void> {
  const { rows } = await db.query<{ linked: string | null; rules: string[] }>(
    `select j.playbook_id::text as linked,
            coalesce((select array_agg(r.id::text) from public.playbook_rules r where r.playbook_id = j.playbook_id), '{}') as rules
       from public.journals j where j.trade_id = $1 for update of j`,
    [tradeId],
  );
  const linked = rows[0]?.linked ?? null;
  if (linked !== playbookId) {
    throw new AppError("conflict", "This trade's playbook changed in the meantime. Reload the page to see its checklist.");
  }
  const own = new Set(rows[0]!.rules);
  const wanted = [...new Set(ruleIds)];
  if (wanted.some((id) => !own.has(id))) throw new AppError("conflict", "A rule of this checklist no longer exists. Reload the page.");
  await db.query("delete from public.trade_rule_checks where trade_id = $1 and not (rule_id = any($2::uuid[]))", [tradeId, wanted]);
  if (wanted.length) {
    await db.query(
      `insert into public.trade_rule_checks (user_id, trade_id, rule_id)
       select $1, $2, unnest($3::uuid[]) on conflict do nothing`,
      [userId, tradeId, wanted],
    );
  }
}
