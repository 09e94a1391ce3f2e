// A submit button that knows when its own form is on its way: it is disabled
// (no double submission) and says so while the request is in flight.
import { useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";

interface SubmitButtonProps {
  children: ReactNode;
  pendingLabel: string;
  /** Which of a page's forms this button sends, when there are several. */
  intent?: string;
  variant?: "primary" | "secondary" | "danger";
  className?: string;
}

// Spelled out so Tailwind finds the class names when it scans the source.
const VARIANT_CLASS = { primary: "btn-primary", secondary: "btn-secondary", danger: "btn-danger" } as const;

export function SubmitButton({ children, pendingLabel, intent, variant = "primary", className = "" }: SubmitButtonProps) {
  const navigation = useNavigation();
  const pending = navigation.state === "submitting" && (intent === undefined || navigation.formData?.get("intent") === intent);
  return (
    <button
      type="submit"
      name={intent ? "intent" : undefined}
      value={intent}
      disabled={pending}
      aria-disabled={pending || undefined}
      className={`${VARIANT_CLASS[variant]} ${className}`}
    >
      {pending ? pendingLabel : children}
    </button>
  );
}
