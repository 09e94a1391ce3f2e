// GoTrue-compatible Auth service of the local Supabase server (/auth/v1).
// Same tables, JWT claims, error codes and email-link flows as supabase/auth,
// for the subset the app and supabase-js use: email + password, PKCE and
// implicit email links, sessions with rotating refresh tokens, admin users.
// Emails go to the local outbox (see ../mail). Never logs secrets. Each route
// lives in routes/; this file sets up and dispatches.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { LocalService, LocalSupabaseConfig, ServiceContext } from "../context.ts";
import { ensureOutbox } from "../mail/outbox.ts";
import type { AuthEnv, LocalAuthOptions } from "./env.ts";
import { createTokenBucketLimiter } from "./rate-limit.ts";
import { AuthHttpError, internal, notFound, OAuthError, sendError, sendJson } from "./http.ts";
import { admin } from "./routes/admin.ts";
import { recover, resend } from "./routes/recover.ts";
import { signup } from "./routes/signup.ts";
import { token } from "./routes/token.ts";
import { getUser, logout, updateUser } from "./routes/user.ts";
import { verifyLinkRoute, verifyOtpRoute } from "./routes/verify.ts";
import { AMR_TABLE_SQL } from "./sessions.ts";

export type { LocalAuthOptions } from "./env.ts";

const PREFIX = "/auth/v1";

type Route = (env: AuthEnv, req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

const ROUTES: Record<string, Route> = {
  "GET /settings": async (env, _req, res) =>
    sendJson(res, 200, {
      external: { email: true, phone: false, anonymous_users: false },
      disable_signup: false,
      mailer_autoconfirm: env.config.autoconfirm,
      phone_autoconfirm: false,
      sms_provider: "",
      saml_enabled: false,
    }),
  "GET /.well-known/jwks.json": async (_env, _req, res) => sendJson(res, 200, { keys: [] }), // HS256: no public keys
  "POST /signup": signup,
  "POST /token": token,
  "GET /user": getUser,
  "PUT /user": updateUser,
  "POST /logout": logout,
  "POST /recover": recover,
  "POST /resend": resend,
  "GET /verify": verifyLinkRoute,
  "POST /verify": verifyOtpRoute,
};

export async function authService(ctx: ServiceContext): Promise<LocalService> {
  const config = ctx.config as LocalSupabaseConfig & LocalAuthOptions;
  const env: AuthEnv = {
    pool: ctx.pool,
    log: ctx.log,
    config,
    jwtSecret: ctx.keys.jwtSecret,
    tokens: {
      publicUrl: config.publicUrl,
      jwtSecret: ctx.keys.jwtSecret,
      jwtExpirySeconds: config.jwtExpirySeconds,
      refreshTokenReuseIntervalSeconds: config.refreshTokenReuseIntervalSeconds ?? 10,
    },
    mail: { publicUrl: config.publicUrl, emailRateLimitPerHour: config.emailRateLimitPerHour, log: ctx.log },
    otpExpirySeconds: config.otpExpirySeconds ?? 86400,
    passwordMinLength: config.passwordMinLength ?? 6,
    passwordGrantLimiter: createTokenBucketLimiter({ perFiveMinutes: config.rateLimitTokenPerFiveMinutes ?? 150, burst: 30 }),
  };
  // GoTrue's own bookkeeping that bootstrap.sql does not create, and the outbox.
  await ctx.pool.query(AMR_TABLE_SQL);
  await ensureOutbox(ctx.pool);

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname.slice(PREFIX.length).replace(/\/+$/, "") || "/";
    const handler = ROUTES[`${req.method ?? "GET"} ${path}`];
    if (handler) return handler(env, req, res, url);
    if (!(await admin(env, req, res, url, path))) throw notFound("not_found", "Not Found");
  }

  return {
    name: "auth",
    http: async (req, res, url) => {
      if (url.pathname !== PREFIX && !url.pathname.startsWith(`${PREFIX}/`)) return false;
      try {
        await route(req, res, url);
      } catch (error) {
        if (res.headersSent) throw error;
        if (error instanceof AuthHttpError || error instanceof OAuthError) {
          sendError(res, error);
        } else {
          ctx.log(`[auth] unexpected error on ${req.method} ${url.pathname}: ${error instanceof Error ? error.stack : String(error)}`);
          sendError(res, internal("Unexpected failure, please check server logs for more information"));
        }
      }
      return true;
    },
  };
}
