// A field people never see or fill in; form-filling bots usually do. The
// action refuses a submission that has it filled (see lib/honeypot.ts).
import { useId } from "react";
import { HONEYPOT_FIELD } from "~/lib/honeypot.ts";

export function Honeypot() {
  const id = `${HONEYPOT_FIELD}-${useId()}`;
  return (
    <div aria-hidden="true" className="absolute -left-[9999px] h-px w-px overflow-hidden">
      <label htmlFor={id}>Leave this field empty</label>
      <input id={id} name={HONEYPOT_FIELD} type="text" tabIndex={-1} autoComplete="off" defaultValue="" />
    </div>
  );
}
