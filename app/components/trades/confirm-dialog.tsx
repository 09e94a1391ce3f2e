// A confirmation for destructive actions. The trigger is a real link or submit
// button, so without JavaScript the page's own confirmation step runs; with
// JavaScript the click opens this dialog instead, and its confirm button
// submits the given form (by id, as the dialog renders outside it). The page
// closes it when the submission lands (the location changes).
import * as Dialog from "@radix-ui/react-dialog";
import type { ReactNode } from "react";

interface ConfirmDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  /** The form the confirm button submits. */
  form: string;
  /** Extra name/value the confirm button sends (e.g. confirmed=yes). */
  name: string;
  value: string;
}

export function ConfirmDialog({ open, onOpenChange, title, description, confirmLabel, form, name, value }: ConfirmDialogProps) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/60" />
        <Dialog.Content className="fixed left-1/2 top-1/2 z-50 w-[calc(100%-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-lg border border-border bg-surface p-6 shadow-2xl">
          <Dialog.Title className="text-base font-semibold text-fg">{title}</Dialog.Title>
          <Dialog.Description className="mt-2 text-sm text-fg-muted">{description}</Dialog.Description>
          <div className="mt-6 flex flex-wrap justify-end gap-3">
            <Dialog.Close className="btn-secondary">Cancel</Dialog.Close>
            <button type="submit" form={form} name={name} value={value} className="btn-danger">
              {confirmLabel}
            </button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
