// The emailed-token flows shared by several routes: a fresh confirmation or
// recovery token and its email, GoTrue's secure (two-address) email change,
// and applying a confirmed email change.
import type pg from "pg";
import type { AuthEnv } from "./env.ts";
import { sendAuthEmail } from "./mailer.ts";
import type { UserRow } from "./users.ts";
import { clearOneTimeTokens, newOtp, PKCE_PREFIX, tokenHash, upsertOneTimeToken, type TokenColumn } from "./verify.ts";

/** Stores a fresh email token for the user; returns it with its OTP. */
export async function storeEmailToken(
  client: pg.PoolClient,
  user: UserRow,
  kind: "signup" | "recovery" | "magiclink",
  pkce: boolean,
): Promise<{ otp: string; hash: string }> {
  const email = user.email ?? "";
  const otp = newOtp();
  const hash = (pkce ? PKCE_PREFIX : "") + tokenHash(email, otp);
  const column: TokenColumn = kind === "signup" ? "confirmation_token" : "recovery_token";
  const sentAt = kind === "signup" ? "confirmation_sent_at" : "recovery_sent_at";
  await client.query(`update auth.users set ${column} = $2, ${sentAt} = now(), updated_at = now() where id = $1`, [user.id, hash]);
  await upsertOneTimeToken(client, user.id, column, hash, email);
  return { otp, hash };
}

/** Stores a fresh email token for the user and sends its email. */
export async function sendTokenEmail(
  env: AuthEnv,
  client: pg.PoolClient,
  user: UserRow,
  kind: "signup" | "recovery",
  pkce: boolean,
  redirectTo: string,
): Promise<void> {
  const { otp, hash } = await storeEmailToken(client, user, kind, pkce);
  await sendAuthEmail(client, env.mail, { kind, to: user.email ?? "", tokenHash: hash, otp, redirectTo });
}

/** Secure email change: a link to the new address and one to the current one. */
export async function sendEmailChange(
  env: AuthEnv,
  client: pg.PoolClient,
  user: UserRow,
  newEmail: string,
  pkce: boolean,
  redirectTo: string,
): Promise<void> {
  const current = user.email ?? "";
  const prefix = pkce ? PKCE_PREFIX : "";
  const otpNew = newOtp();
  const otpCurrent = newOtp();
  const hashNew = prefix + tokenHash(newEmail, otpNew);
  const hashCurrent = current ? prefix + tokenHash(current, otpCurrent) : "";
  await client.query(
    `update auth.users
        set email_change = $2, email_change_token_new = $3, email_change_token_current = $4,
            email_change_sent_at = now(), email_change_confirm_status = 0, updated_at = now()
      where id = $1`,
    [user.id, newEmail, hashNew, hashCurrent],
  );
  const mail = { kind: "email_change" as const, redirectTo, email: current, newEmail };
  await upsertOneTimeToken(client, user.id, "email_change_token_new", hashNew, newEmail);
  await sendAuthEmail(client, env.mail, { ...mail, to: newEmail, tokenHash: hashNew, otp: otpNew });
  if (!current) return;
  await upsertOneTimeToken(client, user.id, "email_change_token_current", hashCurrent, current);
  await sendAuthEmail(client, env.mail, { ...mail, to: current, tokenHash: hashCurrent, otp: otpCurrent });
}

/** Completes an email change (GoTrue's ConfirmEmailChange). */
export async function applyEmailChange(client: pg.PoolClient, user: UserRow, newEmail: string): Promise<void> {
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
