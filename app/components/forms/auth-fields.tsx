// The fields the sign-in, sign-up, password reset and password change forms
// share: each wired to its form's validation (the message under the field,
// cleared as soon as the user types), with the browser's autofill hints.
import type { ComponentProps } from "react";
import { Field } from "./field.tsx";
import { FormAlert } from "./form-alert.tsx";
import type { useValidatedForm } from "./use-validated-form.ts";

type ValidatedForm = ReturnType<typeof useValidatedForm>;
type FieldProps = ComponentProps<typeof Field>;

/** A Field whose error and clearing come from `form`. */
export function ValidatedField({ validation, name, ...props }: Omit<FieldProps, "error" | "onChange"> & { validation: ValidatedForm }) {
  return <Field name={name} required error={validation.error(name)} onChange={() => validation.clearFieldError(name)} {...props} />;
}

export function EmailField({ validation, defaultValue }: { validation: ValidatedForm; defaultValue?: string }) {
  return <ValidatedField validation={validation} label="Email" name="email" type="email" autoComplete="email" defaultValue={defaultValue} />;
}

export const PASSWORD_RULE = "At least 8 characters.";

/** A password field: the current one (sign-in, change) or one being chosen now (the browser may suggest one). */
export function PasswordField({
  validation,
  chosen = false,
  ...props
}: Omit<FieldProps, "error" | "onChange" | "type" | "autoComplete"> & { validation: ValidatedForm; chosen?: boolean }) {
  return <ValidatedField validation={validation} type="password" autoComplete={chosen ? "new-password" : "current-password"} {...props} />;
}

/** The form's own error above its fields, when there is one. */
export function FormErrorAlert({ validation }: { validation: ValidatedForm }) {
  if (!validation.formError) return null;
  return (
    <div className="mb-4">
      <FormAlert tone="error">{validation.formError}</FormAlert>
    </div>
  );
}
