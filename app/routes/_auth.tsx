// Pages for signed-out visitors. Someone already signed in is sent on to
// where they were going (or the dashboard).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { AuthLayout } from "~/components/auth-layout.tsx";
import { handleLoader } from "~/lib/route-handler.server.ts";
import { requireAnonymous } from "~/lib/session.server.ts";

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
