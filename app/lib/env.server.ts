// The server's configuration, checked once when the server build is loaded so
// a missing or malformed variable stops the boot with a message naming it,
// instead of failing on the first request that needs it.
import { parseEnv, type Env } from "./env-schema.ts";

export type { Env };

export const env: Env = parseEnv(process.env);
