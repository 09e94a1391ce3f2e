// HS256 JWTs as GoTrue issues them and as Realtime/Storage verify them.
import { jwtVerify, SignJWT, type JWTPayload } from "jose";

export interface SupabaseClaims extends JWTPayload {
  role?: string;
  sub?: string;
  email?: string;
  session_id?: string;
  [key: string]: unknown;
}

const encoder = new TextEncoder();

export async function signJwt(secret: string, claims: SupabaseClaims): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(encoder.encode(secret));
}

export type VerifyResult = { ok: true; claims: SupabaseClaims } | { ok: false; reason: "expired" | "invalid" };

/** Verifies signature and expiry; `exp` is required as in Supabase's services. */
export async function verifyJwt(secret: string, token: string): Promise<VerifyResult> {
  try {
    const { payload } = await jwtVerify(token, encoder.encode(secret), {
      algorithms: ["HS256"],
      requiredClaims: ["exp"],
    });
    return { ok: true, claims: payload as SupabaseClaims };
  } catch (error) {
    const code = (error as { code?: string }).code;
    return { ok: false, reason: code === "ERR_JWT_EXPIRED" ? "expired" : "invalid" };
  }
}

export function bearerToken(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value ? /^Bearer\s+(.+)$/i.exec(value.trim()) : null;
  return match ? match[1]!.trim() : null;
}
