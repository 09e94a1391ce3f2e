// /playbooks/$playbookId: one playbook — its figures, the comparison of
// trades that followed every rule against the rest, its checklist (add,
// reorder, remove), name and description, its trades, and delete. Every form
// is a plain POST that works without JavaScript.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, isRouteErrorResponse, Link, useActionData, useLoaderData, useRouteError, useSearchParams } from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import { Field } from "~/components/forms/field.tsx";
import { FormAlert } from "~/components/forms/form-alert.tsx";
import { SubmitButton } from "~/components/forms/submit-button.tsx";
import { useValidatedForm } from "~/components/forms/use-validated-form.ts";
import { HeadlineFigures, RuleComparison } from "~/components/playbooks/playbook-figures.tsx";
import { PlaybookFields } from "~/components/playbooks/playbook-fields.tsx";
import { useToast } from "~/components/shell/toaster.tsx";
import { pnlTone } from "~/components/trades/pnl-text.tsx";
import { AppError } from "~/lib/app-error.ts";
import { formatDateTime, formatMoney, plural } from "~/lib/format.ts";
import type { FormResult } from "~/lib/form-result.ts";
import { forForm } from "~/lib/form-intent.server.ts";
import { parseForm } from "~/lib/forms.ts";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleAction, handleLoader } from "~/lib/route-handler.server.ts";
import { addRule, deletePlaybook, loadPlaybook, moveRule, removeRule, TRADE_ROWS_MAX, updatePlaybook } from "~/models/playbooks.server.ts";
import type { PlaybookDetail } from "~/models/playbooks.types.ts";
import {
  addRuleSchema,
  deletePlaybookSchema,
  moveRuleSchema,
  removeRuleSchema,
  RULE_TEXT_MAX,
  RULES_MAX,
  updatePlaybookSchema,
} from "~/schemas/playbooks.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.playbook.name} — Playbooks — RawJournal` : "Playbook — RawJournal" },
];

const MISSING = "We couldn't find that playbook. It may have been deleted.";

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request, params }) => {
    const user = await requireUserDb(request);
    const playbook = await loadPlaybook(user.db, user.userId, params.playbookId ?? "");
    if (!playbook) throw new AppError("not_found", MISSING);
    return { playbook };
  });

const done = (intent: string, message: string): FormResult => ({ status: "success", message, values: { intent } });

export const action = (args: ActionFunctionArgs) =>
  handleAction(args, async ({ request, params }) => {
    const user = await requireUserDb(request);
    const playbookId = params.playbookId ?? "";
    const formData = await request.formData();
    const intent = String(formData.get("intent") ?? "");
    const invalid = (result: FormResult) => data({ ...result, values: { ...result.values, intent } }, { status: 400 });

    if (intent === "update") {
      const parsed = parseForm(formData, updatePlaybookSchema);
      if (!parsed.success) return invalid(parsed.result);
      await forForm(intent, () => updatePlaybook(user.db, playbookId, parsed.data));
      return data(done(intent, "Playbook saved."));
    }
    if (intent === "addRule") {
      const parsed = parseForm(formData, addRuleSchema);
      if (!parsed.success) return invalid(parsed.result);
      await forForm(intent, () => addRule(user.db, user.userId, playbookId, parsed.data.text));
      return data(done(intent, "Rule added."));
    }
    if (intent === "moveRule") {
      const parsed = parseForm(formData, moveRuleSchema);
      if (!parsed.success) return invalid(parsed.result);
      await forForm("rules", () => moveRule(user.db, playbookId, parsed.data.ruleId, parsed.data.direction));
      return data({ status: "success", values: { intent: "rules" } } satisfies FormResult);
    }
    if (intent === "removeRule") {
      const parsed = parseForm(formData, removeRuleSchema);
      if (!parsed.success) return invalid(parsed.result);
      await forForm("rules", () => removeRule(user.db, playbookId, parsed.data.ruleId));
      return data(done("rules", "Rule removed. Its ticks on trades went with it."));
    }
    if (intent === "delete") {
      const parsed = parseForm(formData, deletePlaybookSchema);
      if (!parsed.success) return invalid(parsed.result);
      await forForm(intent, () => deletePlaybook(user.db, playbookId));
      return redirect("/playbooks");
    }
    const unknown: FormResult = { status: "error", formError: "That form isn't recognised. Reload the page and try again." };
    return data(unknown, { status: 400 });
  });

export default function PlaybookPage() {
  const { playbook } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as FormResult | undefined;
  const [params] = useSearchParams();
  const { show } = useToast();
  useEffect(() => {
    if (result?.status === "success" && result.message) show(result.message);
  }, [result, show]);
  const resultFor = (intent: string) => (result?.values?.intent === intent ? result : undefined);

  return (
    <>
      <Link to="/playbooks" className="link mb-4 inline-block text-sm">
        ← All playbooks
      </Link>
      <header className="mb-6">
        <h1 className="break-words text-2xl font-semibold tracking-tight text-fg">{playbook.name}</h1>
        {playbook.description ? <p className="mt-1 whitespace-pre-line break-words text-sm text-fg-muted">{playbook.description}</p> : null}
        <p className="mt-1 text-xs text-fg-subtle">
          {plural(playbook.rules.length, "rule")} · {plural(playbook.linkedTrades, "linked trade")}
        </p>
      </header>
      {params.get("created") === "1" && playbook.rules.length === 0 ? (
        <div className="mb-4">
          <FormAlert tone="success">Playbook created. Now write its checklist: the rules an entry must meet.</FormAlert>
        </div>
      ) : null}

      <div className="grid gap-4 xl:grid-cols-[1fr_24rem] xl:items-start">
        <div className="min-w-0 space-y-4">
          <Section title="Figures" description="Closed trades linked to this playbook, by the definitions of /metrics." id="figures">
            {playbook.figures.length ? (
              <div className="space-y-6">
                {playbook.figures.map((figures) => (
                  <div key={figures.currency}>
                    {playbook.figures.length > 1 ? <p className="mb-2 text-xs font-medium text-fg-muted">In {figures.currency}</p> : null}
                    <HeadlineFigures figures={figures} />
                  </div>
                ))}
              </div>
            ) : (
              <p className="text-sm text-fg-muted">No closed trades linked yet. Open a trade and choose this playbook in its Playbook panel.</p>
            )}
          </Section>

          <Section
            title="Every rule followed vs not"
            description="Trades with every rule of the checklist ticked, against those with at least one left unticked."
            id="comparison"
          >
            {playbook.figures.length ? (
              <div className="space-y-6">
                {playbook.figures.map((figures) => (
                  <div key={figures.currency}>
                    {playbook.figures.length > 1 ? <p className="mb-2 text-xs font-medium text-fg-muted">In {figures.currency}</p> : null}
                    <RuleComparison figures={figures} />
                  </div>
                ))}
              </div>
            ) : (
              <p className="text-sm text-fg-muted">The comparison appears once closed trades are linked.</p>
            )}
          </Section>

          <TradesSection playbook={playbook} />
        </div>

        <div className="min-w-0 space-y-4">
          <Checklist playbook={playbook} addResult={resultFor("addRule")} rulesResult={resultFor("rules")} />
          <DetailsForm playbook={playbook} result={resultFor("update")} />
          <DeleteForm result={resultFor("delete")} />
        </div>
      </div>
    </>
  );
}

function Checklist({ playbook, addResult, rulesResult }: { playbook: PlaybookDetail; addResult?: FormResult; rulesResult?: FormResult }) {
  const form = useValidatedForm(addRuleSchema, addResult);
  const full = playbook.rules.length >= RULES_MAX;
  return (
    <Section title="Checklist" description="The rules an entry must meet, in the order you check them." id="checklist">
      {rulesResult?.status === "error" && rulesResult.formError ? (
        <div className="mb-3">
          <FormAlert tone="error">{rulesResult.formError}</FormAlert>
        </div>
      ) : null}
      {playbook.rules.length ? (
        <ol className="space-y-2" aria-label="Rules">
          {playbook.rules.map((rule, index) => (
            <li key={rule.id} className="flex items-start gap-2 rounded-md border border-border bg-bg/40 p-2 text-sm" data-rule={rule.text}>
              <span className="w-5 shrink-0 pt-1 text-right text-xs tabular-nums text-fg-subtle">{index + 1}.</span>
              <span className="min-w-0 flex-1 break-words pt-0.5 text-fg">{rule.text}</span>
              <Form method="post" className="flex shrink-0 gap-1">
                <input type="hidden" name="ruleId" value={rule.id} />
                <input type="hidden" name="intent" value="moveRule" />
                <button
                  type="submit"
                  name="direction"
                  value="up"
                  disabled={index === 0}
                  className="btn-ghost px-2 py-1 text-xs"
                  aria-label={`Move "${rule.text}" up`}
                >
                  ↑
                </button>
                <button
                  type="submit"
                  name="direction"
                  value="down"
                  disabled={index === playbook.rules.length - 1}
                  className="btn-ghost px-2 py-1 text-xs"
                  aria-label={`Move "${rule.text}" down`}
                >
                  ↓
                </button>
              </Form>
              <Form method="post" className="shrink-0">
                <input type="hidden" name="ruleId" value={rule.id} />
                <button
                  type="submit"
                  name="intent"
                  value="removeRule"
                  className="btn-ghost px-2 py-1 text-xs text-red-300"
                  aria-label={`Remove "${rule.text}"`}
                >
                  Remove
                </button>
              </Form>
            </li>
          ))}
        </ol>
      ) : (
        <p className="text-sm text-fg-muted">No rules yet.</p>
      )}
      {full ? (
        <p className="mt-3 text-sm text-fg-muted">A checklist holds at most {RULES_MAX} rules.</p>
      ) : (
        <Form
          key={addResult?.status === "success" ? `added-${playbook.rules.length}` : "add"}
          method="post"
          noValidate
          onSubmit={form.onSubmit}
          className="mt-4 space-y-3"
        >
          {form.formError ? <FormAlert tone="error">{form.formError}</FormAlert> : null}
          <Field
            label="New rule"
            name="text"
            required
            maxLength={RULE_TEXT_MAX}
            autoComplete="off"
            placeholder="Price above the 50 EMA on H1"
            defaultValue={addResult?.status === "error" ? addResult.values?.text : undefined}
            error={form.error("text")}
            onChange={() => form.clearFieldError("text")}
          />
          <SubmitButton intent="addRule" variant="secondary" pendingLabel="Adding…">
            Add rule
          </SubmitButton>
        </Form>
      )}
    </Section>
  );
}

function DetailsForm({ playbook, result }: { playbook: PlaybookDetail; result?: FormResult }) {
  const form = useValidatedForm(updatePlaybookSchema, result);
  const refill = result?.status === "error" ? result.values : undefined;
  return (
    <Section title="Name and description" id="details">
      <Form method="post" noValidate onSubmit={form.onSubmit} className="space-y-4">
        {form.formError ? <FormAlert tone="error">{form.formError}</FormAlert> : null}
        <PlaybookFields
          name={refill?.name ?? playbook.name}
          description={refill?.description ?? playbook.description}
          error={form.error}
          clearFieldError={form.clearFieldError}
        />
        <SubmitButton intent="update" variant="secondary" pendingLabel="Saving…">
          Save
        </SubmitButton>
      </Form>
    </Section>
  );
}

function DeleteForm({ result }: { result?: FormResult }) {
  const form = useValidatedForm(deletePlaybookSchema, result);
  return (
    <Section title="Delete playbook" id="delete" danger>
      <Form method="post" noValidate onSubmit={form.onSubmit} className="space-y-3">
        {form.formError ? <FormAlert tone="error">{form.formError}</FormAlert> : null}
        <p className="text-sm text-fg-muted">Its rules and ticks are deleted; the trades stay, no longer linked.</p>
        <label className="flex items-center gap-2 text-sm text-fg">
          <input type="checkbox" name="confirm" value="yes" className="h-4 w-4 accent-red-600" />
          Yes, delete this playbook
        </label>
        {form.error("confirm") ? <p className="text-sm text-red-400">{form.error("confirm")}</p> : null}
        <SubmitButton intent="delete" variant="danger" pendingLabel="Deleting…">
          Delete playbook
        </SubmitButton>
      </Form>
    </Section>
  );
}

function TradesSection({ playbook }: { playbook: PlaybookDetail }) {
  const rules = playbook.rules.length;
  return (
    <Section
      title="Trades"
      description={
        playbook.linkedTrades > playbook.trades.length
          ? `The newest ${TRADE_ROWS_MAX} of ${playbook.linkedTrades}; the figures count them all.`
          : "Open trades are listed but counted only once closed."
      }
      id="trades"
    >
      {playbook.trades.length ? (
        <div className="relative -mx-2 overflow-x-auto">
          <table className="w-full min-w-[28rem] text-sm">
            <thead>
              <tr className="border-b border-border text-left text-xs text-fg-muted">
                <th scope="col" className="px-2 py-2 font-medium">
                  Closed
                </th>
                <th scope="col" className="px-2 py-2 font-medium">
                  Symbol
                </th>
                <th scope="col" className="px-2 py-2 text-right font-medium">
                  Net
                </th>
                <th scope="col" className="px-2 py-2 text-right font-medium">
                  Rules ticked
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-border">
              {playbook.trades.map((trade) => (
                <tr key={trade.id} data-trade-row={trade.id}>
                  <td className="whitespace-nowrap px-2 py-2 tabular-nums text-fg-muted">
                    {trade.closedAt ? formatDateTime(trade.closedAt, playbook.timeZone) : "Open"}
                  </td>
                  <td className="px-2 py-2">
                    <Link to={`/trades/${trade.id}`} className="link">
                      {trade.symbol}
                    </Link>{" "}
                    <span className="text-xs uppercase text-fg-subtle">{trade.direction}</span>
                  </td>
                  <td className={`whitespace-nowrap px-2 py-2 text-right tabular-nums ${pnlTone(trade.netProfit)}`}>
                    {formatMoney(trade.netProfit, trade.currency, { signed: true })}
                  </td>
                  <td className="whitespace-nowrap px-2 py-2 text-right tabular-nums">
                    {rules ? (
                      <span className={trade.followedEveryRule ? "text-green-400" : "text-fg-muted"}>
                        {trade.checked}/{rules}
                        {trade.followedEveryRule ? <span className="sr-only"> (every rule)</span> : null}
                      </span>
                    ) : (
                      "—"
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="text-sm text-fg-muted">No trades linked yet.</p>
      )}
    </Section>
  );
}

function Section({
  title,
  description,
  id,
  danger,
  children,
}: {
  title: string;
  description?: string;
  id: string;
  danger?: boolean;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={`${id}-heading`} className={`card p-5 ${danger ? "border-red-500/30" : ""}`}>
      <h2 id={`${id}-heading`} className={`text-sm font-semibold ${danger ? "text-red-400" : "text-fg"}`}>
        {title}
      </h2>
      {description ? <p className="mt-0.5 text-xs text-fg-muted">{description}</p> : null}
      <div className="mt-3">{children}</div>
    </section>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const missing = isRouteErrorResponse(error) && error.status === 404;
  return (
    <div className="card p-6">
      <h1 className="text-lg font-semibold text-fg">{missing ? "Playbook not found" : "This playbook couldn't be shown"}</h1>
      <p className="mt-2 text-sm text-fg-muted">
        {missing ? "It may have been deleted, or the link is mistyped." : "Something went wrong on our side. Please try again."}
      </p>
      <Link to="/playbooks" className="link mt-4 inline-block text-sm">
        Back to your playbooks
      </Link>
    </div>
  );
}
