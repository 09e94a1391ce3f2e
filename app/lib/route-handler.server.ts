// The boundary every loader and action goes through:
//  - session cookies refreshed or cleared while handling the request are put
//    on whatever the handler returns or throws (data, redirect, error);
//  - actions refuse cross-site requests (origin check) before doing anything,
//    then count against the shared rate limits (a 429 page when over);
//  - the request's database transaction (requireUserDb) commits or rolls back
//    before the answer leaves, by the rule in ./request-scope.server.ts;
//  - an AppError becomes a response here and nowhere else: a form error with
//    its status for actions, an error page for loaders;
//  - the signed-in user's id goes on the request's log line
//    (./request-logging.server.ts), if the handler read the session.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { AppError, isAppError } from "./app-error.ts";
import { env } from "./env.server.ts";
import type { FormResult } from "./form-result.ts";
import { isSameSiteRequest, originFacts } from "./origin-check.ts";
import { retryAfterHeaders } from "./rate-limit.ts";
import { refuseActionOverLimit } from "./rate-limit.server.ts";
import { requestLogFactsIn } from "./request-logging.server.ts";
import { withRequestDbScope } from "./request-scope.server.ts";
import { getRequestAuth, knownUserId, pendingAuthHeaders } from "./session.server.ts";

type DataWithInit<T> = ReturnType<typeof data<T>>;

function isDataWithInit(value: unknown): value is DataWithInit<unknown> {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === "DataWithResponseInit";
}

function mergeInto(target: Headers, extra: Headers): void {
  for (const cookie of extra.getSetCookie()) target.append("Set-Cookie", cookie);
  extra.forEach((value, key) => {
    if (key !== "set-cookie") target.set(key, value);
  });
}

async function withSessionHeaders<T>(request: Request, value: T): Promise<T> {
  const extra = await pendingAuthHeaders(request);
  if (!extra || [...extra.keys()].length === 0) return value;
  if (value instanceof Response) {
    try {
      mergeInto(value.headers, extra);
      return value;
    } catch {
      // Immutable headers (a fetched response): copy it.
      const headers = new Headers(value.headers);
      mergeInto(headers, extra);
      return new Response(value.body, { status: value.status, statusText: value.statusText, headers }) as T;
    }
  }
  if (isDataWithInit(value)) {
    const headers = new Headers(value.init?.headers);
    mergeInto(headers, extra);
    value.init = { ...value.init, headers };
    return value;
  }
  return data(value, { headers: extra }) as T;
}

async function noteUserForLog({ request, context }: LoaderFunctionArgs | ActionFunctionArgs): Promise<void> {
  const facts = requestLogFactsIn(context);
  if (facts && !facts.userId) facts.userId = await knownUserId(request);
}

// Route modules call these inside an arrow function
//   export const loader = (args: LoaderFunctionArgs) => handleLoader(args, async ({ request }) => …);
// rather than `export const loader = wrap(…)`: the compiler drops an unused
// arrow function from the browser bundle, but not a top-level call.

export async function handleLoader<T>(args: LoaderFunctionArgs, load: (args: LoaderFunctionArgs) => Promise<T>): Promise<T> {
  try {
    return await withSessionHeaders(args.request, await withRequestDbScope(args.request, () => load(args)));
  } catch (error) {
    if (isAppError(error)) {
      throw await withSessionHeaders(args.request, new Response(error.message, { status: error.status, headers: retryAfterHeaders(error) }));
    }
    throw await withSessionHeaders(args.request, error);
  } finally {
    await noteUserForLog(args);
  }
}

/**
 * A write to an account kept read-only after a downgrade, refused by the
 * database (SQLSTATE RJ005, supabase/migrations/20261207130000_billing.sql),
 * whichever action made it: the database's own reason, with the upgrade hint.
 */
function readOnlyAccountRefusal(error: unknown): AppError | null {
  const pg = error as { code?: string; detail?: string } | null;
  if (pg?.code !== "RJ005") return null;
  return new AppError("forbidden", pg.detail ?? "This account is read-only on your plan. Upgrade to change it.", { hint: "upgrade", cause: error });
}

export async function handleAction<T>(
  args: ActionFunctionArgs,
  act: (args: ActionFunctionArgs) => Promise<T>,
): Promise<T | DataWithInit<FormResult>> {
  if (!isSameSiteRequest(originFacts(args.request), env.SITE_URL)) {
    throw new Response("This request did not come from RawJournal, so it was refused.", { status: 403 });
  }
  await refuseActionOverLimit(args.request, async () => (await getRequestAuth(args.request)).claims?.sub ?? null).catch(async (error: unknown) => {
    throw await withSessionHeaders(args.request, error);
  });
  try {
    return await withSessionHeaders(args.request, await withRequestDbScope(args.request, () => act(args)));
  } catch (thrown) {
    const error = readOnlyAccountRefusal(thrown) ?? thrown;
    if (isAppError(error)) {
      const failure: FormResult = { status: "error", formError: error.message, hint: error.hint, values: error.values };
      return withSessionHeaders(args.request, data(failure, { status: error.status, headers: retryAfterHeaders(error) }));
    }
    throw await withSessionHeaders(args.request, error);
  } finally {
    await noteUserForLog(args);
  }
}
