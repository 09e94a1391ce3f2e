// POST /signup: email + password. With autoconfirm the answer is a session;
// otherwise a confirmation email (PKCE or implicit link, plus an OTP).
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import bcrypt from "bcryptjs";
import { sendTokenEmail } from "../email-flows.ts";
import { AUD, BCRYPT_COST, checkPasswordStrength, inTx, requestInfo, validateEmail, type AuthEnv } from "../env.ts";
import { AuthHttpError, badRequest, isPlainObject, readJson, sendJson, str, unprocessable } from "../http.ts";
import { referrer } from "../redirects.ts";
import { issueSession } from "../sessions.ts";
import { findIdentities, findUserByEmail, findUserById, insertEmailUser, userJson } from "../users.ts";
import { confirmUser, createFlowState, readPkceParams } from "../verify.ts";

export async function signup(env: AuthEnv, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const { config } = env;
  const body = await readJson(req);
  const rawEmail = str(body.email);
  const password = str(body.password);
  if (!rawEmail) throw unprocessable("anonymous_provider_disabled", "Anonymous sign-ins are disabled");
  if (!password) throw badRequest("validation_failed", "Signup requires a valid password");
  checkPasswordStrength(env, password);
  const pkce = readPkceParams(body);
  const email = validateEmail(rawEmail);
  const data = isPlainObject(body.data) ? body.data : {};
  const redirectTo = referrer(config, req, url);
  const alreadyRegistered = () => unprocessable("user_already_exists", "User already registered");

  const existing = await findUserByEmail(env.pool, email, AUD);
  if (existing?.email_confirmed_at) {
    if (config.autoconfirm) throw alreadyRegistered();
    // Anti-enumeration: a fabricated, never-stored user (GoTrue's sanitizeUser).
    const now = new Date().toISOString();
    return sendJson(res, 200, {
      id: randomUUID(),
      aud: AUD,
      role: "",
      email,
      phone: "",
      confirmation_sent_at: now,
      app_metadata: { provider: "email", providers: ["email"] },
      user_metadata: data,
      identities: [],
      created_at: now,
      updated_at: now,
      is_anonymous: false,
    });
  }
  const passwordHash = existing ? null : await bcrypt.hash(password, BCRYPT_COST);

  const result = await inTx(env, async (client) => {
    let user = existing;
    if (!user) {
      const userMetadata = (sub: string) => ({ ...data, sub, email, email_verified: false, phone_verified: false });
      try {
        user = await insertEmailUser(client, { email, passwordHash, userMetadata }, env.log);
      } catch (error) {
        // Lost a race with a concurrent signup of the same address.
        if (error instanceof AuthHttpError && error.code === "email_exists" && config.autoconfirm) throw alreadyRegistered();
        throw error;
      }
      env.log(`[auth] signup user=${user.id}`);
    }
    if (config.autoconfirm) {
      await confirmUser(client, user);
      user = (await findUserById(client, user.id))!;
      return { session: await issueSession(client, env.tokens, user, "password", requestInfo(req)) };
    }
    if (pkce.codeChallenge) await createFlowState(client, pkce, "email", "email/signup", user.id);
    await sendTokenEmail(env, client, user, "signup", !!pkce.codeChallenge, redirectTo);
    return { user: userJson((await findUserById(client, user.id))!, await findIdentities(client, user.id)) };
  });
  sendJson(res, 200, "session" in result ? result.session : result.user);
}
