// /playbooks: the user's playbooks — named setups with a checklist of entry
// rules — each with its closed trades' figures, and a form to add one.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormAlert } from "~/components/forms/form-alert.tsx";
import { SubmitButton } from "~/components/forms/submit-button.tsx";
import { useValidatedForm } from "~/components/forms/use-validated-form.ts";
import { PageHeader } from "~/components/page-header.tsx";
import { FiguresLine } from "~/components/playbooks/playbook-figures.tsx";
import { PlaybookFields } from "~/components/playbooks/playbook-fields.tsx";
import { plural } from "~/lib/format.ts";
import type { FormResult } from "~/lib/form-result.ts";
import { forForm } from "~/lib/form-intent.server.ts";
import { parseForm } from "~/lib/forms.ts";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleAction, handleLoader } from "~/lib/route-handler.server.ts";
import { createPlaybook, listPlaybooks } from "~/models/playbooks.server.ts";
import { createPlaybookSchema } from "~/schemas/playbooks.ts";

export const meta: MetaFunction = () => [{ title: "Playbooks — RawJournal" }];

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => {
    const user = await requireUserDb(request);
    return { playbooks: await listPlaybooks(user.db, user.userId) };
  });

export const action = (args: ActionFunctionArgs) =>
  handleAction(args, async ({ request }) => {
    const user = await requireUserDb(request);
    const formData = await request.formData();
    const parsed = parseForm(formData, createPlaybookSchema);
    if (!parsed.success) return data(parsed.result, { status: 400 });
    const id = await forForm("create", () => createPlaybook(user.db, user.userId, parsed.data));
    return redirect(`/playbooks/${id}?created=1`);
  });

export default function Playbooks() {
  const { playbooks } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as FormResult | undefined;
  const form = useValidatedForm(createPlaybookSchema, result);
  const refill = result?.status === "error" ? result.values : undefined;

  return (
    <>
      <PageHeader
        title="Playbooks"
        description="Your setups, each with a checklist of entry rules. Link a trade to its playbook on the trade's page and tick the rules you followed."
      />
      <div className="grid gap-6 lg:grid-cols-[1fr_22rem] lg:items-start">
        <section aria-label="Your playbooks" className="space-y-4">
          {playbooks.length === 0 ? (
            <div className="card p-6 text-sm text-fg-muted">
              No playbooks yet. Create one for the setup you trade most, with the three or four rules that make an entry valid.
            </div>
          ) : (
            playbooks.map((playbook) => (
              <article key={playbook.id} className="card p-5" data-playbook={playbook.name}>
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <h3 className="min-w-0 text-base font-semibold text-fg">
                    <Link to={`/playbooks/${playbook.id}`} className="link break-words">
                      {playbook.name}
                    </Link>
                  </h3>
                  <p className="text-xs text-fg-muted">
                    {plural(playbook.ruleCount, "rule")} · {plural(playbook.linkedTrades, "linked trade")}
                  </p>
                </div>
                {playbook.description ? <p className="mt-1 line-clamp-2 break-words text-sm text-fg-muted">{playbook.description}</p> : null}
                <div className="mt-4 space-y-3">
                  {playbook.figures.length ? (
                    playbook.figures.map((figures) => (
                      <div key={figures.currency}>
                        {playbook.figures.length > 1 ? <p className="mb-1 text-xs font-medium text-fg-muted">In {figures.currency}</p> : null}
                        <FiguresLine figures={figures} />
                      </div>
                    ))
                  ) : (
                    <p className="text-sm text-fg-subtle">No closed trades linked yet.</p>
                  )}
                </div>
              </article>
            ))
          )}
        </section>

        <section aria-labelledby="new-playbook-heading" className="card p-5">
          <h2 id="new-playbook-heading" className="text-base font-semibold text-fg">
            New playbook
          </h2>
          <Form method="post" noValidate onSubmit={form.onSubmit} className="mt-4 space-y-4">
            {form.formError ? <FormAlert tone="error">{form.formError}</FormAlert> : null}
            <PlaybookFields name={refill?.name} description={refill?.description} error={form.error} clearFieldError={form.clearFieldError} />
            <SubmitButton pendingLabel="Creating…">Create playbook</SubmitButton>
          </Form>
        </section>
      </div>
    </>
  );
}
