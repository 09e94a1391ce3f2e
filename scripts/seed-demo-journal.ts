// A newcomer's demo should show the journal in use, not an empty page: after
// the demo's history is read, a few of its trades get journal entries (notes,
// mood, plan, tags and mistakes), one playbook with its checklist is linked
// to some of them, and the latest trading day gets a review. Runs once: a
// demo user with any journal entry is left alone, so nothing the visitor
// wrote is ever overwritten.
import pg from "pg";

const PLAYBOOK = {
  name: "London breakout",
  description: "Trade the break of the Asian range in the first two hours of London.",
  rules: ["Asian range under 40 pips", "Break closes outside the range on M15", "Stop beyond the opposite side of the range", "Risk at most 1 %"],
};

const NOTES = [
  {
    notes: "Waited for the **M15 close** outside the range.\n\n- Entry on the retest\n- Stop under the range low",
    lessons: "Patience on the retest paid; the first push would have stopped me out.",
    mood: 5,
    quality: 5,
    plan: "yes",
    tags: ["Breakout", "Calm"],
    mistakes: [],
    rulesFollowed: 4,
  },
  {
    notes: "Entered before the candle closed because price was running.",
    lessons: "A breakout that has not closed is not a breakout.",
    mood: 2,
    quality: 2,
    plan: "no",
    tags: ["Breakout", "Impatient"],
    mistakes: ["FOMO entry"],
    rulesFollowed: 2,
  },
  {
    notes: "Clean pullback to the 20 EMA after the news spike settled.",
    lessons: "Scaling out at 1R let the rest run without stress.",
    mood: 4,
    quality: 4,
    plan: "yes",
    tags: ["Pullback", "Calm"],
    mistakes: [],
    rulesFollowed: null,
  },
  {
    notes: "Moved the stop further away when price came back. Should have taken the small loss.",
    lessons: "The stop is placed once, before entry.",
    mood: 1,
    quality: 3,
    plan: "partly",
    tags: ["Reversal", "Anxious"],
    mistakes: ["Moved stop"],
    rulesFollowed: 3,
  },
  {
    notes: "Range day, faded the top with a tight stop.",
    lessons: null,
    mood: 3,
    quality: 3,
    plan: "yes",
    tags: ["Range"],
    mistakes: [],
    rulesFollowed: null,
  },
] as const;

/** Seeds the demo user's journal unless they have one; returns whether it wrote anything. */
export async function seedDemoJournal(databaseUrl: string, accountId: string): Promise<boolean> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query("begin");
    const owner = await db.query<{ user_id: string }>("select user_id from public.accounts where id = $1", [accountId]);
    const userId = owner.rows[0]?.user_id;
    if (!userId) return await rollback(db);
    const written = await db.query(
      "select 1 from public.journals where user_id = $1 union all select 1 from public.daily_journals where user_id = $1 limit 1",
      [userId],
    );
    if (written.rowCount) return await rollback(db);
    const trades = await db.query<{ id: string; closed_at: Date }>(
      "select id, closed_at from public.trades where account_id = $1 and status = 'closed' order by closed_at desc limit $2",
      [accountId, NOTES.length],
    );
    if (trades.rows.length === 0) return await rollback(db);

    const tagId = async (name: string, category: string): Promise<string> => {
      const { rows } = await db.query<{ id: string }>(
        `insert into public.tags (user_id, name, category) values ($1, $2, $3)
         on conflict (user_id, lower(btrim(name))) do update set name = public.tags.name returning id`,
        [userId, name, category],
      );
      return rows[0]!.id;
    };
    const playbook = await db.query<{ id: string }>("insert into public.playbooks (user_id, name, description) values ($1, $2, $3) returning id", [
      userId,
      PLAYBOOK.name,
      PLAYBOOK.description,
    ]);
    const playbookId = playbook.rows[0]!.id;
    const ruleIds: string[] = [];
    for (const [position, text] of PLAYBOOK.rules.entries()) {
      const { rows } = await db.query<{ id: string }>(
        "insert into public.playbook_rules (user_id, playbook_id, position, text) values ($1, $2, $3, $4) returning id",
        [userId, playbookId, position, text],
      );
      ruleIds.push(rows[0]!.id);
    }

    for (const [index, trade] of trades.rows.entries()) {
      const entry = NOTES[index]!;
      await db.query(
        `insert into public.journals (user_id, trade_id, notes, lessons, mood, setup_quality, followed_plan, playbook_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [userId, trade.id, entry.notes, entry.lessons, entry.mood, entry.quality, entry.plan, entry.rulesFollowed === null ? null : playbookId],
      );
      const tagged = [
        ...(await Promise.all(entry.tags.map((name) => tagId(name, ["Calm", "Anxious", "Impatient"].includes(name) ? "emotion" : "setup")))),
        ...(await Promise.all(entry.mistakes.map((name) => tagId(name, "mistake")))),
      ];
      for (const id of tagged) {
        await db.query("insert into public.trade_tags (user_id, trade_id, tag_id) values ($1, $2, $3) on conflict do nothing", [
          userId,
          trade.id,
          id,
        ]);
      }
      for (const ruleId of ruleIds.slice(0, entry.rulesFollowed ?? 0)) {
        await db.query("insert into public.trade_rule_checks (user_id, trade_id, rule_id) values ($1, $2, $3)", [userId, trade.id, ruleId]);
      }
    }

    // The review belongs to the latest trade's trading day under the user's own day rule.
    await db.query(
      `insert into public.daily_journals (user_id, trading_day, premarket_plan, review, mood)
       select $1, (($2::timestamptz at time zone coalesce(s.trading_day_time_zone, s.time_zone)) - make_interval(hours => s.trading_day_start_hour))::date,
              $3, $4, 4
         from public.user_settings s where s.user_id = $1`,
      [
        userId,
        trades.rows[0]!.closed_at,
        "Watch the London open for a break of the Asian range on EURUSD and GBPUSD. No trades in the 30 minutes around US data.",
        "Two good breakouts, one impatient entry. Stopped after the third trade as planned.",
      ],
    );
    await db.query("commit");
    return true;
  } catch (error) {
    await db.query("rollback").catch(() => {});
    throw error;
  } finally {
    await db.end();
  }
}

async function rollback(db: pg.Client): Promise<false> {
  await db.query("rollback");
  return false;
}
