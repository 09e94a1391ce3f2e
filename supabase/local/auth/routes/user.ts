// The signed-in user: GET /user, PUT /user (metadata, password, email) and
// POST /logout (global, local or others).
import type { IncomingMessage, ServerResponse } from "node:http";
import bcrypt from "bcryptjs";
import { applyEmailChange, sendEmailChange } from "../email-flows.ts";
import { AUD, authenticate, BCRYPT_COST, checkPasswordStrength, inTx, validateEmail, type AuthEnv } from "../env.ts";
import { badRequest, isPlainObject, readJson, sendJson, sendNoContent, unprocessable } from "../http.ts";
import { referrer } from "../redirects.ts";
import { findIdentities, findUserByEmail, findUserById, loadUserJson, mergeMetadata, userJson } from "../users.ts";
import { createFlowState, readPkceParams } from "../verify.ts";

export async function getUser(env: AuthEnv, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { user } = await authenticate(env, req);
  sendJson(res, 200, userJson(user, await findIdentities(env.pool, user.id)));
}

export async function updateUser(env: AuthEnv, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const auth = await authenticate(env, req);
  const body = await readJson(req);
  const user = auth.user;
  const pkce = readPkceParams(body);
  const password = typeof body.password === "string" && body.password !== "" ? body.password : null;
  const rawEmail = typeof body.email === "string" ? body.email : "";
  const data = body.data ?? null;
  if (data !== null && !isPlainObject(data)) throw badRequest("validation_failed", "data must be an object");

  let passwordHash: string | null = null;
  if (password !== null) {
    checkPasswordStrength(env, password);
    if (user.encrypted_password && (await bcrypt.compare(password, user.encrypted_password))) {
      throw unprocessable("same_password", "New password should be different from the old password.");
    }
    passwordHash = await bcrypt.hash(password, BCRYPT_COST);
  }
  let newEmail: string | null = null;
  if (rawEmail && rawEmail.toLowerCase() !== (user.email ?? "").toLowerCase()) {
    newEmail = validateEmail(rawEmail);
    const taken = await findUserByEmail(env.pool, newEmail, AUD);
    if (taken && taken.id !== user.id) throw unprocessable("email_exists", "A user with this email address has already been registered");
  }
  const redirectTo = referrer(env.config, req, url);

  await inTx(env, async (client) => {
    const locked = (await findUserById(client, user.id, true))!;
    if (data) {
      await client.query("update auth.users set raw_user_meta_data = $2, updated_at = now() where id = $1", [
        user.id,
        mergeMetadata(locked.raw_user_meta_data, data),
      ]);
    }
    if (passwordHash) {
      await client.query("update auth.users set encrypted_password = $2, updated_at = now() where id = $1", [user.id, passwordHash]);
      // GoTrue logs the user out everywhere else after a password change.
      await client.query("delete from auth.sessions where user_id = $1 and id is distinct from $2", [user.id, auth.sessionId]);
      env.log(`[auth] password changed user=${user.id}`);
    }
    if (newEmail) {
      if (env.config.autoconfirm) {
        await applyEmailChange(client, locked, newEmail);
      } else {
        if (pkce.codeChallenge) await createFlowState(client, pkce, "email", "email_change", user.id);
        await sendEmailChange(env, client, locked, newEmail, !!pkce.codeChallenge, redirectTo);
      }
      env.log(`[auth] email change requested user=${user.id}`);
    }
  });
  sendJson(res, 200, await loadUserJson(env.pool, user.id));
}

export async function logout(env: AuthEnv, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const auth = await authenticate(env, req);
  const scope = url.searchParams.get("scope") ?? "";
  if (!["", "global", "local", "others"].includes(scope)) throw badRequest("validation_failed", `Unsupported logout scope "${scope}"`);
  if (auth.sessionId && scope === "local") {
    await env.pool.query("delete from auth.sessions where id = $1", [auth.sessionId]);
  } else if (auth.sessionId && scope === "others") {
    await env.pool.query("delete from auth.sessions where user_id = $1 and id <> $2", [auth.user.id, auth.sessionId]);
  } else {
    await env.pool.query("delete from auth.sessions where user_id = $1", [auth.user.id]);
  }
  env.log(`[auth] logout user=${auth.user.id} scope=${scope || "global"}`);
  sendNoContent(res);
}
