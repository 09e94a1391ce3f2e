// The full-size viewer: a Radix dialog (focus kept inside, Escape closes,
// focus returns to the thumbnail) showing one screenshot at a time, with the
// previous/next buttons (and ← →), its caption editor and delete.
import * as Dialog from "@radix-ui/react-dialog";
import { useFetcher } from "@remix-run/react";
import { useEffect, useState, type KeyboardEvent } from "react";
import { MAX_CAPTION_LENGTH } from "~/domain/images/screenshot-rules.ts";
import type { ScreenshotActionResult, ScreenshotView } from "~/models/screenshots.types.ts";

interface ViewerProps {
  screenshots: ScreenshotView[];
  index: number | null;
  onIndexChange: (index: number | null) => void;
  /** Where focus goes back to on close (the thumbnail that opened it; no Dialog.Trigger here). */
  returnFocus: () => HTMLElement | null;
}

export function ScreenshotViewer({ screenshots, index, onIndexChange, returnFocus }: ViewerProps) {
  const shot = index === null ? undefined : screenshots[index];
  const open = index !== null && shot !== undefined;
  const count = screenshots.length;
  const step = (delta: number) => {
    if (index === null || count < 2) return;
    onIndexChange((index + delta + count) % count);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement;
    if (typing) return;
    if (event.key === "ArrowLeft") step(-1);
    if (event.key === "ArrowRight") step(1);
  };

  return (
    <Dialog.Root open={open} onOpenChange={(next) => (next ? null : onIndexChange(null))}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/80" />
        <Dialog.Content
          onKeyDown={onKeyDown}
          onCloseAutoFocus={(event) => {
            const target = returnFocus();
            if (!target?.isConnected) return;
            event.preventDefault();
            target.focus();
          }}
          className="fixed inset-2 z-50 flex flex-col gap-3 overflow-y-auto rounded-lg border border-border bg-surface p-3 shadow-2xl sm:inset-6 sm:p-5"
        >
          {shot && index !== null ? (
            <>
              <div className="flex items-start justify-between gap-3">
                <div className="min-w-0">
                  <Dialog.Title className="text-base font-semibold text-fg">
                    Screenshot {index + 1} of {count}
                  </Dialog.Title>
                  <Dialog.Description className="text-xs text-fg-muted">
                    {shot.width} × {shot.height} px · {formatBytes(shot.bytes)}
                  </Dialog.Description>
                </div>
                <Dialog.Close className="btn-secondary shrink-0" aria-label="Close the viewer">
                  Close
                </Dialog.Close>
              </div>
              <div className="relative flex min-h-[12rem] flex-1 items-center justify-center rounded-md bg-bg">
                {shot.url ? (
                  <img
                    src={shot.url}
                    alt={shot.caption ?? `Screenshot ${index + 1}`}
                    data-testid="screenshot-full"
                    className="max-h-[65vh] max-w-full object-contain"
                  />
                ) : (
                  <p className="p-6 text-sm text-fg-muted">This image could not be loaded just now. Close the viewer and open it again.</p>
                )}
              </div>
              <div className="flex flex-wrap items-center justify-between gap-2">
                <div className="flex gap-2">
                  <button type="button" className="btn-secondary" onClick={() => step(-1)} disabled={count < 2} aria-label="Previous screenshot">
                    ← Previous
                  </button>
                  <button type="button" className="btn-secondary" onClick={() => step(1)} disabled={count < 2} aria-label="Next screenshot">
                    Next →
                  </button>
                </div>
                <DeleteScreenshot
                  key={`delete-${shot.id}`}
                  id={shot.id}
                  onDeleted={() => onIndexChange(count > 1 ? Math.min(index, count - 2) : null)}
                />
              </div>
              <CaptionForm key={`caption-${shot.id}`} shot={shot} />
            </>
          ) : null}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function CaptionForm({ shot }: { shot: ScreenshotView }) {
  const fetcher = useFetcher<ScreenshotActionResult>();
  const [caption, setCaption] = useState(shot.caption ?? "");
  const saving = fetcher.state !== "idle";
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  const changed = caption.trim() !== (shot.caption ?? "");
  const inputId = `caption-${shot.id}`;
  return (
    <fetcher.Form method="post" action={`/screenshots/${shot.id}`} className="flex flex-col gap-2 sm:flex-row sm:items-end">
      <input type="hidden" name="intent" value="caption" />
      <div className="flex-1">
        <label htmlFor={inputId} className="mb-1 block text-xs font-medium text-fg-muted">
          Caption
        </label>
        <input
          id={inputId}
          name="caption"
          className="input w-full"
          value={caption}
          maxLength={MAX_CAPTION_LENGTH}
          placeholder="What does this show? e.g. entry on the 15-minute retest"
          onChange={(event) => setCaption(event.target.value)}
        />
      </div>
      <button type="submit" className="btn-primary" disabled={saving || !changed}>
        {saving ? "Saving…" : "Save caption"}
      </button>
      <p role="status" className="min-h-[1rem] text-xs sm:sr-only">
        {answer ? (answer.ok ? (answer.message ?? "Saved.") : answer.message) : ""}
      </p>
    </fetcher.Form>
  );
}

function DeleteScreenshot({ id, onDeleted }: { id: string; onDeleted: () => void }) {
  const fetcher = useFetcher<ScreenshotActionResult>();
  const [confirming, setConfirming] = useState(false);
  const deleting = fetcher.state !== "idle";
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (answer?.ok) onDeleted();
    // onDeleted changes every render; the answer is what matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [answer]);
  if (!confirming) {
    return (
      <button type="button" className="btn-danger" onClick={() => setConfirming(true)}>
        Delete
      </button>
    );
  }
  return (
    <fetcher.Form method="post" action={`/screenshots/${id}`} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="intent" value="delete" />
      <span className="text-sm text-fg">Delete this screenshot?</span>
      <button type="submit" className="btn-danger" disabled={deleting} autoFocus>
        {deleting ? "Deleting…" : "Yes, delete"}
      </button>
      <button type="button" className="btn-secondary" onClick={() => setConfirming(false)}>
        Keep it
      </button>
      {answer && !answer.ok ? (
        <span role="alert" className="w-full text-xs text-loss">
          {answer.message}
        </span>
      ) : null}
    </fetcher.Form>
  );
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
