// The trade list and detail in real Chromium: filter, sort and paginate through
// the URL with more than a page of trades, open a trade, delete with
// confirmation (dialog with JavaScript, confirmation step without), the CSV
// export, and the phone and desktop layouts (screenshots in test-results/).
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createAccount } from "../support/fixtures.ts";
import { createConfirmedUser } from "../support/app-server.ts";
import { ARTIFACTS_DIR, collectPageErrors, saveScreenshot } from "../support/browser.ts";
import { browserSuite, horizontalOverflow } from "../support/browser-suite.ts";

const { app, signIn, withoutJavaScript } = browserSuite({ testTimeout: 90_000 });

/** A Pro trader with 72 closed trades (40 EURUSD, 32 GBPUSD) and one open XAUUSD trade with legs. */
async function seededTrader() {
  const user = await createConfirmedUser(app);
  await app.db.pool.query("update public.profiles set subscription_tier = 'pro' where id = $1", [user.id]);
  await app.db.pool.query("update public.user_settings set time_zone = 'Europe/London' where user_id = $1", [user.id]);
  const accountId = await createAccount(app.db.pool, user.id, { name: "IC Markets Live" });
  await app.db.pool.query(
    `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at,
                               volume, entry_price, exit_price, gross_profit, commission, pips)
     select $1, $2, 'p' || g, case when g <= 40 then 'EURUSD' else 'GBPUSD' end,
            case when g % 2 = 0 then 'buy' else 'sell' end, 'closed',
            timestamptz '2026-03-02 08:00Z' + (g || ' hours')::interval,
            timestamptz '2026-03-02 09:30Z' + (g || ' hours')::interval,
            0.5, 1.08, 1.09, (g * 7 % 50) * 10 - 200, -3.5, (g * 7 % 50) - 20
       from generate_series(1, 72) g`,
    [user.id, accountId],
  );
  const { rows } = await app.db.pool.query(
    `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at,
                               volume, closed_volume, entry_price, exit_price, initial_stop_loss, take_profit,
                               gross_profit, commission, swap, pips, source)
     values ($1, $2, '9001', 'XAUUSD', 'sell', 'open', '2026-03-10T14:05:00Z', null, 0.5, 0.2, 2350.40, 2338.10,
             2356.40, 2338.40, 61.50, -1.40, 0, 123, 'file') returning id`,
    [user.id, accountId],
  );
  const openTradeId: string = rows[0].id;
  await app.db.pool.query(
    `insert into public.trade_legs (user_id, trade_id, deal_id, kind, direction, executed_at, volume, price, profit, commission)
     values ($1, $2, '77001', 'entry', 'sell', '2026-03-10T14:05:00Z', 0.5, 2350.40, 0, -3.5),
            ($1, $2, '77002', 'exit', 'buy', '2026-03-10T15:20:00Z', 0.2, 2338.10, 61.50, -1.40)`,
    [user.id, openTradeId],
  );
  await app.db.pool.query("insert into public.journals (user_id, trade_id, notes) values ($1, $2, 'partial at 1R')", [user.id, openTradeId]);
  return { user, accountId, openTradeId };
}

const visibleRows = (page: Page) => page.locator("table tbody tr");
const rangeText = (page: Page) => page.getByRole("navigation", { name: "Pages" }).locator("p").innerText();
const columnTexts = (page: Page, index: number) =>
  visibleRows(page).evaluateAll((rows, i) => rows.map((row) => (row.children[i] as HTMLElement).innerText.trim()), index);
const moneyValue = (text: string) => Number(text.split("\n")[0]!.replace(/[^0-9.-]/g, ""));
const tradeCount = async (userId: string) =>
  Number((await app.db.pool.query("select count(*) from public.trades where user_id = $1", [userId])).rows[0].count);

describe("trade list at 1280 px", () => {
  it("filters, sorts and pages through the URL and the controls", async () => {
    const { user } = await seededTrader();
    const { context, page } = await signIn(user, { viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);

    await page.goto(`${app.url}/trades`, { waitUntil: "networkidle" });
    await expect.poll(() => rangeText(page)).toBe("1–50 of 73");
    expect(await visibleRows(page).count()).toBe(50);
    // Default order: the open trade first, then the newest close.
    expect((await columnTexts(page, 2))[0]).toBe("XAUUSD");
    // Every column fits: the table does not need its sideways scroll at this width.
    expect(await page.locator("table").evaluate((table) => table.parentElement!.scrollWidth - table.parentElement!.clientWidth)).toBeLessThanOrEqual(
      0,
    );
    await saveScreenshot(page, "trades-list-1280");

    // Filters and sort straight from the URL.
    await page.goto(`${app.url}/trades?symbol=eurusd&sort=net_profit&dir=asc`, { waitUntil: "networkidle" });
    await expect.poll(() => rangeText(page)).toBe("1–40 of 40");
    expect(new Set(await columnTexts(page, 2))).toEqual(new Set(["EURUSD"]));
    const profits = (await columnTexts(page, 7)).map(moneyValue);
    expect(profits).toEqual([...profits].sort((a, b) => a - b));
    expect(await page.getByLabel("Symbol", { exact: true }).inputValue()).toBe("EURUSD");

    // Paging keeps the filters.
    await page.goto(`${app.url}/trades?status=closed`, { waitUntil: "networkidle" });
    await page.getByRole("link", { name: "Next" }).click();
    await page.waitForURL(/page=2/);
    expect(page.url()).toContain("status=closed");
    await expect.poll(() => rangeText(page)).toBe("51–72 of 72");
    expect(await visibleRows(page).count()).toBe(22);

    // A filter control applies on change (JavaScript) and goes back to page 1.
    await page.getByLabel("Side", { exact: true }).selectOption("sell");
    await page.waitForURL(/direction=sell/);
    expect(page.url()).not.toContain("page=2");
    await expect.poll(() => rangeText(page)).toBe("1–36 of 36");
    await expect.poll(async () => [...new Set(await columnTexts(page, 3))]).toEqual(["SELL"]);

    // A column header sorts; a second click flips the direction.
    await page.getByRole("link", { name: /^Sort by Symbol/ }).click();
    await page.waitForURL(/sort=symbol&dir=asc/);
    await expect.poll(async () => (await columnTexts(page, 2))[0]).toBe("EURUSD");
    await page.getByRole("link", { name: /^Sort by Symbol/ }).click();
    await page.waitForURL(/sort=symbol&dir=desc/);
    await expect.poll(async () => (await columnTexts(page, 2))[0]).toBe("GBPUSD");
    expect(page.url()).toContain("direction=sell");

    // Bad params fall back to defaults instead of failing the page.
    const response = await page.goto(`${app.url}/trades?sort=drop&page=-1&direction=long&account=x`, { waitUntil: "networkidle" });
    expect(response?.status()).toBe(200);
    await expect.poll(() => rangeText(page)).toBe("1–50 of 73");

    expect(errors).toEqual([]);
    await context.close();
  });

  it("sorts by status and by journal from the headers, and shows each row's account and tags", async () => {
    const { user, accountId } = await seededTrader();
    const prop = await createAccount(app.db.pool, user.id, { name: "Prop challenge" });
    await app.db.pool.query("update public.trades set account_id = $2 where user_id = $1 and position_id in ('p70', 'p71', 'p72')", [user.id, prop]);
    const tag = (await app.db.pool.query("insert into public.tags (user_id, name, color) values ($1, 'revenge', '#f97316') returning id", [user.id]))
      .rows[0].id;
    await app.db.pool.query(
      `insert into public.trade_tags (user_id, trade_id, tag_id)
       select user_id, id, $2 from public.trades where user_id = $1 and position_id in ('p41', 'p42', 'p43', 'p44', 'p45')`,
      [user.id, tag],
    );
    await app.db.pool.query(
      "insert into public.journals (user_id, trade_id, notes) select user_id, id, 'n' from public.trades where user_id = $1 and position_id in ('p3', 'p4', 'p5')",
      [user.id],
    );
    expect(accountId).not.toBe(prop);
    const { context, page } = await signIn(user, { viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/trades`, { waitUntil: "networkidle" });
    const journalCells = () => columnTexts(page, 10);
    const symbols = () => visibleRows(page).evaluateAll((rows) => rows.map((row) => row.querySelector("a")!.innerText.trim()));

    // Journal: written ones first (the open XAUUSD and p3–p5), then the rest; again for the reverse.
    await page.getByRole("link", { name: /^Sort by Journal/ }).click();
    await page.waitForURL(/sort=journal&dir=desc/);
    await expect.poll(async () => (await journalCells()).slice(0, 5)).toEqual(["Journaled", "Journaled", "Journaled", "Journaled", "No journal yet"]);
    expect((await symbols())[0]).toBe("XAUUSD");
    await page.getByRole("link", { name: /^Sort by Journal/ }).click();
    await page.waitForURL(/sort=journal&dir=asc/);
    await expect.poll(async () => (await journalCells())[0]).toBe("No journal yet");

    // Status: closed before open ascending, the open trade first descending.
    await page.getByRole("link", { name: /^Sort by Status/ }).click();
    await page.waitForURL(/sort=status&dir=asc/);
    // The header's link turns to the other direction once the new page has rendered (the rows
    // alone can pass for it: the journal sort left the open trade off the first page too).
    await expect.poll(() => page.getByRole("link", { name: /^Sort by Status/ }).getAttribute("href")).toMatch(/dir=desc/);
    await expect.poll(async () => (await symbols()).includes("XAUUSD")).toBe(false);
    await page.getByRole("link", { name: /^Sort by Status/ }).click();
    await page.waitForURL(/sort=status&dir=desc/);
    await expect.poll(async () => (await symbols())[0]).toBe("XAUUSD");

    // With two accounts each row names its own; tags show under the symbol.
    await page.getByLabel("Tag", { exact: true }).selectOption({ label: "revenge" });
    await page.waitForURL(new RegExp(`tag=${tag}`));
    await expect.poll(() => rangeText(page)).toBe("1–5 of 5");
    for (const cell of await columnTexts(page, 2)) expect(cell).toBe("GBPUSD\nIC Markets Live\nrevenge");
    await page.goto(`${app.url}/trades?account=${prop}`, { waitUntil: "networkidle" });
    await expect.poll(async () => [...new Set(await columnTexts(page, 2))]).toEqual(["GBPUSD\nProp challenge"]);
    await page.goto(`${app.url}/trades?sort=journal`, { waitUntil: "networkidle" });
    await saveScreenshot(page, "trades-list-journal-sort-1280");
    expect(errors).toEqual([]);
    await context.close();

    const phone = await signIn(user, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    await phone.page.goto(`${app.url}/trades?tag=${tag}`, { waitUntil: "networkidle" });
    const card = phone.page.getByRole("list", { name: "Trades" }).getByRole("listitem").first();
    expect(await card.innerText()).toContain("revenge");
    expect(await horizontalOverflow(phone.page)).toBeLessThanOrEqual(0);
    await phone.page.screenshot({ path: path.join(ARTIFACTS_DIR, "trades-list-tags-375-first-screen.png") });
    await phone.context.close();
  });

  it("exports the filtered set as CSV", async () => {
    const { user } = await seededTrader();
    const { context, page } = await signIn(user, { viewport: { width: 1280, height: 900 } });
    await page.goto(`${app.url}/trades?symbol=GBPUSD`, { waitUntil: "networkidle" });
    const href = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
    expect(href).toBe("/trades/export?symbol=GBPUSD");
    const response = await page.request.get(`${app.url}${href}`);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toBe("text/csv; charset=utf-8");
    expect(response.headers()["content-disposition"]).toMatch(/^attachment; filename="rawjournal-trades-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = (await response.text())
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    expect(lines).toHaveLength(33);
    expect(lines.slice(1).every((line) => line.split(",")[4] === "GBPUSD")).toBe(true);
    await context.close();
  });
});

describe("trade detail and deleting", () => {
  it("shows a trade's figures and legs, and deletes it after a confirmation dialog", async () => {
    const { user, openTradeId } = await seededTrader();
    const { context, page } = await signIn(user, { viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/trades`, { waitUntil: "networkidle" });
    // A row's link is a plain <a> the list navigates in the app: the page is not reloaded (the marker survives).
    await page.evaluate(() => Object.assign(window, { stillTheSameDocument: true }));
    await page.getByRole("link", { name: "XAUUSD" }).click();
    await page.waitForURL(`${app.url}/trades/${openTradeId}`);
    await page.getByRole("heading", { name: "XAUUSD" }).waitFor();
    expect(await page.evaluate(() => "stillTheSameDocument" in window)).toBe(true);
    const text = await page.locator("main").innerText();
    expect(text).toContain("+$60.10"); // gross 61.50 + commission -1.40
    expect(text).toContain("77001");
    expect(text).toContain("2026-03-10 15:20:00"); // 15:20 UTC is 15:20 in London in March (GMT)
    expect(text).toContain("2 R"); // planned: (2350.40 - 2338.40) / (2356.40 - 2350.40)
    expect(text).toContain("Figures as the broker reported them.");
    expect(await page.getByRole("link", { name: "Edit" }).getAttribute("href")).toBe(`/trades/${openTradeId}/edit`);
    await saveScreenshot(page, "trade-detail-1280");

    await page.getByRole("link", { name: "Delete" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete this trade?" });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain("journal entry");
    await saveScreenshot(page, "trade-detail-delete-dialog-1280");
    await dialog.getByRole("button", { name: "Delete trade" }).click();
    await page.waitForURL(`${app.url}/trades?deleted=1`);
    await page.getByRole("status").filter({ hasText: "1 trade was deleted, with its journal." }).waitFor();
    const { rows } = await app.db.pool.query("select count(*)::int as n from public.journals where trade_id = $1", [openTradeId]);
    expect(rows[0].n).toBe(0);
    expect(await tradeCount(user.id)).toBe(72);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("bulk deletes the selected trades after the dialog, keeping the filters", async () => {
    const { user } = await seededTrader();
    const { context, page } = await signIn(user, { viewport: { width: 1280, height: 900 } });
    await page.goto(`${app.url}/trades?symbol=GBPUSD`, { waitUntil: "networkidle" });
    const checkboxes = page.getByRole("checkbox", { name: /^Select GBPUSD/ });
    await checkboxes.nth(0).check();
    await checkboxes.nth(1).check();
    expect(await page.getByText("2 selected").isVisible()).toBe(true);
    await page.getByRole("button", { name: "Delete selected" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete 2 trades?" });
    await dialog.waitFor();
    await dialog.getByRole("button", { name: "Delete 2 trades" }).click();
    await page.waitForURL(/deleted=2/);
    expect(page.url()).toContain("symbol=GBPUSD");
    await expect.poll(() => rangeText(page)).toBe("1–30 of 30");
    expect(await tradeCount(user.id)).toBe(71);

    // Cancelling deletes nothing.
    await page.getByRole("checkbox", { name: "Select every trade on this page" }).check();
    await page.getByRole("button", { name: "Delete selected" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
    expect(await tradeCount(user.id)).toBe(71);
    await context.close();
  });

  it("asks for confirmation on the page when JavaScript is off", async () => {
    const { user, openTradeId } = await seededTrader();
    const { context } = await signIn(user, { viewport: { width: 1280, height: 900 } });
    // The same session, JavaScript off.
    const { context: noScript, page: plain } = await withoutJavaScript(context, { viewport: { width: 1280, height: 900 } });
    await context.close();

    await plain.goto(`${app.url}/trades?symbol=EURUSD&sort=net_profit&dir=desc`);
    await plain
      .getByRole("checkbox", { name: /^Select EURUSD/ })
      .nth(0)
      .check();
    await plain.getByRole("button", { name: "Delete selected" }).click();
    await plain.getByRole("heading", { name: "Delete this trade?" }).waitFor();
    expect(await tradeCount(user.id)).toBe(73);
    await plain.getByRole("button", { name: "Yes, delete 1 trade" }).click();
    await plain.waitForURL(/deleted=1/);
    expect(plain.url()).toContain("symbol=EURUSD");
    expect(await tradeCount(user.id)).toBe(72);

    await plain.goto(`${app.url}/trades/${openTradeId}`);
    await plain.getByRole("link", { name: "Delete" }).click();
    await plain.waitForURL(/delete=confirm/);
    await plain.getByRole("button", { name: "Yes, delete this trade" }).click();
    await plain.waitForURL(`${app.url}/trades?deleted=1`);
    expect(await tradeCount(user.id)).toBe(71);
    await noScript.close();
  });
});

describe("phone layout at 375 px", () => {
  it("shows cards instead of the wide table, without horizontal scroll", async () => {
    const { user, openTradeId } = await seededTrader();
    const { context, page } = await signIn(user, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/trades`, { waitUntil: "networkidle" });
    expect(await page.locator("table").isVisible()).toBe(false);
    const cards = page.getByRole("list", { name: "Trades" }).getByRole("listitem");
    expect(await cards.count()).toBe(50);
    expect(await cards.first().isVisible()).toBe(true);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    // Two-line rows (issue 18 item 7): 50 trades made a 7,300 px page of cards; now well under half that.
    const pageHeight = await page.evaluate(() => document.documentElement.scrollHeight);
    expect(pageHeight).toBeLessThan(3_000);
    // The filter fields fold away on phones until asked for.
    const side = page.getByLabel("Side", { exact: true });
    expect(await side.isVisible()).toBe(false);
    await page.locator("label[for=show-filters]").click();
    expect(await side.isVisible()).toBe(true);
    await page.locator("label[for=show-filters]").click();
    await saveScreenshot(page, "trades-list-375");
    // The first screen as a phone shows it (the full page is 50 cards long).
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, "trades-list-375-first-screen.png") });

    // Sorting without column headers.
    await page.getByLabel("Sort", { exact: true }).selectOption("net_profit");
    await page.waitForURL(/sort=net_profit/);

    await page.goto(`${app.url}/trades/${openTradeId}`, { waitUntil: "networkidle" });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await saveScreenshot(page, "trade-detail-375");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("links an empty list to manual entry and import", async () => {
    const user = await createConfirmedUser(app);
    const { context, page } = await signIn(user, { viewport: { width: 375, height: 812 } });
    await page.goto(`${app.url}/trades`, { waitUntil: "networkidle" });
    expect(await page.getByRole("link", { name: "Add a trade" }).getAttribute("href")).toBe("/trades/new");
    expect(await page.getByRole("link", { name: "Import trades" }).getAttribute("href")).toBe("/trades/import");
    await saveScreenshot(page, "trades-empty-375");
    await context.close();
  });
});
