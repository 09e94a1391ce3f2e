// The trade page's Playbook panel posts here: intent=link (which playbook
// the trade follows, or none) and intent=checks (its ticked rules). A
// fetcher (JavaScript) sends answer=json and gets JSON back; a plain form
// gets a redirect to the trade page, with ?playbook=saved or the reason it
// was refused.
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import type { PlaybookPanelAnswer } from "~/components/playbooks/trade-playbook-panel.tsx";
import { isAppError, type AppErrorCode } from "~/lib/app-error.ts";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleAction } from "~/lib/route-handler.server.ts";
import { linkTradePlaybook, setRuleChecks } from "~/models/playbooks.server.ts";
import { linkPlaybookSchema, ruleChecksSchema, ruleChecksValues } from "~/schemas/playbooks.ts";

const NO_STORE = { "Cache-Control": "no-store" };

/** The panel's ?playbook= reason for a refusal (its words are PANEL_ERRORS). */
function reasonOf(code: AppErrorCode | "invalid"): string {
  return code === "not_found" ? "gone" : code === "conflict" ? "stale" : "invalid";
}

export const action = (args: ActionFunctionArgs) =>
  handleAction(args, async ({ request, params }) => {
    const user = await requireUserDb(request);
    const tradeId = params.tradeId ?? "";
    const formData = await request.formData();
    const json = formData.get("answer") === "json";
    const back = (outcome: string) => redirect(`/trades/${encodeURIComponent(tradeId)}?playbook=${outcome}#playbook`, { headers: NO_STORE });
    const refuse = (code: AppErrorCode | "invalid", message: string, status: number) =>
      json ? Response.json({ status: "error", message } satisfies PlaybookPanelAnswer, { status, headers: NO_STORE }) : back(reasonOf(code));

    try {
      const intent = formData.get("intent");
      if (intent === "link") {
        const parsed = linkPlaybookSchema.safeParse({ playbookId: formData.get("playbookId") ?? undefined });
        if (!parsed.success) return refuse("invalid", "Choose a playbook from the list.", 400);
        await linkTradePlaybook(user.db, user.userId, tradeId, parsed.data.playbookId);
      } else if (intent === "checks") {
        const parsed = ruleChecksSchema.safeParse(ruleChecksValues(formData));
        if (!parsed.success) return refuse("invalid", "Tick rules from the list.", 400);
        await setRuleChecks(user.db, user.userId, tradeId, parsed.data.playbookId, parsed.data.ruleIds);
      } else {
        return refuse("invalid", "That request isn't recognised. Reload the page and try again.", 400);
      }
    } catch (error) {
      if (!isAppError(error)) throw error;
      // Refused before anything was written, or by the failing statement itself.
      return refuse(error.code, error.message, error.status);
    }
    return json ? Response.json({ status: "saved" } satisfies PlaybookPanelAnswer, { headers: NO_STORE }) : back("saved");
  });
