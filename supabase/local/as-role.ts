// Supabase's services run SQL as the caller's role and claims; the local
// services share the app's implementation of that transaction.
export { withRlsTransaction as withClaims } from "../../app/lib/db.server.ts";
