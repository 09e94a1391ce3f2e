// Signing out: POST only (a link could be triggered by another site's image
// tag). scope=local ends this device's session, scope=global every session.
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { parseForm } from "~/lib/forms.ts";
import { handleAction, handleLoader } from "~/lib/route-handler.server.ts";
import { getRequestAuth } from "~/lib/session.server.ts";
import { signOut } from "~/models/auth.server.ts";
import { signOutSchema } from "~/schemas/auth.ts";

export const loader = (args: LoaderFunctionArgs) => handleLoader(args, async () => redirect("/"));

export const action = (args: ActionFunctionArgs) =>
  handleAction(args, async ({ request }) => {
    const parsed = parseForm(await request.formData(), signOutSchema);
    const scope = parsed.success ? parsed.data.scope : "local";
    const { supabase, claims } = await getRequestAuth(request);
    if (claims) await signOut(supabase, scope);
    return redirect(`/login?notice=${scope === "global" ? "signed-out-everywhere" : "signed-out"}`);
  });
