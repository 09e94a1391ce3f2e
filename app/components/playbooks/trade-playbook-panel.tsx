// The trade page's Playbook panel: link the trade to one of the user's
// playbooks and tick the rules of its checklist the entry met. Both forms
// post to their own resource route (routes/trades.$tradeId.playbook.ts).
// Without JavaScript they are plain forms with a button, answered by a
// redirect back here; with it, a change saves at once through a fetcher and
// the page's data reloads.
import { Link, useFetcher, useSearchParams } from "@remix-run/react";
import { useEffect, useId, useState } from "react";
import type { TradePlaybookPanelData } from "~/models/playbooks.types.ts";

/** What the resource route answers a fetcher with. */
export interface PlaybookPanelAnswer {
  status: "saved" | "error";
  message?: string;
}

/** Why a form without JavaScript came back (?playbook=…), in the user's words. */
export const PANEL_ERRORS: Record<string, string> = {
  gone: "That playbook or trade no longer exists. Reload the page.",
  stale: "This trade's playbook or checklist changed in the meantime; here is the current one.",
  invalid: "That choice isn't one of your playbooks or rules. Pick again.",
};

function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

export function TradePlaybookPanel({ data }: { data: TradePlaybookPanelData }) {
  const id = useId();
  const hydrated = useHydrated();
  const [params] = useSearchParams();
  const link = useFetcher<PlaybookPanelAnswer>({ key: `playbook-link-${data.tradeId}` });
  const checks = useFetcher<PlaybookPanelAnswer>({ key: `playbook-checks-${data.tradeId}` });
  const action = `/trades/${data.tradeId}/playbook`;

  // While a link is on its way, show the chosen playbook's checklist at once.
  const pendingLink = link.formData ? String(link.formData.get("playbookId") ?? "") || null : undefined;
  const linkedId = pendingLink === undefined ? data.linkedPlaybookId : pendingLink;
  const playbook = data.playbooks.find((p) => p.id === linkedId) ?? null;
  const serverChecked = linkedId === data.linkedPlaybookId ? data.checkedRuleIds : [];
  const [checked, setChecked] = useState(() => new Set(serverChecked));
  const serverKey = `${linkedId}|${[...serverChecked].sort().join(",")}`;
  useEffect(() => setChecked(new Set(serverChecked)), [serverKey]); // eslint-disable-line react-hooks/exhaustive-deps

  const ticked = playbook ? playbook.rules.filter((rule) => checked.has(rule.id)).length : 0;
  const every = playbook !== null && playbook.rules.length > 0 && ticked === playbook.rules.length;
  const problem =
    link.data?.status === "error"
      ? link.data.message
      : checks.data?.status === "error"
        ? checks.data.message
        : PANEL_ERRORS[params.get("playbook") ?? ""];
  const saving = link.state !== "idle" || checks.state !== "idle";

  function submitChecks(form: HTMLFormElement | null) {
    if (!form) return;
    const next = new Set(new FormData(form).getAll("ruleId").map(String));
    setChecked(next);
    checks.submit(form, { method: "post", action });
  }

  return (
    <section id="playbook" aria-labelledby={`${id}-heading`} className="card mt-4 p-5" data-playbook-panel>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={`${id}-heading`} className="text-sm font-semibold text-fg">
          Playbook
        </h2>
        <p className="text-xs text-fg-muted" role="status" aria-live="polite">
          {saving ? "Saving…" : params.get("playbook") === "saved" || link.data?.status === "saved" || checks.data?.status === "saved" ? "Saved" : ""}
        </p>
      </div>
      <p className="mt-0.5 text-xs text-fg-muted">The setup this trade followed, and which of its entry rules it met.</p>
      {problem ? (
        <p role="alert" className="mt-3 rounded-md border border-red-500/40 bg-red-500/10 px-3 py-2 text-sm text-red-300">
          {problem}
        </p>
      ) : null}

      {data.playbooks.length === 0 ? (
        <p className="mt-3 text-sm text-fg-muted">
          No playbooks yet.{" "}
          <Link to="/playbooks" className="link">
            Create one
          </Link>{" "}
          with its checklist, then link this trade to it here.
        </p>
      ) : (
        <>
          <link.Form method="post" action={action} className="mt-3 flex flex-wrap items-end gap-2">
            <input type="hidden" name="intent" value="link" />
            {hydrated ? <input type="hidden" name="answer" value="json" /> : null}
            <div className="min-w-[12rem] flex-1">
              <label htmlFor={`${id}-playbook`} className="block text-xs font-medium text-fg-muted">
                Playbook
              </label>
              <select
                id={`${id}-playbook`}
                name="playbookId"
                defaultValue={data.linkedPlaybookId ?? ""}
                key={data.linkedPlaybookId ?? "none"}
                className="input mt-1 py-1.5"
                onChange={(event) => link.submit(event.currentTarget.form, { method: "post", action })}
              >
                <option value="">None</option>
                {data.playbooks.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </div>
            {hydrated ? null : (
              <button type="submit" className="btn-secondary py-1.5">
                Link
              </button>
            )}
          </link.Form>

          {playbook ? (
            <checks.Form
              key={playbook.id}
              method="post"
              action={action}
              className="mt-4"
              onSubmit={(event) => {
                event.preventDefault();
                submitChecks(event.currentTarget);
              }}
            >
              <input type="hidden" name="intent" value="checks" />
              <input type="hidden" name="playbookId" value={playbook.id} />
              {hydrated ? <input type="hidden" name="answer" value="json" /> : null}
              {playbook.rules.length ? (
                <fieldset>
                  <legend className="text-xs font-medium text-fg-muted">Checklist — tick the rules this entry met</legend>
                  <ul className="mt-2 space-y-1">
                    {playbook.rules.map((rule) => (
                      <li key={rule.id}>
                        <label className="flex cursor-pointer items-start gap-2 rounded-md px-1 py-1 text-sm text-fg hover:bg-raised">
                          <input
                            type="checkbox"
                            name="ruleId"
                            value={rule.id}
                            checked={checked.has(rule.id)}
                            // Until a just-chosen playbook is saved, its answer would reset the ticks to the server's (none).
                            disabled={link.state !== "idle"}
                            onChange={(event) => submitChecks(event.currentTarget.form)}
                            className="mt-0.5 h-4 w-4 shrink-0 accent-indigo-500"
                          />
                          <span className="min-w-0 break-words">{rule.text}</span>
                        </label>
                      </li>
                    ))}
                  </ul>
                  <p className={`mt-2 text-xs ${every ? "text-green-400" : "text-fg-muted"}`} data-rule-count>
                    {every ? "Every rule followed." : `${ticked} of ${playbook.rules.length} rules ticked.`}
                  </p>
                </fieldset>
              ) : (
                <p className="text-sm text-fg-muted">This playbook has no rules yet.</p>
              )}
              <div className="mt-3 flex flex-wrap items-center justify-between gap-2">
                {hydrated || playbook.rules.length === 0 ? (
                  <span />
                ) : (
                  <button type="submit" className="btn-secondary py-1.5">
                    Save checklist
                  </button>
                )}
                <Link to={`/playbooks/${playbook.id}`} className="link text-sm">
                  {playbook.name}&apos;s figures →
                </Link>
              </div>
            </checks.Form>
          ) : null}
        </>
      )}
    </section>
  );
}
