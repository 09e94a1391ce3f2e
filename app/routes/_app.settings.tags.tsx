// Settings → Tags: the user's tags by group (setups, mistakes, emotions,
// general), each with the number of trades carrying it; create, edit (name,
// colour, group), merge into another tag, delete. Every form is a plain POST
// that works without JavaScript; a tag's forms sit in a <details> that opens
// without script too.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useId } from "react";
import { Field } from "~/components/forms/field.tsx";
import { FormAlert } from "~/components/forms/form-alert.tsx";
import { SelectField } from "~/components/forms/select-field.tsx";
import { SubmitButton } from "~/components/forms/submit-button.tsx";
import { useValidatedForm } from "~/components/forms/use-validated-form.ts";
import { useToast } from "~/components/shell/toaster.tsx";
import { AppError, isAppError } from "~/lib/app-error.ts";
import { plural } from "~/lib/format.ts";
import type { FormResult } from "~/lib/form-result.ts";
import { parseForm } from "~/lib/forms.ts";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleAction, handleLoader } from "~/lib/route-handler.server.ts";
import { createTag, deleteTag, listTags, mergeTags, updateTag } from "~/models/tags.server.ts";
import type { ManagedTag } from "~/models/tags.types.ts";
import {
  createTagSchema,
  DEFAULT_TAG_COLOR,
  deleteTagSchema,
  mergeTagSchema,
  TAG_CATEGORIES,
  TAG_CATEGORY_LABEL,
  TAG_NAME_MAX,
  updateTagSchema,
  type TagCategory,
} from "~/schemas/tags.ts";

export const meta: MetaFunction = () => [{ title: "Tags — Settings — RawJournal" }];

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => {
    const user = await requireUserDb(request);
    return { tags: await listTags(user.db, user.userId) };
  });

const done = (intent: string, message: string): FormResult => ({ status: "success", message, values: { intent } });

/** A model's refusal, answered to the form that asked (intent and tag), so only that form shows it. */
async function forTagForm<T>(intent: string, tagId: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isAppError(error)) throw error;
    throw new AppError(error.code, error.message, { cause: error, values: { ...error.values, intent, tagId } });
  }
}

export const action = (args: ActionFunctionArgs) =>
  handleAction(args, async ({ request }) => {
    const user = await requireUserDb(request);
    const formData = await request.formData();
    const intent = String(formData.get("intent") ?? "");
    const tagId = String(formData.get("tagId") ?? "");
    const invalid = (result: FormResult) => data({ ...result, values: { ...result.values, intent, tagId } }, { status: 400 });

    if (intent === "create") {
      const parsed = parseForm(formData, createTagSchema);
      if (!parsed.success) return invalid(parsed.result);
      await forTagForm(intent, "", () => createTag(user.db, user.userId, parsed.data));
      return data(done(intent, `Tag "${parsed.data.name}" created.`));
    }
    if (intent === "update") {
      const parsed = parseForm(formData, updateTagSchema);
      if (!parsed.success) return invalid(parsed.result);
      await forTagForm(intent, tagId, () => updateTag(user.db, parsed.data));
      return data(done(intent, `Tag "${parsed.data.name}" saved.`));
    }
    if (intent === "merge") {
      const parsed = parseForm(formData, mergeTagSchema);
      if (!parsed.success) return invalid(parsed.result);
      const merged = await forTagForm(intent, tagId, () => mergeTags(user.db, parsed.data.tagId, parsed.data.intoTagId));
      return data(done(intent, `"${merged.mergedName}" merged: ${plural(merged.moved, "trade")} moved to the other tag.`));
    }
    if (intent === "delete") {
      const parsed = parseForm(formData, deleteTagSchema);
      if (!parsed.success) return invalid(parsed.result);
      const name = await forTagForm(intent, tagId, () => deleteTag(user.db, parsed.data.tagId));
      return data(done(intent, `Tag "${name}" deleted.`));
    }
    const unknown: FormResult = { status: "error", formError: "That form isn't recognised. Reload the page and try again." };
    return data(unknown, { status: 400 });
  });

const CATEGORY_OPTIONS = TAG_CATEGORIES.map((category) => ({ value: category, label: TAG_CATEGORY_LABEL[category].replace(/s$/, "") }));

const CATEGORY_HINT: Record<TagCategory, string> = {
  setup: "The pattern you traded.",
  mistake: "What went wrong — the journal's mistakes list.",
  emotion: "How you felt.",
  general: "Anything else.",
};

export default function TagSettings() {
  const { tags } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { show } = useToast();
  useEffect(() => {
    if (result?.status === "success" && result.message) show(result.message);
  }, [result, show]);
  const createResult = result?.values?.intent === "create" ? result : undefined;
  const success = result?.status === "success" ? result.message : undefined;

  return (
    <div className="space-y-6">
      {success ? <FormAlert tone="success">{success}</FormAlert> : null}
      <CreateTagForm result={createResult} />
      {TAG_CATEGORIES.map((category) => (
        <TagGroup key={category} category={category} tags={tags.filter((tag) => tag.category === category)} allTags={tags} result={result} />
      ))}
    </div>
  );
}

function CreateTagForm({ result }: { result?: FormResult }) {
  const form = useValidatedForm(createTagSchema, result);
  const refill = result?.status === "error" ? result.values : undefined;
  return (
    <section aria-labelledby="new-tag-heading" className="card p-5 sm:p-6">
      <h2 id="new-tag-heading" className="text-base font-semibold text-fg">
        New tag
      </h2>
      <p className="mt-1 text-sm text-fg-muted">Tags group your trades by setup, mistake or emotion; filter the trade list and analytics by them.</p>
      {/* A success clears the fields: the form is new after each creation. */}
      <Form
        key={result?.status === "success" ? result.message : "new"}
        method="post"
        noValidate
        onSubmit={form.onSubmit}
        className="mt-4 grid gap-4 sm:grid-cols-[1fr_auto_12rem_auto] sm:items-start"
      >
        {form.formError ? (
          <div className="sm:col-span-4">
            <FormAlert tone="error">{form.formError}</FormAlert>
          </div>
        ) : null}
        <Field
          label="Name"
          name="name"
          required
          maxLength={TAG_NAME_MAX}
          autoComplete="off"
          defaultValue={refill?.name ?? ""}
          error={form.error("name")}
          onChange={() => form.clearFieldError("name")}
        />
        <ColourField defaultValue={refill?.color ?? DEFAULT_TAG_COLOR} error={form.error("color")} />
        <SelectField
          label="Group"
          name="category"
          defaultValue={refill?.category ?? "setup"}
          options={CATEGORY_OPTIONS}
          error={form.error("category")}
        />
        <div className="sm:pt-6">
          <SubmitButton intent="create" pendingLabel="Creating…" className="w-full sm:w-auto">
            Create tag
          </SubmitButton>
        </div>
      </Form>
    </section>
  );
}

function ColourField({ defaultValue, error }: { defaultValue: string; error?: string }) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-fg">
        Colour
      </label>
      <input
        id={id}
        type="color"
        name="color"
        defaultValue={defaultValue}
        aria-invalid={error ? true : undefined}
        className="mt-1 h-[38px] w-16 cursor-pointer rounded-md border border-border bg-bg p-1"
      />
      {error ? <p className="mt-1 text-sm text-red-400">{error}</p> : null}
    </div>
  );
}

function TagGroup({ category, tags, allTags, result }: { category: TagCategory; tags: ManagedTag[]; allTags: ManagedTag[]; result?: FormResult }) {
  const headingId = `tags-${category}-heading`;
  return (
    <section aria-labelledby={headingId} className="card p-5 sm:p-6">
      <h2 id={headingId} className="text-base font-semibold text-fg">
        {TAG_CATEGORY_LABEL[category]} <span className="text-sm font-normal text-fg-muted">({tags.length})</span>
      </h2>
      <p className="mt-1 text-sm text-fg-muted">{CATEGORY_HINT[category]}</p>
      {tags.length ? (
        <ul className="mt-4 divide-y divide-border">
          {tags.map((tag) => (
            <TagRow
              key={tag.id}
              tag={tag}
              others={allTags.filter((other) => other.id !== tag.id)}
              result={result?.values?.tagId === tag.id ? result : undefined}
            />
          ))}
        </ul>
      ) : (
        <p className="mt-4 text-sm text-fg-subtle">No {TAG_CATEGORY_LABEL[category].toLowerCase()} tags yet.</p>
      )}
    </section>
  );
}

function TagRow({ tag, others, result }: { tag: ManagedTag; others: ManagedTag[]; result?: FormResult }) {
  const failed = result?.status === "error" ? result : undefined;
  return (
    <li className="py-3" data-tag={tag.name}>
      <details open={failed ? true : undefined} className="group">
        <summary className="flex cursor-pointer list-none items-center gap-3 rounded-md [&::-webkit-details-marker]:hidden">
          <span aria-hidden className="h-3 w-3 shrink-0 rounded-full" style={{ backgroundColor: tag.color }} />
          <span className="min-w-0 flex-1 truncate text-sm font-medium text-fg">{tag.name}</span>
          <span className="shrink-0 text-xs tabular-nums text-fg-muted">{plural(tag.uses, "trade")}</span>
          <span className="btn-ghost shrink-0 px-2 py-1 text-xs">
            <span className="group-open:hidden">Edit</span>
            <span className="hidden group-open:inline">Close</span>
            <span className="sr-only"> {tag.name}</span>
          </span>
        </summary>
        <div className="mt-3 space-y-4 rounded-md border border-border bg-bg/40 p-4">
          {tag.uses ? (
            <Link to={`/trades?tag=${tag.id}`} className="link text-sm">
              See its {plural(tag.uses, "trade")}
            </Link>
          ) : null}
          <EditTagForm tag={tag} result={failed?.values?.intent === "update" ? failed : undefined} />
          {others.length ? <MergeTagForm tag={tag} others={others} result={failed?.values?.intent === "merge" ? failed : undefined} /> : null}
          <DeleteTagForm tag={tag} result={failed?.values?.intent === "delete" ? failed : undefined} />
        </div>
      </details>
    </li>
  );
}

function EditTagForm({ tag, result }: { tag: ManagedTag; result?: FormResult }) {
  const form = useValidatedForm(updateTagSchema, result);
  const refill = result?.values;
  return (
    <Form
      method="post"
      noValidate
      onSubmit={form.onSubmit}
      aria-label={`Edit ${tag.name}`}
      className="grid gap-3 sm:grid-cols-[1fr_auto_10rem_auto] sm:items-start"
    >
      {form.formError ? (
        <div className="sm:col-span-4">
          <FormAlert tone="error">{form.formError}</FormAlert>
        </div>
      ) : null}
      <input type="hidden" name="tagId" value={tag.id} />
      <Field
        label="Name"
        name="name"
        required
        maxLength={TAG_NAME_MAX}
        autoComplete="off"
        defaultValue={refill?.name ?? tag.name}
        error={form.error("name")}
        onChange={() => form.clearFieldError("name")}
      />
      <ColourField defaultValue={refill?.color ?? tag.color} error={form.error("color")} />
      <SelectField
        label="Group"
        name="category"
        defaultValue={refill?.category ?? tag.category}
        options={CATEGORY_OPTIONS}
        error={form.error("category")}
      />
      <div className="sm:pt-6">
        <SubmitButton intent="update" variant="secondary" pendingLabel="Saving…" className="w-full sm:w-auto">
          Save
        </SubmitButton>
      </div>
    </Form>
  );
}

function MergeTagForm({ tag, others, result }: { tag: ManagedTag; others: ManagedTag[]; result?: FormResult }) {
  const form = useValidatedForm(mergeTagSchema, result);
  return (
    <Form
      method="post"
      noValidate
      onSubmit={form.onSubmit}
      aria-label={`Merge ${tag.name}`}
      className="grid gap-3 sm:grid-cols-[1fr_auto] sm:items-start"
    >
      {form.formError ? (
        <div className="sm:col-span-2">
          <FormAlert tone="error">{form.formError}</FormAlert>
        </div>
      ) : null}
      <input type="hidden" name="tagId" value={tag.id} />
      <SelectField
        label="Merge into"
        name="intoTagId"
        defaultValue=""
        options={[
          { value: "", label: "Choose a tag…" },
          ...others.map((other) => ({ value: other.id, label: `${other.name} (${TAG_CATEGORY_LABEL[other.category]})` })),
        ]}
        hint={`Its ${plural(tag.uses, "trade")} get the chosen tag, and "${tag.name}" is deleted.`}
        error={form.error("intoTagId")}
      />
      <div className="sm:pt-6">
        <SubmitButton intent="merge" variant="secondary" pendingLabel="Merging…" className="w-full sm:w-auto">
          Merge
        </SubmitButton>
      </div>
    </Form>
  );
}

function DeleteTagForm({ tag, result }: { tag: ManagedTag; result?: FormResult }) {
  const form = useValidatedForm(deleteTagSchema, result);
  return (
    <Form
      method="post"
      noValidate
      onSubmit={form.onSubmit}
      aria-label={`Delete ${tag.name}`}
      className="flex flex-wrap items-center justify-between gap-3"
    >
      {form.formError ? (
        <div className="w-full">
          <FormAlert tone="error">{form.formError}</FormAlert>
        </div>
      ) : null}
      <input type="hidden" name="tagId" value={tag.id} />
      <p className="text-xs text-fg-muted">
        {tag.uses ? `Deleting removes it from ${plural(tag.uses, "trade")}; the trades stay.` : "No trade carries it."}
      </p>
      <SubmitButton intent="delete" variant="danger" pendingLabel="Deleting…" className="py-1.5">
        Delete tag
      </SubmitButton>
    </Form>
  );
}
