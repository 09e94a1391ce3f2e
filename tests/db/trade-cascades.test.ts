// Deleting trades (an import's undo, an account's or a user's deletion)
// cascades to every table that refers to a trade, one lookup per deleted
// trade: PostgreSQL runs `DELETE FROM ONLY child WHERE $1 = trade_id AND
// $2 = user_id` for each row, from a cached plan. Right after a large import
// those tables have no statistics yet, and the planner then guessed a bitmap
// AND of the trade's index with the owner's index: every one of the 100,000
// lookups read all of the user's index entries, and undoing a 100,000-trade
// import ran for more than ten minutes (bench/import.ts, 2026-12-07).
// Here every such lookup must find its rows through trade_id alone, planned
// as the cascade plans it (generic and custom), with no statistics.
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../support/database.ts";

const db = await createTestDatabase();

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Index Cond"?: string;
  "Relation Name"?: string;
  Plans?: PlanNode[];
}

const scans = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(scans)];

const { rows: references } = await db.pool.query<{ child: string; columns: string[] }>(
  `select c.conrelid::regclass::text as child,
          array(select a.attname::text from unnest(c.conkey) with ordinality k(attnum, n)
                  join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum order by k.n) as columns
     from pg_constraint c
    where c.contype = 'f' and c.confrelid = 'public.trades'::regclass
    order by 1`,
);

describe("what a trade's deletion cascades to", () => {
  it("finds every table that refers to trades", () => {
    expect(references.map((r) => r.child)).toEqual(
      expect.arrayContaining(["trade_legs", "trade_tags", "journals", "journal_screenshots", "trade_rule_checks", "trade_excursions"]),
    );
  });

  for (const mode of ["force_generic_plan", "force_custom_plan"] as const) {
    it.each(references.map((r) => [r.child, r.columns] as const))(
      `%s is reached through trade_id alone (${mode}, no statistics)`,
      async (child, columns) => {
        const client = await db.pool.connect();
        try {
          const { rows: analyzed } = await client.query("select count(*)::int as n from pg_stats where schemaname = 'public' and tablename = $1", [
            child,
          ]);
          expect(analyzed[0].n, `${child} should have no statistics here, as right after an import`).toBe(0);
          await client.query("begin");
          await client.query(`set local plan_cache_mode = ${mode}`);
          const where = columns.map((column, i) => `$${i + 1} = ${column}`).join(" and ");
          const types = columns.map(() => "uuid").join(", ");
          await client.query(`prepare cascade_lookup (${types}) as delete from only public.${child} x where ${where}`);
          const values = columns.map(() => "'00000000-0000-4000-8000-000000000001'").join(", ");
          const { rows } = await client.query(`explain (format json) execute cascade_lookup (${values})`);
          const nodes = scans((rows[0]["QUERY PLAN"] as { Plan: PlanNode }[])[0]!.Plan);
          const plan = JSON.stringify(rows[0]["QUERY PLAN"]);
          expect(
            nodes.map((node) => node["Node Type"]),
            plan,
          ).not.toContain("Seq Scan");
          const indexReads = nodes.filter((node) => node["Index Name"] !== undefined);
          expect(indexReads.length, plan).toBeGreaterThan(0);
          for (const read of indexReads)
            expect(read["Index Cond"] ?? "", `${child} read through ${read["Index Name"]}: ${plan}`).toMatch(/\btrade_id\b/);
        } finally {
          await client.query("rollback");
          await client.query("deallocate all");
          client.release();
        }
      },
    );
  }
});
