// Remembers whether the desktop sidebar is collapsed, then goes back.
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { handleAction, handleLoader } from "~/lib/route-handler.server.ts";
import { safeRedirect } from "~/lib/safe-redirect.ts";
import { isHttpsRequest } from "~/lib/security-headers.ts";
import { sidebarCookie } from "~/lib/sidebar-preference.ts";

export const loader = (args: LoaderFunctionArgs) => handleLoader(args, async () => redirect("/dashboard"));

export const action = (args: ActionFunctionArgs) =>
  handleAction(args, async ({ request }) => {
    const form = await request.formData();
    const collapsed = form.get("collapsed") === "true";
    return redirect(safeRedirect(form.get("redirectTo")), {
      headers: { "Set-Cookie": sidebarCookie(collapsed, isHttpsRequest(request)) },
    });
  });
