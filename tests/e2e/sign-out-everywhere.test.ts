// Sign-out everywhere takes effect on the next request on every device
// (issue 19 item 9): the app verifies access tokens locally, so without a
// per-request session check another device stayed signed in until its token
// expired (an hour by default).
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createConfirmedUser, startAppForTests, type AppUnderTest } from "../support/app-server.ts";
import { cookiesOf, send } from "../support/http-client.ts";

vi.setConfig({ testTimeout: 60_000 });

let app: AppUnderTest;
beforeAll(async () => {
  app = await startAppForTests();
}, 90_000);

async function device(user: { email: string; password: string }, from: string): Promise<string> {
  const answer = await send(`${app.url}/login?index`, { method: "POST", from, form: user, headers: { origin: app.url } });
  expect(answer.status).toBe(302);
  return cookiesOf(answer);
}

const dashboard = (cookie: string) => send(`${app.url}/dashboard`, { headers: { cookie } });
const signOut = (cookie: string, scope: "local" | "global") =>
  send(`${app.url}/logout`, { method: "POST", form: { scope }, headers: { cookie, origin: app.url } });

describe("sign-out", () => {
  it("everywhere: the other device's very next request goes to the sign-in page, and its cookies are cleared", async () => {
    const user = await createConfirmedUser(app);
    const laptop = await device(user, "127.0.0.31");
    const phone = await device(user, "127.0.0.32");
    expect((await dashboard(phone)).status).toBe(200);

    expect((await signOut(laptop, "global")).status).toBe(302);
    const next = await dashboard(phone);
    expect(next.status).toBe(302);
    expect(next.headers.location).toMatch(/^\/login/);
    const cleared = (next.headers["set-cookie"] ?? []).filter((c) => /auth-token/.test(c));
    expect(cleared.length).toBeGreaterThan(0);
    expect(cleared.every((c) => /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(c))).toBe(true);
    // Its data requests too (client-side navigation).
    expect((await send(`${app.url}/dashboard.data`, { headers: { cookie: phone } })).status).not.toBe(200);
  });

  it("on one device only: the other device stays signed in", async () => {
    const user = await createConfirmedUser(app);
    const laptop = await device(user, "127.0.0.33");
    const phone = await device(user, "127.0.0.34");
    expect((await signOut(laptop, "local")).status).toBe(302);
    expect((await dashboard(laptop)).status).toBe(302);
    expect((await dashboard(phone)).status).toBe(200);
  });
});
