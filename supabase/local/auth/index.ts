// GoTrue-compatible Auth service of the local Supabase server (/auth/v1).
// Same tables, JWT claims, error codes and email-link flows as supabase/auth,
// for the subset the app and supabase-js use: email + password, PKCE and
// implicit email links, sessions with rotating refresh tokens, admin users.
// Emails go to the local outbox (see ../mail). Never logs secrets.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import bcrypt from "bcryptjs";
import type pg from "pg";
import type { LocalService, LocalSupabaseConfig, ServiceContext } from "../context.ts";
import { bearerToken, verifyJwt, type SupabaseClaims } from "../jwt.ts";
import { ensureOutbox } from "../mail/outbox.ts";
import {
  AuthHttpError,
  badRequest,
  forbidden,
  internal,
  isPlainObject,
  notFound,
  OAuthError,
  readJson,
  sendError,
  sendJson,
  sendNoContent,
  sendRedirect,
  str,
  unauthorized,
  unprocessable,
} from "./http.ts";
import { sendAuthEmail, verifyLink, type MailOptions } from "./mailer.ts";
import { AMR_TABLE_SQL, issueSession, refreshSession, type RequestInfo, type TokenSettings } from "./sessions.ts";
import {
  findIdentities,
  findUserByEmail,
  findUserById,
  isBanned,
  loadUserJson,
  mergeMetadata,
  NIL_UUID,
  userJson,
  type UserRow,
} from "./users.ts";
import {
  authenticationMethodFor,
  clearOneTimeTokens,
  columnsForType,
  confirmUser,
  createFlowState,
  findUserByTokenHash,
  isTokenExpired,
  issueAuthCode,
  linkInvalid,
  newOtp,
  otpInvalid,
  PKCE_PREFIX,
  readPkceParams,
  tokenHash,
  tokenMatches,
  upsertOneTimeToken,
  verifyCodeChallenge,
  type PkceParams,
  type TokenColumn,
} from "./verify.ts";

/**
 * Auth settings beyond the shared LocalSupabaseConfig, with GoTrue's defaults.
 * They may be passed on the config object (tests do).
 */
export interface LocalAuthOptions {
  /** GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL (default 10 s). */
  refreshTokenReuseIntervalSeconds?: number;
  /** GOTRUE_MAILER_OTP_EXP (default 86400 s). */
  otpExpirySeconds?: number;
  /** GOTRUE_PASSWORD_MIN_LENGTH (default 6). */
  passwordMinLength?: number;
}

const PREFIX = "/auth/v1";
const AUD = "authenticated";
const BCRYPT_COST = 10;
const MAX_PASSWORD_LENGTH = 72;
const FLOW_STATE_EXPIRY_SECONDS = 300;
const ADMIN_ROLES = new Set(["service_role", "supabase_admin"]);
const EMAIL_RE =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface AuthContext {
  claims: SupabaseClaims;
  user: UserRow;
  sessionId: string | null;
}

export async function authService(ctx: ServiceContext): Promise<LocalService> {
  const config = ctx.config as LocalSupabaseConfig & LocalAuthOptions;
  const { pool, log } = ctx;
  const otpExpiry = config.otpExpirySeconds ?? 86400;
  const passwordMinLength = config.passwordMinLength ?? 6;
  const tokens: TokenSettings = {
    publicUrl: config.publicUrl,
    jwtSecret: ctx.keys.jwtSecret,
    jwtExpirySeconds: config.jwtExpirySeconds,
    refreshTokenReuseIntervalSeconds: config.refreshTokenReuseIntervalSeconds ?? 10,
  };
  const mail: MailOptions = {
    publicUrl: config.publicUrl,
    emailRateLimitPerHour: config.emailRateLimitPerHour,
    log,
  };

  // GoTrue's own bookkeeping that bootstrap.sql does not create, and the outbox.
  await pool.query(AMR_TABLE_SQL);
  await ensureOutbox(pool);

  // --- helpers -----------------------------------------------------------------

  async function inTx<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query("begin");
      const result = await work(client);
      await client.query("commit");
      return result;
    } catch (error) {
      await client.query("rollback").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  function requestInfo(req: IncomingMessage): RequestInfo {
    const ua = req.headers["user-agent"];
    const ip = req.socket.remoteAddress ?? null;
    return { userAgent: typeof ua === "string" ? ua : null, ip: ip?.replace(/^::ffff:/, "") ?? null };
  }

  function globMatch(pattern: string, value: string): boolean {
    const regex = pattern
      .split("**")
      .map((part) =>
        part
          .split("*")
          .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
          .join("[^./]*"),
      )
      .join(".*");
    return new RegExp(`^${regex}$`).test(value);
  }

  /** GoTrue's IsRedirectURLValid: the site's host, or an allow-listed URL. */
  function isRedirectAllowed(target: string): boolean {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return false;
    }
    try {
      if (url.hostname === new URL(config.siteUrl).hostname) return true;
    } catch {
      // misconfigured siteUrl: only the allow list applies
    }
    return config.additionalRedirectUrls.some((pattern) =>
      pattern.includes("*") ? globMatch(pattern, target) : target.startsWith(pattern),
    );
  }

  /** GoTrue's GetReferrer: redirect_to if allowed, else an allowed Referer, else the site URL. */
  function referrer(req: IncomingMessage, url: URL): string {
    const requested = url.searchParams.get("redirect_to");
    if (requested && isRedirectAllowed(requested)) return requested;
    const ref = req.headers.referer;
    if (typeof ref === "string" && isRedirectAllowed(ref)) return ref;
    return config.siteUrl;
  }

  function validateEmail(raw: string): string {
    if (!raw) throw badRequest("validation_failed", "An email address is required");
    if (raw.length > 255) throw badRequest("validation_failed", "An email address is too long");
    if (!EMAIL_RE.test(raw)) throw badRequest("validation_failed", "Unable to validate email address: invalid format");
    return raw.toLowerCase();
  }

  function checkPasswordStrength(password: string): void {
    if ([...password].length > MAX_PASSWORD_LENGTH) {
      throw badRequest("validation_failed", `Password cannot be longer than ${MAX_PASSWORD_LENGTH} characters`);
    }
    if ([...password].length < passwordMinLength) {
      throw new AuthHttpError(422, "weak_password", `Password should be at least ${passwordMinLength} characters.`, {
        weak_password: { reasons: ["length"] },
      });
    }
  }

  async function authenticate(req: IncomingMessage): Promise<AuthContext> {
    const token = bearerToken(req.headers.authorization);
    if (!token) throw unauthorized("no_authorization", "This endpoint requires a Bearer token");
    const verified = await verifyJwt(ctx.keys.jwtSecret, token);
    if (!verified.ok) {
      throw forbidden(
        "bad_jwt",
        verified.reason === "expired"
          ? "invalid JWT: unable to parse or verify signature, token has invalid claims: token is expired"
          : "invalid JWT: unable to parse or verify signature, token signature is invalid: signature is invalid",
      );
    }
    const claims = verified.claims;
    if (!claims.sub) throw forbidden("bad_jwt", "invalid claim: missing sub claim");
    if (!UUID_RE.test(claims.sub)) throw badRequest("bad_jwt", "invalid claim: sub claim must be a UUID");
    const user = await findUserById(pool, claims.sub);
    if (!user) throw forbidden("user_not_found", "User from sub claim in JWT does not exist");
    let sessionId: string | null = null;
    const sid = typeof claims.session_id === "string" ? claims.session_id : "";
    if (sid && sid !== NIL_UUID) {
      if (!UUID_RE.test(sid)) throw forbidden("bad_jwt", "invalid claim: session_id claim must be a UUID");
      const { rowCount } = await pool.query("select 1 from auth.sessions where id = $1", [sid]);
      if (!rowCount) throw forbidden("session_not_found", "Session from session_id claim in JWT does not exist");
      sessionId = sid;
    }
    return { claims, user, sessionId };
  }

  async function requireAdmin(req: IncomingMessage): Promise<void> {
    const token = bearerToken(req.headers.authorization);
    if (!token) throw unauthorized("no_authorization", "This endpoint requires a Bearer token");
    const verified = await verifyJwt(ctx.keys.jwtSecret, token);
    if (!verified.ok) {
      throw forbidden("bad_jwt", "invalid JWT: unable to parse or verify signature, token signature is invalid");
    }
    if (!ADMIN_ROLES.has(String(verified.claims.role ?? ""))) throw forbidden("not_admin", "User not allowed");
  }

  /** Inserts user + email identity in the caller's transaction (project triggers fire here). */
  async function insertEmailUser(
    client: pg.PoolClient,
    fields: {
      id?: string;
      email: string;
      passwordHash: string | null;
      userMetadata: Record<string, unknown>;
      appMetadata?: Record<string, unknown>;
      role?: string;
      confirmed: boolean;
      bannedUntil?: Date | null;
    },
  ): Promise<UserRow> {
    const id = fields.id ?? randomUUID();
    const identityData: Record<string, unknown> = {
      sub: id,
      email: fields.email,
      email_verified: false,
      phone_verified: false,
    };
    const appMetadata = { provider: "email", providers: ["email"], ...(fields.appMetadata ?? {}) };
    const savepoint = "insert_user";
    await client.query(`savepoint ${savepoint}`);
    try {
      await client.query(
        `insert into auth.users
           (instance_id, id, aud, role, email, encrypted_password, raw_app_meta_data, raw_user_meta_data,
            created_at, updated_at, is_sso_user, is_anonymous, confirmation_token, recovery_token,
            email_change_token_new, email_change, email_change_token_current, phone_change, phone_change_token,
            reauthentication_token, banned_until)
         values ($1, $2, $3, $4, $5, $6, $7, $8, now(), now(), false, false, '', '', '', '', '', '', '', '', $9)`,
        [
          NIL_UUID,
          id,
          AUD,
          fields.role ?? "authenticated",
          fields.email,
          fields.passwordHash ?? "",
          appMetadata,
          fields.userMetadata,
          fields.bannedUntil ?? null,
        ],
      );
      await client.query(
        `insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
         values ($1::text, $1::uuid, $2, 'email', now(), now(), now())`,
        [id, identityData],
      );
    } catch (error) {
      await client.query(`rollback to savepoint ${savepoint}`);
      const pgError = error as { code?: string; message?: string };
      if (pgError.code === "23505") throw unprocessable("email_exists", "A user with this email address has already been registered");
      log(`[auth] database error saving new user: ${pgError.code ?? ""} ${pgError.message ?? String(error)}`);
      throw internal("Database error saving new user");
    }
    await client.query(`release savepoint ${savepoint}`);
    const user = (await findUserById(client, id))!;
    if (fields.confirmed) {
      await confirmUser(client, user);
      return (await findUserById(client, id))!;
    }
    return user;
  }

  /** Stores a fresh email token for the user and sends its email. */
  async function sendTokenEmail(
    client: pg.PoolClient,
    user: UserRow,
    kind: "signup" | "recovery" | "magiclink",
    pkce: boolean,
    redirectTo: string,
  ): Promise<void> {
    const email = user.email ?? "";
    const otp = newOtp();
    const hash = (pkce ? PKCE_PREFIX : "") + tokenHash(email, otp);
    const column: TokenColumn = kind === "signup" ? "confirmation_token" : "recovery_token";
    const sentAt = kind === "signup" ? "confirmation_sent_at" : "recovery_sent_at";
    await client.query(`update auth.users set ${column} = $2, ${sentAt} = now(), updated_at = now() where id = $1`, [
      user.id,
      hash,
    ]);
    await upsertOneTimeToken(client, user.id, column, hash, email);
    await sendAuthEmail(client, mail, { kind, to: email, tokenHash: hash, otp, redirectTo });
  }

  async function sendEmailChange(
    client: pg.PoolClient,
    user: UserRow,
    newEmail: string,
    pkce: boolean,
    redirectTo: string,
  ): Promise<void> {
    const current = user.email ?? "";
    const otpNew = newOtp();
    const otpCurrent = newOtp();
    const prefix = pkce ? PKCE_PREFIX : "";
    const hashNew = prefix + tokenHash(newEmail, otpNew);
    const hashCurrent = current ? prefix + tokenHash(current, otpCurrent) : "";
    await client.query(
      `update auth.users
          set email_change = $2, email_change_token_new = $3, email_change_token_current = $4,
              email_change_sent_at = now(), email_change_confirm_status = 0, updated_at = now()
        where id = $1`,
      [user.id, newEmail, hashNew, hashCurrent],
    );
    await upsertOneTimeToken(client, user.id, "email_change_token_new", hashNew, newEmail);
    await sendAuthEmail(client, mail, {
      kind: "email_change",
      to: newEmail,
      tokenHash: hashNew,
      otp: otpNew,
      redirectTo,
      email: current,
      newEmail,
    });
    if (current) {
      await upsertOneTimeToken(client, user.id, "email_change_token_current", hashCurrent, current);
      await sendAuthEmail(client, mail, {
        kind: "email_change",
        to: current,
        tokenHash: hashCurrent,
        otp: otpCurrent,
        redirectTo,
        email: current,
        newEmail,
      });
    }
  }

  /** Completes an email change (GoTrue's ConfirmEmailChange). */
  async function applyEmailChange(client: pg.PoolClient, user: UserRow, newEmail: string): Promise<void> {
    await client.query(
      `update auth.users
          set email = $2::text, email_change = '', email_change_token_new = '', email_change_token_current = '',
              email_change_confirm_status = 0, email_confirmed_at = coalesce(email_confirmed_at, now()),
              raw_user_meta_data = case when raw_user_meta_data ? 'email'
                                        then raw_user_meta_data || jsonb_build_object('email', $2::text)
                                        else raw_user_meta_data end,
              updated_at = now()
        where id = $1`,
      [user.id, newEmail],
    );
    const { rowCount } = await client.query(
      `update auth.identities
          set identity_data = identity_data || jsonb_build_object('email', $2::text, 'email_verified', true), updated_at = now()
        where user_id = $1 and provider = 'email'`,
      [user.id, newEmail],
    );
    if (!rowCount) {
      await client.query(
        `insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
         values ($1::text, $1::uuid, $2, 'email', now(), now(), now())`,
        [user.id, { sub: user.id, email: newEmail, email_verified: true, phone_verified: false }],
      );
    }
    await clearOneTimeTokens(client, user.id, ["email_change_token_new", "email_change_token_current"]);
  }

  function parseBanDuration(value: unknown): Date | null | undefined {
    if (value === undefined || value === null || value === "") return undefined;
    if (value === "none") return null;
    if (typeof value !== "string") throw badRequest("validation_failed", "invalid format for ban duration");
    const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;
    const units: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
    let total = 0;
    let consumed = "";
    for (const match of value.matchAll(re)) {
      total += Number(match[1]) * units[match[2]!]!;
      consumed += match[0];
    }
    if (!consumed || consumed !== value) {
      throw badRequest("validation_failed", `invalid format for ban duration: time: invalid duration "${value}"`);
    }
    return new Date(Date.now() + total);
  }

  // --- handlers ----------------------------------------------------------------

  async function signup(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const body = await readJson(req);
    const rawEmail = str(body.email);
    const phone = str(body.phone);
    const password = str(body.password);
    if (!rawEmail && !phone) throw unprocessable("anonymous_provider_disabled", "Anonymous sign-ins are disabled");
    if (!password) throw badRequest("validation_failed", "Signup requires a valid password");
    checkPasswordStrength(password);
    if (rawEmail && phone) {
      throw badRequest("validation_failed", "Only an email address or phone number should be provided on signup.");
    }
    const pkce = readPkceParams(body);
    if (!rawEmail) throw badRequest("phone_provider_disabled", "Phone signups are disabled");
    const email = validateEmail(rawEmail);
    const data = isPlainObject(body.data) ? body.data : {};
    const redirectTo = referrer(req, url);

    const existing = await findUserByEmail(pool, email, AUD);
    if (existing?.email_confirmed_at) {
      if (config.autoconfirm) throw unprocessable("user_already_exists", "User already registered");
      // Anti-enumeration: a fabricated, never-stored user (GoTrue's sanitizeUser).
      const now = new Date().toISOString();
      sendJson(res, 200, {
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
      return;
    }
    const passwordHash = existing ? null : await bcrypt.hash(password, BCRYPT_COST);

    const result = await inTx(async (client) => {
      let user = existing;
      if (!user) {
        const id = randomUUID();
        try {
          user = await insertEmailUser(client, {
            id,
            email,
            passwordHash,
            userMetadata: { ...data, sub: id, email, email_verified: false, phone_verified: false },
            confirmed: false,
          });
        } catch (error) {
          if (error instanceof AuthHttpError && error.code === "email_exists") {
            // Lost a race with a concurrent signup of the same address.
            throw config.autoconfirm ? unprocessable("user_already_exists", "User already registered") : error;
          }
          throw error;
        }
        log(`[auth] signup user=${user.id}`);
      }
      if (config.autoconfirm) {
        await confirmUser(client, user);
        user = (await findUserById(client, user.id))!;
        return { session: await issueSession(client, tokens, user, "password", requestInfo(req)) };
      }
      if (pkce.codeChallenge) await createFlowState(client, pkce, "email", "email/signup", user.id);
      await sendTokenEmail(client, user, "signup", !!pkce.codeChallenge, redirectTo);
      return { user: userJson((await findUserById(client, user.id))!, await findIdentities(client, user.id)) };
    });
    sendJson(res, 200, "session" in result ? result.session : result.user);
  }

  async function passwordGrant(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    const email = str(body.email);
    const phone = str(body.phone);
    const password = str(body.password);
    if (email && phone) {
      throw badRequest("validation_failed", "Only an email address or phone number should be provided on login.");
    }
    if (phone) throw badRequest("phone_provider_disabled", "Phone logins are disabled");
    const invalid = badRequest("invalid_credentials", "Invalid login credentials");
    if (!email) throw invalid;
    const user = await findUserByEmail(pool, email, AUD);
    if (!user || !user.encrypted_password || !password) throw invalid;
    if (!(await bcrypt.compare(password, user.encrypted_password))) throw invalid;
    if (isBanned(user)) throw badRequest("user_banned", "User is banned");
    if (!user.email_confirmed_at) throw badRequest("email_not_confirmed", "Email not confirmed");
    const session = await inTx((client) => issueSession(client, tokens, user, "password", requestInfo(req)));
    log(`[auth] login user=${user.id}`);
    sendJson(res, 200, session);
  }

  async function refreshGrant(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    const refreshToken = str(body.refresh_token);
    if (!refreshToken) throw new OAuthError("invalid_request", "refresh_token required");
    const client = await pool.connect();
    try {
      await client.query("begin");
      const outcome = await refreshSession(client, tokens, refreshToken);
      if (outcome.ok || outcome.commit) await client.query("commit");
      else await client.query("rollback");
      if (!outcome.ok) {
        if (outcome.error.code === "refresh_token_already_used") log("[auth] refresh token reuse detected; session revoked");
        throw outcome.error;
      }
      sendJson(res, 200, outcome.session);
    } catch (error) {
      await client.query("rollback").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async function pkceGrant(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    const authCode = str(body.auth_code);
    const verifier = str(body.code_verifier);
    if (!authCode || !verifier) {
      throw badRequest("validation_failed", "invalid request: both auth code and code verifier should be non-empty");
    }
    const session = await inTx(async (client) => {
      const { rows } = await client.query<{
        id: string;
        user_id: string | null;
        code_challenge: string;
        code_challenge_method: string;
        authentication_method: string;
        created_at: Date;
        auth_code_issued_at: Date | null;
      }>("select * from auth.flow_state where auth_code = $1 for update", [authCode]);
      const flow = rows[0];
      if (!flow || !flow.user_id) throw notFound("flow_state_not_found", "invalid flow state, no valid flow state found");
      const issuedAt = new Date(flow.auth_code_issued_at ?? flow.created_at).getTime();
      if (Date.now() > issuedAt + FLOW_STATE_EXPIRY_SECONDS * 1000) {
        throw badRequest("flow_state_expired", "invalid flow state, flow state has expired");
      }
      if (!verifyCodeChallenge(flow.code_challenge_method, flow.code_challenge, verifier)) {
        throw badRequest("bad_code_verifier", "code challenge does not match previously saved code verifier");
      }
      const user = await findUserById(client, flow.user_id);
      if (!user) throw notFound("user_not_found", "User not found");
      if (isBanned(user)) throw badRequest("user_banned", "User is banned");
      const issued = await issueSession(client, tokens, user, flow.authentication_method, requestInfo(req));
      await client.query("delete from auth.flow_state where id = $1", [flow.id]);
      return issued;
    });
    sendJson(res, 200, session);
  }

  async function token(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    switch (url.searchParams.get("grant_type")) {
      case "password":
        return passwordGrant(req, res);
      case "refresh_token":
        return refreshGrant(req, res);
      case "pkce":
        return pkceGrant(req, res);
      default:
        throw new OAuthError("unsupported_grant_type", "");
    }
  }

  async function updateUser(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const auth = await authenticate(req);
    const body = await readJson(req);
    const user = auth.user;
    const pkce: PkceParams = readPkceParams(body);
    const password = typeof body.password === "string" && body.password !== "" ? body.password : null;
    const rawEmail = typeof body.email === "string" ? body.email : "";
    const data = body.data === undefined || body.data === null ? null : body.data;
    if (data !== null && !isPlainObject(data)) throw badRequest("validation_failed", "data must be an object");

    let passwordHash: string | null = null;
    if (password !== null) {
      checkPasswordStrength(password);
      if (user.encrypted_password && (await bcrypt.compare(password, user.encrypted_password))) {
        throw unprocessable("same_password", "New password should be different from the old password.");
      }
      passwordHash = await bcrypt.hash(password, BCRYPT_COST);
    }
    let newEmail: string | null = null;
    if (rawEmail && rawEmail.toLowerCase() !== (user.email ?? "").toLowerCase()) {
      newEmail = validateEmail(rawEmail);
      const taken = await findUserByEmail(pool, newEmail, AUD);
      if (taken && taken.id !== user.id) {
        throw unprocessable("email_exists", "A user with this email address has already been registered");
      }
    }
    const redirectTo = referrer(req, url);

    await inTx(async (client) => {
      const locked = (await findUserById(client, user.id, true))!;
      if (data) {
        await client.query("update auth.users set raw_user_meta_data = $2, updated_at = now() where id = $1", [
          user.id,
          mergeMetadata(locked.raw_user_meta_data, data),
        ]);
      }
      if (passwordHash) {
        await client.query("update auth.users set encrypted_password = $2, updated_at = now() where id = $1", [
          user.id,
          passwordHash,
        ]);
        // GoTrue logs the user out everywhere else after a password change.
        if (auth.sessionId) {
          await client.query("delete from auth.sessions where user_id = $1 and id <> $2", [user.id, auth.sessionId]);
        } else {
          await client.query("delete from auth.sessions where user_id = $1", [user.id]);
        }
        log(`[auth] password changed user=${user.id}`);
      }
      if (newEmail) {
        if (config.autoconfirm) {
          await applyEmailChange(client, locked, newEmail);
        } else {
          if (pkce.codeChallenge) await createFlowState(client, pkce, "email", "email_change", user.id);
          await sendEmailChange(client, locked, newEmail, !!pkce.codeChallenge, redirectTo);
        }
        log(`[auth] email change requested user=${user.id}`);
      }
    });
    sendJson(res, 200, await loadUserJson(pool, user.id));
  }

  async function logout(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const auth = await authenticate(req);
    const scope = url.searchParams.get("scope") ?? "";
    if (!["", "global", "local", "others"].includes(scope)) {
      throw badRequest("validation_failed", `Unsupported logout scope "${scope}"`);
    }
    if (auth.sessionId && scope === "local") {
      await pool.query("delete from auth.sessions where id = $1", [auth.sessionId]);
    } else if (auth.sessionId && scope === "others") {
      await pool.query("delete from auth.sessions where user_id = $1 and id <> $2", [auth.user.id, auth.sessionId]);
    } else {
      await pool.query("delete from auth.sessions where user_id = $1", [auth.user.id]);
    }
    log(`[auth] logout user=${auth.user.id} scope=${scope || "global"}`);
    sendNoContent(res);
  }

  async function recover(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const body = await readJson(req);
    const rawEmail = str(body.email);
    if (!rawEmail) throw unprocessable("validation_failed", "Password recovery requires an email");
    const email = validateEmail(rawEmail);
    const pkce = readPkceParams(body);
    const redirectTo = referrer(req, url);
    const user = await findUserByEmail(pool, email, AUD);
    if (user) {
      await inTx(async (client) => {
        if (pkce.codeChallenge) await createFlowState(client, pkce, "recovery", "recovery", user.id);
        await sendTokenEmail(client, user, "recovery", !!pkce.codeChallenge, redirectTo);
      });
      log(`[auth] recovery requested user=${user.id}`);
    }
    sendJson(res, 200, {});
  }

  async function resend(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const body = await readJson(req);
    const type = str(body.type);
    if (type !== "signup" && type !== "email_change") {
      throw badRequest("validation_failed", "Missing one of these types: signup, email_change, sms, phone_change");
    }
    const email = validateEmail(str(body.email));
    const redirectTo = referrer(req, url);
    const user =
      type === "signup"
        ? await findUserByEmail(pool, email, AUD)
        : (
            await pool.query<UserRow>("select * from auth.users where lower(email_change) = lower($1) limit 1", [email])
          ).rows[0] ?? null;
    if (user && type === "signup" && !user.email_confirmed_at) {
      const pkce = (user.confirmation_token ?? "").startsWith(PKCE_PREFIX);
      await inTx((client) => sendTokenEmail(client, user, "signup", pkce, redirectTo));
    } else if (user && type === "email_change" && user.email_change) {
      const pkce = (user.email_change_token_new ?? "").startsWith(PKCE_PREFIX);
      await inTx((client) => sendEmailChange(client, user, user.email_change!, pkce, redirectTo));
    }
    sendJson(res, 200, {});
  }

  type VerifyResult =
    | { kind: "user"; user: UserRow }
    | { kind: "single_confirmation" };

  /** Applies a verified token (signupVerify / recoverVerify / emailChangeVerify). */
  async function applyVerification(
    client: pg.PoolClient,
    type: string,
    user: UserRow,
    column: TokenColumn,
  ): Promise<VerifyResult> {
    switch (type) {
      case "signup":
      case "invite":
        await confirmUser(client, user);
        log(`[auth] email confirmed user=${user.id}`);
        break;
      case "recovery":
      case "magiclink":
        await client.query("update auth.users set recovery_token = '', updated_at = now() where id = $1", [user.id]);
        await clearOneTimeTokens(client, user.id, ["recovery_token"]);
        if (!user.email_confirmed_at) await confirmUser(client, user);
        break;
      case "email_change": {
        if (!config.autoconfirm && user.email_change_confirm_status === 0 && user.email) {
          // Secure email change: both addresses confirm; this was the first.
          const other: TokenColumn =
            column === "email_change_token_current" ? "email_change_token_new" : "email_change_token_current";
          if (user[other]) {
            await client.query(
              `update auth.users set ${column} = '', email_change_confirm_status = 1, updated_at = now() where id = $1`,
              [user.id],
            );
            await clearOneTimeTokens(client, user.id, [column]);
            return { kind: "single_confirmation" };
          }
        }
        if (!user.email_change) throw linkInvalid();
        await applyEmailChange(client, user, user.email_change);
        log(`[auth] email changed user=${user.id}`);
        break;
      }
      default:
        throw badRequest("validation_failed", "Unsupported verification type");
    }
    return { kind: "user", user: (await findUserById(client, user.id))! };
  }

  const SINGLE_CONFIRMATION = "Confirmation link accepted. Please proceed to confirm link sent to the other email";
  const OAUTH_ERROR_FOR_STATUS: Record<number, string> = {
    400: "invalid_request",
    401: "unauthorized_client",
    403: "access_denied",
    500: "server_error",
    503: "temporarily_unavailable",
  };

  const encodeSorted = (params: Record<string, string>): string =>
    new URLSearchParams(Object.keys(params).sort().map((k) => [k, params[k]!])).toString();

  function errorRedirect(redirectTo: string, error: AuthHttpError, pkce: boolean): string {
    const url = new URL(redirectTo);
    const params: Record<string, string> = {
      error_code: error.code,
      error_description: error.message,
    };
    const oauth = OAUTH_ERROR_FOR_STATUS[error.status];
    if (oauth) params.error = oauth;
    if (pkce) for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    url.hash = encodeSorted({ ...params, sb: "" });
    return url.toString();
  }

  async function verifyGet(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const token = url.searchParams.get("token") ?? "";
    const type = url.searchParams.get("type") ?? "";
    const redirectTo = referrer(req, url);
    if (!type) throw badRequest("validation_failed", "Verify requires a verification type");
    if (!token) throw badRequest("validation_failed", "Verify requires a token or a token hash");
    const pkce = token.startsWith(PKCE_PREFIX);
    try {
      const outcome = await inTx(async (client) => {
        const columns = columnsForType(type);
        if (!columns || type === "email") throw badRequest("validation_failed", "Invalid email verification type");
        const found = await findUserByTokenHash(client, columns, token);
        if (!found) throw linkInvalid();
        if (isBanned(found.user)) throw forbidden("user_banned", "User is banned");
        if (isTokenExpired(found.user, found.column, otpExpiry)) throw linkInvalid();
        const result = await applyVerification(client, type, found.user, found.column);
        if (result.kind === "single_confirmation") return { kind: "message" as const };
        if (pkce) {
          return { kind: "code" as const, code: await issueAuthCode(client, result.user.id, authenticationMethodFor(type)) };
        }
        return { kind: "session" as const, session: await issueSession(client, tokens, result.user, "otp", requestInfo(req)) };
      });
      const target = new URL(redirectTo);
      if (outcome.kind === "message") {
        if (pkce) target.searchParams.set("message", SINGLE_CONFIRMATION);
        target.hash = encodeSorted({ message: SINGLE_CONFIRMATION, sb: "" });
      } else if (outcome.kind === "code") {
        target.searchParams.set("code", outcome.code);
      } else {
        const s = outcome.session;
        target.hash = encodeSorted({
          access_token: String(s.access_token),
          expires_at: String(s.expires_at),
          expires_in: String(s.expires_in),
          refresh_token: String(s.refresh_token),
          sb: "",
          token_type: "bearer",
          type,
        });
      }
      sendRedirect(res, target.toString());
    } catch (error) {
      if (error instanceof AuthHttpError) {
        sendRedirect(res, errorRedirect(redirectTo, error, pkce));
        return;
      }
      throw error;
    }
  }

  async function verifyPost(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    let type = str(body.type);
    const token = str(body.token);
    let hash = str(body.token_hash);
    const rawEmail = str(body.email);
    const phone = str(body.phone);
    if (!type) throw badRequest("validation_failed", "Verify requires a verification type");
    if ((!token && !hash) || (token && hash)) {
      throw badRequest("validation_failed", "Verify requires either a token or a token hash");
    }
    let email = "";
    if (token) {
      if (phone && !rawEmail) throw badRequest("phone_provider_disabled", "Unsupported phone provider");
      if (!rawEmail || phone) {
        throw badRequest("validation_failed", "Only an email address or phone number should be provided on verify");
      }
      try {
        email = validateEmail(rawEmail);
      } catch {
        throw unprocessable("validation_failed", "Invalid email format");
      }
      hash = tokenHash(email, token);
    } else if (rawEmail || phone || body.redirect_to) {
      throw badRequest("validation_failed", "Only the token_hash and type should be provided");
    }
    const columns = columnsForType(type);
    if (!columns) throw badRequest("validation_failed", "Unsupported verification type");

    const outcome = await inTx(async (client) => {
      let found: { user: UserRow; column: TokenColumn } | null = null;
      if (!token) {
        found = await findUserByTokenHash(client, columns, hash);
        if (!found) throw linkInvalid();
      } else {
        const { rows } = await client.query<UserRow>(
          type === "email_change"
            ? "select * from auth.users where lower(email) = $1 or lower(email_change) = $1 for update"
            : "select * from auth.users where lower(email) = $1 for update",
          [email],
        );
        for (const candidate of rows) {
          const column = columns.find((c) => tokenMatches(candidate[c] as string | null, hash));
          if (column) found = { user: candidate, column };
        }
        if (!found) throw otpInvalid();
      }
      if (isBanned(found.user)) throw forbidden("user_banned", "User is banned");
      if (isTokenExpired(found.user, found.column, otpExpiry)) throw token ? otpInvalid() : linkInvalid();
      if (type === "email") type = found.column === "recovery_token" ? "magiclink" : "signup";
      const result = await applyVerification(client, type, found.user, found.column);
      if (result.kind === "single_confirmation") return null;
      return issueSession(client, tokens, result.user, "otp", requestInfo(req));
    });
    if (!outcome) {
      sendJson(res, 200, { msg: SINGLE_CONFIRMATION, code: "200" });
      return;
    }
    sendJson(res, 200, outcome);
  }

  function settings(res: ServerResponse): void {
    const providers = [
      "anonymous_users", "apple", "azure", "bitbucket", "discord", "facebook", "figma", "fly", "github", "gitlab",
      "google", "keycloak", "kakao", "linkedin", "linkedin_oidc", "notion", "spotify", "slack", "slack_oidc",
      "workos", "twitch", "twitter", "email", "phone", "zoom",
    ];
    sendJson(res, 200, {
      external: Object.fromEntries(providers.map((p) => [p, p === "email"])),
      disable_signup: false,
      mailer_autoconfirm: config.autoconfirm,
      phone_autoconfirm: false,
      sms_provider: "",
      saml_enabled: false,
    });
  }

  // --- admin ---------------------------------------------------------------------

  async function adminListUsers(res: ServerResponse, url: URL): Promise<void> {
    const page = Math.max(1, Number.parseInt(url.searchParams.get("page") || "1", 10) || 1);
    const perPage = Math.min(1000, Math.max(1, Number.parseInt(url.searchParams.get("per_page") || "50", 10) || 50));
    const { rows: countRows } = await pool.query<{ n: number }>(
      "select count(*)::int as n from auth.users where aud = $1",
      [AUD],
    );
    const total = countRows[0]!.n;
    const { rows } = await pool.query<UserRow>(
      "select * from auth.users where aud = $1 order by created_at desc, id limit $2 offset $3",
      [AUD, perPage, (page - 1) * perPage],
    );
    const users = [];
    for (const row of rows) users.push(userJson(row, await findIdentities(pool, row.id)));
    const lastPage = Math.max(1, Math.ceil(total / perPage));
    const links: string[] = [];
    const base = `${PREFIX}/admin/users`;
    if (page < lastPage) links.push(`<${base}?page=${page + 1}&per_page=${perPage}>; rel="next"`);
    links.push(`<${base}?page=${lastPage}&per_page=${perPage}>; rel="last"`);
    sendJson(res, 200, { users, aud: AUD }, { "x-total-count": String(total), link: links.join(", ") });
  }

  async function adminCreateUser(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    const rawEmail = str(body.email);
    if (!rawEmail) {
      if (str(body.phone)) throw badRequest("phone_provider_disabled", "Phone logins are disabled");
      throw badRequest("validation_failed", "Cannot create a user without either an email or phone");
    }
    const email = validateEmail(rawEmail);
    if (body.id !== undefined && (typeof body.id !== "string" || !UUID_RE.test(body.id))) {
      throw badRequest("validation_failed", "id must be a valid UUID");
    }
    if (await findUserByEmail(pool, email, AUD)) {
      throw unprocessable("email_exists", "A user with this email address has already been registered");
    }
    const password = str(body.password);
    if (password) checkPasswordStrength(password);
    const passwordHash = password ? await bcrypt.hash(password, BCRYPT_COST) : null;
    const userMetadata = isPlainObject(body.user_metadata) ? body.user_metadata : {};
    const appMetadata = isPlainObject(body.app_metadata) ? body.app_metadata : {};
    const bannedUntil = parseBanDuration(body.ban_duration);
    const user = await inTx((client) =>
      insertEmailUser(client, {
        id: typeof body.id === "string" ? body.id : undefined,
        email,
        passwordHash,
        userMetadata,
        appMetadata,
        role: str(body.role) || undefined,
        confirmed: body.email_confirm === true,
        bannedUntil: bannedUntil ?? null,
      }),
    );
    log(`[auth] admin created user=${user.id}`);
    sendJson(res, 200, await loadUserJson(pool, user.id));
  }

  async function loadAdminTarget(id: string): Promise<UserRow> {
    if (!UUID_RE.test(id)) throw notFound("validation_failed", "user_id must be an UUID");
    const user = await findUserById(pool, id);
    if (!user) throw notFound("user_not_found", "User not found");
    return user;
  }

  async function adminUpdateUser(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const target = await loadAdminTarget(id);
    const body = await readJson(req);
    const password = str(body.password);
    if (password) checkPasswordStrength(password);
    const passwordHash = password ? await bcrypt.hash(password, BCRYPT_COST) : null;
    let email: string | null = null;
    if (str(body.email) && str(body.email).toLowerCase() !== (target.email ?? "")) {
      email = validateEmail(str(body.email));
      const taken = await findUserByEmail(pool, email, AUD);
      if (taken && taken.id !== target.id) {
        throw unprocessable("email_exists", "A user with this email address has already been registered");
      }
    }
    const bannedUntil = parseBanDuration(body.ban_duration);
    await inTx(async (client) => {
      const user = (await findUserById(client, target.id, true))!;
      if (str(body.role)) await client.query("update auth.users set role = $2 where id = $1", [user.id, str(body.role)]);
      if (passwordHash) {
        await client.query("update auth.users set encrypted_password = $2 where id = $1", [user.id, passwordHash]);
      }
      if (isPlainObject(body.user_metadata)) {
        await client.query("update auth.users set raw_user_meta_data = $2 where id = $1", [
          user.id,
          mergeMetadata(user.raw_user_meta_data, body.user_metadata),
        ]);
      }
      if (isPlainObject(body.app_metadata)) {
        await client.query("update auth.users set raw_app_meta_data = $2 where id = $1", [
          user.id,
          mergeMetadata(user.raw_app_meta_data, body.app_metadata),
        ]);
      }
      if (bannedUntil !== undefined) {
        await client.query("update auth.users set banned_until = $2 where id = $1", [user.id, bannedUntil]);
        if (bannedUntil) await client.query("delete from auth.sessions where user_id = $1", [user.id]);
      }
      if (email) await applyEmailChange(client, user, email);
      if (body.email_confirm === true) await confirmUser(client, (await findUserById(client, user.id))!);
      await client.query("update auth.users set updated_at = now() where id = $1", [user.id]);
    });
    log(`[auth] admin updated user=${target.id}`);
    sendJson(res, 200, await loadUserJson(pool, target.id));
  }

  async function adminDeleteUser(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const target = await loadAdminTarget(id);
    const body = await readJson(req);
    if (body.should_soft_delete === true) {
      await inTx(async (client) => {
        await client.query("delete from auth.sessions where user_id = $1", [target.id]);
        await client.query("delete from auth.identities where user_id = $1", [target.id]);
        await client.query(
          `update auth.users set deleted_at = now(), email = null, phone = null, encrypted_password = '',
                  raw_app_meta_data = '{}'::jsonb, raw_user_meta_data = '{}'::jsonb, updated_at = now()
            where id = $1`,
          [target.id],
        );
      });
    } else {
      try {
        await pool.query("delete from auth.users where id = $1", [target.id]);
      } catch (error) {
        log(`[auth] database error deleting user: ${(error as Error).message}`);
        throw internal("Database error deleting user");
      }
    }
    log(`[auth] admin deleted user=${target.id}`);
    sendJson(res, 200, {});
  }

  async function adminGenerateLink(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const body = await readJson(req);
    const type = str(body.type);
    const email = validateEmail(str(body.email));
    const redirectParam = str(body.redirect_to);
    const redirectTo = redirectParam && isRedirectAllowed(redirectParam) ? redirectParam : referrer(req, url);
    if (!["signup", "recovery", "magiclink"].includes(type)) {
      throw badRequest("validation_failed", "Invalid email action link type requested");
    }
    let passwordHash: string | null = null;
    if (type === "signup") {
      const password = str(body.password);
      if (!password) throw badRequest("validation_failed", "Signup requires a valid password");
      checkPasswordStrength(password);
      passwordHash = await bcrypt.hash(password, BCRYPT_COST);
    }
    const result = await inTx(async (client) => {
      let user = await findUserByEmail(client, email, AUD);
      if (type === "signup") {
        if (user?.email_confirmed_at) {
          throw unprocessable("email_exists", "A user with this email address has already been registered");
        }
        if (!user) {
          const data = isPlainObject(body.data) ? body.data : {};
          const id = randomUUID();
          user = await insertEmailUser(client, {
            id,
            email,
            passwordHash,
            userMetadata: { ...data, sub: id, email, email_verified: false, phone_verified: false },
            confirmed: false,
          });
        }
      } else if (!user) {
        throw notFound("user_not_found", "User with this email not found");
      }
      const otp = newOtp();
      const hash = tokenHash(email, otp);
      const column: TokenColumn = type === "signup" ? "confirmation_token" : "recovery_token";
      const sentAt = type === "signup" ? "confirmation_sent_at" : "recovery_sent_at";
      await client.query(`update auth.users set ${column} = $2, ${sentAt} = now(), updated_at = now() where id = $1`, [
        user.id,
        hash,
      ]);
      await upsertOneTimeToken(client, user.id, column, hash, email);
      const fresh = (await findUserById(client, user.id))!;
      return {
        ...userJson(fresh, await findIdentities(client, fresh.id)),
        action_link: verifyLink(config.publicUrl, hash, type, redirectTo),
        email_otp: otp,
        hashed_token: hash,
        verification_type: type,
        redirect_to: redirectTo,
      };
    });
    sendJson(res, 200, result);
  }

  // --- routing -------------------------------------------------------------------

  async function route(req: IncomingMessage, res: ServerResponse, url: URL, path: string): Promise<void> {
    const method = req.method ?? "GET";
    switch (`${method} ${path}`) {
      case "GET /health":
        return sendJson(res, 200, {
          version: "local",
          name: "GoTrue",
          description: "GoTrue is a user registration and authentication API",
        });
      case "GET /settings":
        return settings(res);
      case "GET /.well-known/jwks.json":
        return sendJson(res, 200, { keys: [] });
      case "POST /signup":
        return signup(req, res, url);
      case "POST /token":
        return token(req, res, url);
      case "GET /user": {
        const auth = await authenticate(req);
        return sendJson(res, 200, userJson(auth.user, await findIdentities(pool, auth.user.id)));
      }
      case "PUT /user":
        return updateUser(req, res, url);
      case "POST /logout":
        return logout(req, res, url);
      case "POST /recover":
        return recover(req, res, url);
      case "POST /resend":
        return resend(req, res, url);
      case "GET /verify":
        return verifyGet(req, res, url);
      case "POST /verify":
        return verifyPost(req, res);
    }
    if (path === "/admin" || path.startsWith("/admin/")) {
      await requireAdmin(req);
      if (path === "/admin/users") {
        if (method === "GET") return adminListUsers(res, url);
        if (method === "POST") return adminCreateUser(req, res);
      }
      const match = /^\/admin\/users\/([^/]+)$/.exec(path);
      if (match) {
        const id = decodeURIComponent(match[1]!);
        if (method === "GET") {
          const user = await loadAdminTarget(id);
          return sendJson(res, 200, userJson(user, await findIdentities(pool, user.id)));
        }
        if (method === "PUT") return adminUpdateUser(req, res, id);
        if (method === "DELETE") return adminDeleteUser(req, res, id);
      }
      const factors = /^\/admin\/users\/([^/]+)\/factors$/.exec(path);
      if (factors && method === "GET") {
        await loadAdminTarget(decodeURIComponent(factors[1]!));
        return sendJson(res, 200, []);
      }
      if (path === "/admin/generate_link" && method === "POST") return adminGenerateLink(req, res, url);
    }
    throw notFound("not_found", "Not Found");
  }

  return {
    name: "auth",
    http: async (req, res, url) => {
      if (url.pathname !== PREFIX && !url.pathname.startsWith(`${PREFIX}/`)) return false;
      const path = url.pathname.slice(PREFIX.length).replace(/\/+$/, "") || "/";
      try {
        await route(req, res, url, path);
      } catch (error) {
        if (res.headersSent) throw error;
        if (error instanceof AuthHttpError || error instanceof OAuthError) {
          sendError(req, res, error);
        } else {
          log(`[auth] unexpected error on ${req.method} ${url.pathname}: ${error instanceof Error ? error.stack : String(error)}`);
          sendError(req, res, internal("Unexpected failure, please check server logs for more information"));
        }
      }
      return true;
    },
  };
}
