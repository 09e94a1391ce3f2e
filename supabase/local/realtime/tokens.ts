// Realtime's own JWT checks and their error texts (the client shows them).
import { decodeJwt } from "jose";
import { verifyJwt, type SupabaseClaims } from "../jwt.ts";

const API_ROLES = new Set(["anon", "authenticated", "service_role"]);

export type TokenCheck = { ok: true; claims: SupabaseClaims; role: string } | { ok: false; code: string; message: string };

export async function checkToken(jwtSecret: string, token: string): Promise<TokenCheck> {
  const result = await verifyJwt(jwtSecret, token);
  const required = { ok: false, code: "InvalidJWTToken", message: "Fields `role` and `exp` are required in JWT" } as const;
  if (!result.ok) {
    let decoded: SupabaseClaims;
    try {
      decoded = decodeJwt(token) as SupabaseClaims;
    } catch {
      return { ok: false, code: "MalformedJWT", message: "The token provided is not a valid JWT" };
    }
    if (typeof decoded.exp !== "number" || typeof decoded.role !== "string") return required;
    if (result.reason === "expired") {
      const ago = Math.max(0, Math.floor(Date.now() / 1000) - decoded.exp);
      return { ok: false, code: "InvalidJWTToken", message: `Token has expired ${ago} seconds ago` };
    }
    return { ok: false, code: "JwtSignatureError", message: "Failed to validate JWT signature" };
  }
  const claims = result.claims;
  if (typeof claims.role !== "string" || typeof claims.exp !== "number") return required;
  if (!API_ROLES.has(claims.role)) {
    return { ok: false, code: "InvalidJWTToken", message: `Role "${claims.role}" is not allowed` };
  }
  return { ok: true, claims, role: claims.role };
}
