// Pages for signed-out visitors. Someone already signed in is sent on to
// where they were going (or the dashboard).
import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { AuthLayout } from "~/components/auth-layout.tsx";
import { handleLoader } from "~/lib/route-handler.server.ts";
import { noindexHandle, noindexHeaders } from "~/lib/seo-meta.ts";
import { requireAnonymous } from "~/lib/session.server.ts";

// Sign-in, sign-up and reset forms are no search result (crawlable, so the noindex is read).
export const handle = noindexHandle;
export const headers: HeadersFunction = noindexHeaders;

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => {
    await requireAnonymous(request);
    return null;
  });

export default function AuthPages() {
  return (
    <AuthLayout>
      <Outlet />
    </AuthLayout>
  );
}
