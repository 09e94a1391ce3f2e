// Prices as the broker prints them (issue 18): the symbol's digits in the
// trade list and on the trade's page (an imported 1.0712 reads 1.07120, as
// one typed by hand does), an average of fills with one digit more and its
// exact value on hover, and "held" in one format past a day.
import { describe, expect, it } from "vitest";
import { createConfirmedUser } from "../support/app-server.ts";
import { browserSuite } from "../support/browser-suite.ts";
import { createAccount } from "../support/fixtures.ts";

const { app, signIn } = browserSuite({ testTimeout: 90_000 });

describe("prices", () => {
  it("show the symbol's digits everywhere, averages one digit more with the exact value on hover", async () => {
    const user = await createConfirmedUser(app);
    const db = app.db.pool;
    await db.query("update public.profiles set subscription_tier = 'pro' where id = $1", [user.id]);
    const accountId = await createAccount(db, user.id, { name: "Main" });
    const { rows } = await db.query(
      `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at, volume, closed_volume,
         entry_price, exit_price, gross_profit, source)
       values ($1, $2, 'imported-1', 'GBPUSD', 'buy', 'closed', '2026-11-02T08:00:00Z', '2026-11-03T17:31:00Z', 0.3, 0.3, 1.0712, 1.29634333, 10, 'file')
       returning id`,
      [user.id, accountId],
    );
    const { context, page } = await signIn(user);
    await page.goto(`${app.url}/trades`);
    const row = page.locator(`table [data-trade-id="${rows[0].id}"]`);
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain("1.07120");
    expect(text).toContain("1.296343");
    expect(text).not.toContain("1.29634333");
    expect(await row.locator("[data-exact-price]").getAttribute("data-exact-price")).toBe("1.29634333");
    // 33 h 31 m held reads in days and hours.
    expect(text).toContain("1 d 9 h");
    await page.goto(`${app.url}/trades/${rows[0].id}`);
    const body = await page.locator("main").innerText();
    expect(body).toContain("1.07120");
    expect(body).toContain("1.296343");
    await context.close();
  });
});
