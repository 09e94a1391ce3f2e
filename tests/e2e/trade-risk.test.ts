// The trade page's Risk card never divides by a figure it does not show: a
// trade without a recorded money-at-risk shows the amount its stop distance
// implies (the divisor Realised R uses), marked as implied; a recorded one is
// shown as it is.
import { describe, expect, it } from "vitest";
import { createConfirmedUser } from "../support/app-server.ts";
import { browserSuite } from "../support/browser-suite.ts";
import { createAccount, createTrade } from "../support/fixtures.ts";

const { app, signIn } = browserSuite({ testTimeout: 90_000 });

describe("trade risk card", () => {
  it("shows the implied money at risk that Realised R divides by, and a recorded one as recorded", async () => {
    const user = await createConfirmedUser(app);
    const db = app.db.pool;
    const accountId = await createAccount(db, user.id, { name: "Main" });
    // Entry 1.08250, stop 1.08100 (15 pips), exit 1.08420 (17 pips) for +85.00: the stop is worth 85 × 15/17 = 75.00.
    const implied = await createTrade(db, user.id, accountId);
    const recorded = await createTrade(db, user.id, accountId);
    await db.query("update public.trades set initial_risk_amount = 50 where id = $1", [recorded]);
    const { context, page } = await signIn(user);

    const riskCard = async (tradeId: string) => {
      await page.goto(`${app.url}/trades/${tradeId}`);
      const card = page.getByRole("region", { name: "Risk", exact: true });
      await card.waitFor();
      return card.innerText();
    };
    const impliedCard = await riskCard(implied);
    expect(impliedCard).toMatch(/Money at risk\s*≈ \$75\.00\s*implied by the stop distance/);
    expect(impliedCard).toMatch(/Realised R\s*\+?1\.13 R/);
    const recordedCard = await riskCard(recorded);
    expect(recordedCard).toMatch(/Money at risk\s*\$50\.00/);
    expect(recordedCard).not.toContain("implied");
    expect(recordedCard).toMatch(/Realised R\s*\+?1\.70? R/);
    await context.close();
  });
});
