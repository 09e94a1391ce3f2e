// Client half of a form's validation: checks the form with its schema when it
// is submitted, shows the messages inline and stops the submission; the
// action's own answer (actionData) takes over once the server has spoken.
// Also refuses a second submission while one is in flight.
import { useNavigation } from "@remix-run/react";
import { useEffect, useState, type FormEvent } from "react";
import type * as z from "zod/mini";
import type { FieldErrors, FormResult } from "~/lib/form-result.ts";
import { fieldErrorsOf, formDataObject } from "~/lib/forms.ts";

export function useValidatedForm(schema: z.ZodMiniType, serverResult: FormResult | undefined) {
  const navigation = useNavigation();
  const [clientErrors, setClientErrors] = useState<FieldErrors | null>(null);

  // A fresh answer from the server replaces what the browser found.
  useEffect(() => setClientErrors(null), [serverResult]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    if (navigation.state === "submitting") {
      event.preventDefault();
      return;
    }
    const form = event.currentTarget;
    const parsed = schema.safeParse(formDataObject(new FormData(form)));
    if (parsed.success) {
      setClientErrors({});
      return;
    }
    event.preventDefault();
    const errors = fieldErrorsOf(parsed.error);
    setClientErrors(errors);
    const first = Object.keys(errors)[0];
    const field = first ? form.elements.namedItem(first) : null;
    if (field instanceof HTMLElement) field.focus();
  }

  function clearFieldError(name: string) {
    setClientErrors((current) => (current?.[name] ? { ...current, [name]: undefined } : current));
  }

  const fieldErrors = clientErrors ?? serverResult?.fieldErrors ?? {};
  return {
    onSubmit,
    fieldErrors,
    error: (name: string) => fieldErrors[name]?.[0],
    clearFieldError,
    formError: clientErrors ? undefined : serverResult?.formError,
  };
}
