// Verifies a Supabase access token with the project's JWT secret, in process:
// no call to the Auth server per request. The verified claims are what the
// request's transaction hands the database.
import { errors, jwtVerify } from "jose";
import type { DatabaseClaims } from "./db.server.ts";

export interface AccessClaims extends DatabaseClaims {
  role: "authenticated";
  sub: string;
  email?: string;
  session_id?: string;
  exp: number;
}

export function createAccessTokenVerifier(secret: string) {
  const key = new TextEncoder().encode(secret);
  /** The claims, or null when the token is malformed, forged, expired or not a user's. */
  return async function verifyAccessToken(token: string): Promise<AccessClaims | null> {
    try {
      const { payload } = await jwtVerify(token, key, { algorithms: ["HS256"], audience: "authenticated" });
      if (payload.role !== "authenticated" || typeof payload.sub !== "string" || typeof payload.exp !== "number") {
        return null;
      }
      return payload as AccessClaims;
    } catch (error) {
      if (error instanceof errors.JOSEError) return null;
      throw error;
    }
  };
}
