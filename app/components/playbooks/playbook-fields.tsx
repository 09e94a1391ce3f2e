// The name and description fields of a playbook, shared by its create form
// (/playbooks) and its edit form (/playbooks/$id).
import { useId } from "react";
import { Field, FieldError } from "~/components/forms/field.tsx";
import { PLAYBOOK_DESCRIPTION_MAX, PLAYBOOK_NAME_MAX } from "~/schemas/playbooks.ts";

interface PlaybookFieldsProps {
  name?: string;
  description?: string | null;
  error: (field: string) => string | undefined;
  clearFieldError: (field: string) => void;
}

export function PlaybookFields({ name, description, error, clearFieldError }: PlaybookFieldsProps) {
  const id = useId();
  const descriptionError = error("description");
  return (
    <>
      <Field
        label="Name"
        name="name"
        required
        maxLength={PLAYBOOK_NAME_MAX}
        autoComplete="off"
        placeholder="London breakout"
        defaultValue={name ?? ""}
        error={error("name")}
        onChange={() => clearFieldError("name")}
      />
      <div>
        <label htmlFor={`${id}-description`} className="block text-sm font-medium text-fg">
          Description <span className="font-normal text-fg-muted">(optional)</span>
        </label>
        <textarea
          id={`${id}-description`}
          name="description"
          rows={3}
          maxLength={PLAYBOOK_DESCRIPTION_MAX}
          defaultValue={description ?? ""}
          placeholder="When it applies, what the entry looks like."
          aria-invalid={descriptionError ? true : undefined}
          aria-describedby={descriptionError ? `${id}-description-error` : undefined}
          className="input mt-1"
        />
        <FieldError id={`${id}-description-error`} message={descriptionError} />
      </div>
    </>
  );
}
