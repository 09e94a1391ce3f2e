// POST /recover (password reset email) and POST /resend (the signup
// confirmation again). Both answer 200 {} whether or not the address exists.
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendTokenEmail } from "../email-flows.ts";
import { AUD, inTx, validateEmail, type AuthEnv } from "../env.ts";
import { badRequest, readJson, sendJson, str, unprocessable } from "../http.ts";
import { referrer } from "../redirects.ts";
import { findUserByEmail } from "../users.ts";
import { createFlowState, PKCE_PREFIX, readPkceParams } from "../verify.ts";

export async function recover(env: AuthEnv, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const body = await readJson(req);
  const rawEmail = str(body.email);
  if (!rawEmail) throw unprocessable("validation_failed", "Password recovery requires an email");
  const email = validateEmail(rawEmail);
  const pkce = readPkceParams(body);
  const redirectTo = referrer(env.config, req, url);
  const user = await findUserByEmail(env.pool, email, AUD);
  if (user) {
    await inTx(env, async (client) => {
      if (pkce.codeChallenge) await createFlowState(client, pkce, "recovery", "recovery", user.id);
      await sendTokenEmail(env, client, user, "recovery", !!pkce.codeChallenge, redirectTo);
    });
    env.log(`[auth] recovery requested user=${user.id}`);
  }
  sendJson(res, 200, {});
}

export async function resend(env: AuthEnv, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const body = await readJson(req);
  if (str(body.type) !== "signup") throw badRequest("validation_failed", "Missing one of these types: signup");
  const email = validateEmail(str(body.email));
  const redirectTo = referrer(env.config, req, url);
  const user = await findUserByEmail(env.pool, email, AUD);
  if (user && !user.email_confirmed_at) {
    const pkce = (user.confirmation_token ?? "").startsWith(PKCE_PREFIX);
    await inTx(env, (client) => sendTokenEmail(env, client, user, "signup", pkce, redirectTo));
  }
  sendJson(res, 200, {});
}
