// Tags and playbooks in real Chromium: rename and merge tags on Settings →
// Tags (with and without JavaScript) and see the trade list's tag filter
// grouped; create a playbook with three rules, link a trade and tick two of
// them from the trade page's panel (with and without JavaScript), and read
// the playbook page's "every rule followed vs not" comparison. Screenshots
// of every page at 375 px and 1280 px go to test-results/ and /tmp/c-*.png.
import { copyFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createAccount, createTrade } from "../support/fixtures.ts";
import { createConfirmedUser } from "../support/app-server.ts";
import { collectPageErrors, saveScreenshot } from "../support/browser.ts";
import { browserSuite, horizontalOverflow } from "../support/browser-suite.ts";

const { app, signIn, withoutJavaScript } = browserSuite({ testTimeout: 120_000 });

async function shot(page: Page, name: string) {
  const file = await saveScreenshot(page, name);
  await copyFile(file, `/tmp/c-${name}.png`);
}

const tagRow = (page: Page, name: string) => page.locator(`li[data-tag="${name}"]`);

async function traderWithTrades(count: number) {
  const user = await createConfirmedUser(app);
  await app.db.pool.query("update public.profiles set subscription_tier = 'pro' where id = $1", [user.id]);
  const accountId = await createAccount(app.db.pool, user.id, { name: "Main" });
  const trades: string[] = [];
  for (let i = 0; i < count; i++) {
    trades.push(
      await createTrade(app.db.pool, user.id, accountId, {
        opened_at: `2026-03-${String(2 + i).padStart(2, "0")}T09:15:00Z`,
        closed_at: `2026-03-${String(2 + i).padStart(2, "0")}T11:40:00Z`,
        gross_profit: i % 2 ? "-40.00" : "85.00",
      }),
    );
  }
  return { user, accountId, trades };
}

describe("Settings → Tags", () => {
  it("starts with the starter tags, renames one, merges another with overlapping trades, and the trade list filters by group", async () => {
    const { user, trades } = await traderWithTrades(3);
    const [t1, t2, t3] = trades as [string, string, string];
    const tagId = async (name: string) =>
      (await app.db.pool.query("select id from public.tags where user_id = $1 and name = $2", [user.id, name])).rows[0]?.id;
    const breakout = await tagId("Breakout");
    expect(breakout).toBeTruthy();
    const bo = (await app.db.pool.query("insert into public.tags (user_id, name, category) values ($1, 'BO', 'setup') returning id", [user.id]))
      .rows[0].id;
    for (const [tag, trade] of [
      [breakout, t1],
      [breakout, t2],
      [bo, t2],
      [bo, t3],
    ])
      await app.db.pool.query("insert into public.trade_tags (user_id, trade_id, tag_id) values ($1, $2, $3)", [user.id, trade, tag]);

    const { context, page } = await signIn(user, { viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/settings/tags`, { waitUntil: "networkidle" });
    await expect.poll(() => page.getByRole("heading", { name: /^Setups/ }).innerText()).toBe("Setups (5)");
    expect(await page.getByRole("heading", { name: /^Mistakes/ }).innerText()).toBe("Mistakes (5)");
    expect(await page.getByRole("heading", { name: /^Emotions/ }).innerText()).toBe("Emotions (4)");
    expect(await tagRow(page, "Breakout").locator("summary").innerText()).toContain("2 trades");
    await shot(page, "settings-tags-1280");

    // Rename: open the tag's panel, change the name, save.
    await tagRow(page, "Pullback").locator("summary").click();
    const edit = page.getByRole("form", { name: "Edit Pullback" });
    await edit.getByLabel("Name").fill("Pullback to EMA");
    await edit.getByRole("button", { name: "Save" }).click();
    await tagRow(page, "Pullback to EMA").waitFor();
    expect(await page.getByRole("status").first().innerText()).toContain('Tag "Pullback to EMA" saved.');

    // Merge BO (trades 2 and 3) into Breakout (trades 1 and 2): 3 trades, no duplicate.
    await tagRow(page, "BO").locator("summary").click();
    const merge = page.getByRole("form", { name: "Merge BO" });
    await merge.getByLabel("Merge into").selectOption({ label: "Breakout (Setups)" });
    await merge.getByRole("button", { name: "Merge" }).click();
    await expect.poll(() => tagRow(page, "BO").count()).toBe(0);
    await expect.poll(() => tagRow(page, "Breakout").locator("summary").innerText()).toContain("3 trades");
    expect((await app.db.pool.query("select count(*)::int as n from public.trade_tags where tag_id = $1", [breakout])).rows[0].n).toBe(3);

    // The trade list's tag filter offers the tags by group.
    await page.goto(`${app.url}/trades`, { waitUntil: "networkidle" });
    const groups = await page
      .locator("#filter-tag optgroup")
      .evaluateAll((nodes) => nodes.map((node) => [node.getAttribute("label"), [...node.querySelectorAll("option")].map((o) => o.textContent)]));
    expect(groups.map(([label]) => label)).toEqual(["Setups", "Mistakes", "Emotions"]);
    expect(groups[0]![1]).toEqual(["Breakout", "Pullback to EMA", "Range", "Reversal"]);

    // At 375 px the page fits the screen.
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${app.url}/settings/tags`, { waitUntil: "networkidle" });
    await tagRow(page, "Breakout").locator("summary").click();
    expect(await horizontalOverflow(page)).toBe(0);
    await shot(page, "settings-tags-375");
    expect(errors).toEqual([]);

    // Without JavaScript: the panel opens (details) and the form posts.
    const plain = await withoutJavaScript(context, { viewport: { width: 1280, height: 900 } });
    await plain.page.goto(`${app.url}/settings/tags`);
    await tagRow(plain.page, "Calm").locator("summary").click();
    const calm = plain.page.getByRole("form", { name: "Edit Calm" });
    await calm.getByLabel("Group").selectOption("general");
    await calm.getByRole("button", { name: "Save" }).click();
    await plain.page.getByRole("heading", { name: "General (1)" }).waitFor();
    await tagRow(plain.page, "Range").locator("summary").click();
    await plain.page.getByRole("form", { name: "Delete Range" }).getByRole("button", { name: "Delete tag" }).click();
    await plain.page.getByText('Tag "Range" deleted.').waitFor();
    expect(await tagRow(plain.page, "Range").count()).toBe(0);
    await plain.context.close();
    await context.close();
  });
});

describe("playbooks", () => {
  it("creates a playbook with three rules, links a trade and ticks two, and compares every-rule trades with the rest", async () => {
    const { user, trades } = await traderWithTrades(3);
    const { context, page } = await signIn(user, { viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);

    await page.goto(`${app.url}/playbooks`, { waitUntil: "networkidle" });
    await page.getByLabel("Name").fill("London breakout");
    await page.getByLabel(/^Description/).fill("Asian range break after 07:00 London.");
    await page.getByRole("button", { name: "Create playbook" }).click();
    await page.getByRole("heading", { name: "Checklist" }).waitFor();
    const playbookUrl = page.url().replace(/\?.*$/, "");
    for (const rule of ["Trend agrees on H4", "Clean break of the Asian range", "Stop beyond the range"]) {
      await page.getByLabel("New rule").fill(rule);
      await page.getByRole("button", { name: "Add rule" }).click();
      await page.locator(`li[data-rule="${rule}"]`).waitFor();
    }
    // Reorder: the stop rule up one.
    await page.getByRole("button", { name: 'Move "Stop beyond the range" up' }).click();
    await expect
      .poll(() => page.locator("li[data-rule]").evaluateAll((items) => items.map((item) => item.getAttribute("data-rule"))))
      .toEqual(["Trend agrees on H4", "Stop beyond the range", "Clean break of the Asian range"]);
    const playbookId = playbookUrl.split("/").pop()!;
    const rules = (await app.db.pool.query("select id from public.playbook_rules where playbook_id = $1 order by position", [playbookId])).rows.map(
      (r) => r.id as string,
    );

    // The trade page's panel: link, then tick two of three (JavaScript saves each change).
    await page.goto(`${app.url}/trades/${trades[0]}`, { waitUntil: "networkidle" });
    const panel = page.locator("[data-playbook-panel]");
    await panel.getByLabel("Playbook", { exact: true }).selectOption({ label: "London breakout" });
    await panel.getByText("Trend agrees on H4").waitFor();
    await panel.getByLabel("Trend agrees on H4").check();
    await expect.poll(() => panel.getByRole("status").innerText()).toBe("Saved");
    await panel.getByLabel("Stop beyond the range").check();
    await expect.poll(() => panel.locator("[data-rule-count]").innerText()).toBe("2 of 3 rules ticked.");
    await expect
      .poll(
        async () => (await app.db.pool.query("select count(*)::int as n from public.trade_rule_checks where trade_id = $1", [trades[0]])).rows[0].n,
      )
      .toBe(2);
    await panel.scrollIntoViewIfNeeded();
    await shot(page, "trade-playbook-panel-1280");

    // Two more trades followed every rule (arranged directly).
    for (const trade of trades.slice(1)) {
      await app.db.pool.query(
        "insert into public.journals (user_id, trade_id, playbook_id) values ($1, $2, $3) on conflict (trade_id) do update set playbook_id = excluded.playbook_id",
        [user.id, trade, playbookId],
      );
      for (const rule of rules)
        await app.db.pool.query("insert into public.trade_rule_checks (user_id, trade_id, rule_id) values ($1, $2, $3)", [user.id, trade, rule]);
    }

    // The playbook page: 3 trades; every rule (trades 2 and 3: −40 and +85) vs not (trade 1: +85).
    await page.goto(playbookUrl, { waitUntil: "networkidle" });
    const comparison = page.locator("table[data-comparison]");
    await comparison.waitFor();
    const cells = await comparison
      .locator("tbody tr")
      .evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll("th, td")].map((cell) => (cell.firstChild?.textContent ?? "").trim())));
    expect(cells[0]).toEqual(["Trades (sample size)", "2", "1"]);
    expect(cells[1]).toEqual(["Win rate", "50.0%", "100.0%"]);
    expect(cells[2]).toEqual(["Expectancy", "+$22.50", "+$85.00"]);
    expect(await page.locator('[data-small-sample="every"]').innerText()).toContain(
      "Only 2 trades: too few to mean anything yet (30 or more needed).",
    );
    expect(await page.locator('[data-small-sample="not-every"]').innerText()).toContain("Only 1 trade: too few");
    expect(await page.locator(`tr[data-trade-row="${trades[0]}"]`).innerText()).toContain("2/3");
    await shot(page, "playbook-1280");

    await page.goto(`${app.url}/playbooks`, { waitUntil: "networkidle" });
    expect(await page.locator('article[data-playbook="London breakout"]').innerText()).toContain("3 rules · 3 linked trades");
    await shot(page, "playbooks-1280");

    // Phones: every page fits 375 px.
    await page.setViewportSize({ width: 375, height: 800 });
    for (const [url, name] of [
      [`${app.url}/playbooks`, "playbooks-375"],
      [playbookUrl, "playbook-375"],
      [`${app.url}/trades/${trades[0]}`, "trade-playbook-panel-375"],
    ] as const) {
      await page.goto(url, { waitUntil: "networkidle" });
      expect(await horizontalOverflow(page), name).toBe(0);
      await shot(page, name);
      if (name.startsWith("trade")) await page.locator("[data-playbook-panel]").screenshot({ path: `/tmp/c-${name}-panel.png` });
    }
    expect(errors).toEqual([]);

    // Without JavaScript: unlink-and-relink on another trade, then tick through the Save button.
    const plain = await withoutJavaScript(context, { viewport: { width: 1280, height: 900 } });
    await plain.page.goto(`${app.url}/trades/${trades[1]}`);
    const plainPanel = plain.page.locator("[data-playbook-panel]");
    await plainPanel.getByLabel("Playbook", { exact: true }).selectOption("");
    await plainPanel.getByRole("button", { name: "Link" }).click();
    await plain.page.waitForURL(/playbook=saved/);
    expect((await app.db.pool.query("select count(*)::int as n from public.trade_rule_checks where trade_id = $1", [trades[1]])).rows[0].n).toBe(0);
    await plainPanel.getByLabel("Playbook", { exact: true }).selectOption({ label: "London breakout" });
    await plainPanel.getByRole("button", { name: "Link" }).click();
    await plainPanel.getByLabel("Clean break of the Asian range").check();
    await plainPanel.getByRole("button", { name: "Save checklist" }).click();
    await plain.page.waitForURL(/playbook=saved/);
    expect(await plainPanel.getByLabel("Clean break of the Asian range").isChecked()).toBe(true);
    expect(await plainPanel.locator("[data-rule-count]").innerText()).toBe("1 of 3 rules ticked.");
    await plain.context.close();
    await context.close();
  });
});
