// /admin (service role only): list, create, get, update and delete users, and
// generate recovery / magic links without sending mail.
import type { IncomingMessage, ServerResponse } from "node:http";
import bcrypt from "bcryptjs";
import { storeEmailToken } from "../email-flows.ts";
import { AUD, BCRYPT_COST, checkPasswordStrength, inTx, requireAdmin, UUID_RE, validateEmail, type AuthEnv } from "../env.ts";
import { badRequest, internal, isPlainObject, notFound, readJson, sendJson, str, unprocessable } from "../http.ts";
import { verifyLink } from "../mailer.ts";
import { isRedirectAllowed, referrer } from "../redirects.ts";
import { findIdentities, findUserByEmail, findUserById, insertEmailUser, loadUserJson, mergeMetadata, userJson, type UserRow } from "../users.ts";
import { confirmUser } from "../verify.ts";

const PREFIX = "/auth/v1";

/** Handles /admin/… paths; false when none matched. */
export async function admin(env: AuthEnv, req: IncomingMessage, res: ServerResponse, url: URL, path: string): Promise<boolean> {
  if (path !== "/admin" && !path.startsWith("/admin/")) return false;
  await requireAdmin(env, req);
  const method = req.method ?? "GET";
  if (path === "/admin/users" && method === "GET") return listUsers(env, res, url).then(() => true);
  if (path === "/admin/users" && method === "POST") return createUser(env, req, res).then(() => true);
  if (path === "/admin/generate_link" && method === "POST") return generateLink(env, req, res, url).then(() => true);
  const match = /^\/admin\/users\/([^/]+)$/.exec(path);
  if (!match) return false;
  const target = await loadTarget(env, decodeURIComponent(match[1]!));
  if (method === "GET") sendJson(res, 200, userJson(target, await findIdentities(env.pool, target.id)));
  else if (method === "PUT") await updateUser(env, req, res, target);
  else if (method === "DELETE") await deleteUser(env, res, target);
  else return false;
  return true;
}

async function loadTarget(env: AuthEnv, id: string): Promise<UserRow> {
  if (!UUID_RE.test(id)) throw notFound("validation_failed", "user_id must be an UUID");
  const user = await findUserById(env.pool, id);
  if (!user) throw notFound("user_not_found", "User not found");
  return user;
}

async function listUsers(env: AuthEnv, res: ServerResponse, url: URL): Promise<void> {
  const page = Math.max(1, Number.parseInt(url.searchParams.get("page") || "1", 10) || 1);
  const perPage = Math.min(1000, Math.max(1, Number.parseInt(url.searchParams.get("per_page") || "50", 10) || 50));
  const { rows: countRows } = await env.pool.query<{ n: number }>("select count(*)::int as n from auth.users where aud = $1", [AUD]);
  const total = countRows[0]!.n;
  const { rows } = await env.pool.query<UserRow>("select * from auth.users where aud = $1 order by created_at desc, id limit $2 offset $3", [
    AUD,
    perPage,
    (page - 1) * perPage,
  ]);
  const users = [];
  for (const row of rows) users.push(userJson(row, await findIdentities(env.pool, row.id)));
  const lastPage = Math.max(1, Math.ceil(total / perPage));
  const base = `${PREFIX}/admin/users`;
  const links: string[] = [];
  if (page < lastPage) links.push(`<${base}?page=${page + 1}&per_page=${perPage}>; rel="next"`);
  links.push(`<${base}?page=${lastPage}&per_page=${perPage}>; rel="last"`);
  sendJson(res, 200, { users, aud: AUD }, { "x-total-count": String(total), link: links.join(", ") });
}

async function createUser(env: AuthEnv, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req);
  const rawEmail = str(body.email);
  if (!rawEmail) throw badRequest("validation_failed", "Cannot create a user without either an email or phone");
  const email = validateEmail(rawEmail);
  if (await findUserByEmail(env.pool, email, AUD)) {
    throw unprocessable("email_exists", "A user with this email address has already been registered");
  }
  const password = str(body.password);
  if (password) checkPasswordStrength(env, password);
  const passwordHash = password ? await bcrypt.hash(password, BCRYPT_COST) : null;
  const userMetadata = isPlainObject(body.user_metadata) ? body.user_metadata : {};
  const appMetadata = isPlainObject(body.app_metadata) ? body.app_metadata : {};
  const user = await inTx(env, async (client) => {
    const created = await insertEmailUser(client, { email, passwordHash, userMetadata: () => userMetadata, appMetadata }, env.log);
    if (body.email_confirm === true) await confirmUser(client, created);
    return created;
  });
  env.log(`[auth] admin created user=${user.id}`);
  sendJson(res, 200, await loadUserJson(env.pool, user.id));
}

/** Metadata (merged, null deletes a key) and password. */
async function updateUser(env: AuthEnv, req: IncomingMessage, res: ServerResponse, target: UserRow): Promise<void> {
  const body = await readJson(req);
  const password = str(body.password);
  if (password) checkPasswordStrength(env, password);
  const passwordHash = password ? await bcrypt.hash(password, BCRYPT_COST) : null;
  await inTx(env, async (client) => {
    const user = (await findUserById(client, target.id, true))!;
    const userMetadata = isPlainObject(body.user_metadata) ? mergeMetadata(user.raw_user_meta_data, body.user_metadata) : user.raw_user_meta_data;
    const appMetadata = isPlainObject(body.app_metadata) ? mergeMetadata(user.raw_app_meta_data, body.app_metadata) : user.raw_app_meta_data;
    await client.query(
      `update auth.users set raw_user_meta_data = $2, raw_app_meta_data = $3,
              encrypted_password = coalesce($4, encrypted_password), updated_at = now()
        where id = $1`,
      [user.id, userMetadata, appMetadata, passwordHash],
    );
  });
  env.log(`[auth] admin updated user=${target.id}`);
  sendJson(res, 200, await loadUserJson(env.pool, target.id));
}

async function deleteUser(env: AuthEnv, res: ServerResponse, target: UserRow): Promise<void> {
  try {
    await env.pool.query("delete from auth.users where id = $1", [target.id]);
  } catch (error) {
    env.log(`[auth] database error deleting user: ${(error as Error).message}`);
    throw internal("Database error deleting user");
  }
  env.log(`[auth] admin deleted user=${target.id}`);
  sendJson(res, 200, {});
}

/** A recovery or magic link for an existing user, returned instead of mailed. */
async function generateLink(env: AuthEnv, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const body = await readJson(req);
  const type = str(body.type);
  const email = validateEmail(str(body.email));
  const redirectParam = str(body.redirect_to);
  const redirectTo = redirectParam && isRedirectAllowed(env.config, redirectParam) ? redirectParam : referrer(env.config, req, url);
  if (type !== "recovery" && type !== "magiclink") throw badRequest("validation_failed", "Invalid email action link type requested");
  const result = await inTx(env, async (client) => {
    const user = await findUserByEmail(client, email, AUD);
    if (!user) throw notFound("user_not_found", "User with this email not found");
    const { otp, hash } = await storeEmailToken(client, user, type, false);
    const fresh = (await findUserById(client, user.id))!;
    return {
      ...userJson(fresh, await findIdentities(client, fresh.id)),
      action_link: verifyLink(env.config.publicUrl, hash, type, redirectTo),
      email_otp: otp,
      hashed_token: hash,
      verification_type: type,
      redirect_to: redirectTo,
    };
  });
  sendJson(res, 200, result);
}
