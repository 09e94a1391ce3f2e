// Screenshots on a trade or a daily review, self-contained: it loads its own
// list from /screenshots and posts to it, so any page renders it with just
//   <ScreenshotsPanel target={{ kind: "trade", tradeId }} />
//   <ScreenshotsPanel target={{ kind: "day", date: "2026-12-04" }} />
// With JavaScript: drop images on it, paste one anywhere on the page, or pick
// files; each is compressed in the browser first. Thumbnails open the viewer
// (caption, delete). Without JavaScript the same form uploads the original
// file with its Upload button and comes back to this page.
import { useFetcher, useLocation, useSearchParams } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState, type DragEvent, type FormEvent } from "react";
import { MAX_SCREENSHOTS_PER_ENTRY, REFUSAL_MESSAGE, type ScreenshotRefusal, type ScreenshotTarget } from "~/domain/images/screenshot-rules.ts";
import type { ScreenshotListAnswer, ScreenshotView } from "~/models/screenshots.types.ts";
import { targetSearch } from "~/schemas/screenshots.ts";
import { ScreenshotViewer } from "./screenshot-viewer.tsx";
import { targetFields, useScreenshotUploads } from "./use-screenshot-uploads.ts";

const ERROR_PARAM = "screenshotError";
/** Ask for fresh signed URLs this long before the old ones expire. */
const RENEW_MARGIN_MS = 30_000;

function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

function noScriptRefusal(code: string | null): string | null {
  if (!code) return null;
  if (code in REFUSAL_MESSAGE) return REFUSAL_MESSAGE[code as ScreenshotRefusal];
  if (code === "limit") return `An entry can hold ${MAX_SCREENSHOTS_PER_ENTRY} screenshots. Delete one to add another.`;
  return "That screenshot could not be uploaded. Try again.";
}

export function ScreenshotsPanel({ target, title = "Screenshots" }: { target: ScreenshotTarget; title?: string }) {
  const hydrated = useHydrated();
  const location = useLocation();
  const [params] = useSearchParams();
  const list = useFetcher<ScreenshotListAnswer>();
  const listUrl = `/screenshots?${targetSearch(target)}`;
  const { load } = list;
  const reload = useCallback(() => load(listUrl), [load, listUrl]);
  useEffect(() => reload(), [reload]);

  const answer = list.data;
  const loaded = answer && !("error" in answer) ? answer : null;
  const screenshots = useStableUrls(loaded?.screenshots ?? []);
  const remaining = loaded?.remaining ?? MAX_SCREENSHOTS_PER_ENTRY;

  // Signed URLs last minutes; a page left open asks for new ones before they lapse.
  useEffect(() => {
    if (!loaded) return;
    const wait = Math.max(5_000, new Date(loaded.urlsExpireAt).getTime() - Date.now() - RENEW_MARGIN_MS);
    const timer = setTimeout(reload, wait);
    return () => clearTimeout(timer);
  }, [loaded, reload]);

  const uploads = useScreenshotUploads(target, { remaining, onUploaded: reload });
  const [viewing, setViewing] = useState<number | null>(null);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const { upload } = uploads;

  // Paste anywhere on the page: only clipboard images, so pasting text into the notes is untouched.
  useEffect(() => {
    const onPaste = (event: ClipboardEvent) => {
      const files = Array.from(event.clipboardData?.files ?? []).filter((file) => file.type.startsWith("image/"));
      if (files.length === 0) return;
      event.preventDefault();
      upload(files);
    };
    document.addEventListener("paste", onPaste);
    return () => document.removeEventListener("paste", onPaste);
  }, [upload]);

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    upload(Array.from(event.dataTransfer.files));
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    // With JavaScript the picker uploads on change; a submit (Enter) sends what is chosen the same way.
    event.preventDefault();
    const files = Array.from(fileInput.current?.files ?? []);
    if (files.length) upload(files);
    if (fileInput.current) fileInput.current.value = "";
  };

  const headingId = `screenshots-heading-${target.kind === "trade" ? target.tradeId : target.date}`;
  const backSearch = new URLSearchParams(location.search);
  backSearch.delete(ERROR_PARAM);
  const backTo = `${location.pathname}${backSearch.size ? `?${backSearch}` : ""}`;
  const [fieldName, fieldValue] = targetFields(target);
  const serverRefusal = noScriptRefusal(params.get(ERROR_PARAM));
  const problems = [...(answer && "error" in answer ? [answer.error] : []), ...uploads.errors, ...(serverRefusal ? [serverRefusal] : [])];
  const count = screenshots.length;
  const full = remaining - uploads.pending.length <= 0 && loaded !== null;

  return (
    <section
      aria-labelledby={headingId}
      data-screenshots-panel=""
      className={`card p-5 transition-colors ${dragging ? "border-accent bg-accent-muted/20" : ""}`}
      onDragOver={(event) => {
        if (!Array.from(event.dataTransfer.types).includes("Files")) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <div className="flex items-baseline justify-between gap-3">
        <h2 id={headingId} className="text-sm font-semibold text-fg">
          {title}
        </h2>
        {loaded ? (
          <span className="text-xs tabular-nums text-fg-subtle">
            {count} of {MAX_SCREENSHOTS_PER_ENTRY}
          </span>
        ) : null}
      </div>

      {problems.length > 0 ? (
        <div role="alert" className="mt-3 space-y-1 rounded-md border border-loss/40 bg-loss/10 px-3 py-2 text-sm text-fg">
          {problems.map((problem, i) => (
            <p key={i}>{problem}</p>
          ))}
        </div>
      ) : null}

      {count > 0 || uploads.pending.length > 0 ? (
        <ul className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-3 xl:grid-cols-4" aria-label={`${title}: ${count}`}>
          {screenshots.map((shot, i) => (
            <li key={shot.id} className="min-w-0">
              <button
                type="button"
                onClick={(event) => {
                  opener.current = event.currentTarget;
                  setViewing(i);
                }}
                className="group block w-full overflow-hidden rounded-md border border-border bg-bg focus:outline-none focus-visible:ring-2 focus-visible:ring-accent"
                aria-label={`Open screenshot ${i + 1}${shot.caption ? `: ${shot.caption}` : ""}`}
                data-screenshot-thumb={shot.id}
              >
                {shot.url ? (
                  <img src={shot.url} alt="" loading="lazy" className="aspect-video w-full object-cover transition-opacity group-hover:opacity-90" />
                ) : (
                  <span className="flex aspect-video items-center justify-center text-xs text-fg-subtle">Not available</span>
                )}
              </button>
              <p className="mt-1 truncate text-xs text-fg-muted" title={shot.caption ?? undefined}>
                {shot.caption ?? <span className="text-fg-subtle">No caption</span>}
              </p>
            </li>
          ))}
          {uploads.pending.map((item) => (
            <li key={`pending-${item.key}`} className="min-w-0" aria-live="polite">
              <div className="flex aspect-video animate-pulse items-center justify-center rounded-md border border-dashed border-border bg-raised px-2 text-center text-xs text-fg-muted">
                {item.phase === "compressing" ? "Compressing…" : "Uploading…"}
              </div>
              <p className="mt-1 truncate text-xs text-fg-subtle">{item.name}</p>
            </li>
          ))}
        </ul>
      ) : loaded ? (
        <p className="mt-2 text-sm text-fg-muted">No screenshots yet.</p>
      ) : null}

      <form
        method="post"
        action={`/screenshots?redirectTo=${encodeURIComponent(backTo)}`}
        encType="multipart/form-data"
        onSubmit={onSubmit}
        className="mt-4"
      >
        <input type="hidden" name={fieldName} value={fieldValue} />
        <div className="flex flex-col gap-3 rounded-md border border-dashed border-border px-4 py-4 sm:flex-row sm:items-center sm:justify-between">
          <div className="text-sm">
            <label htmlFor={`${headingId}-file`} className="font-medium text-fg">
              {hydrated ? "Add screenshots" : "Add a screenshot"}
            </label>
            <p className="text-xs text-fg-muted">
              {hydrated
                ? full
                  ? `This entry has ${MAX_SCREENSHOTS_PER_ENTRY} screenshots, the most it can hold.`
                  : "Drop images here, paste one (Ctrl+V / ⌘V) or choose files. PNG, JPEG or WebP, up to 5 MB; shrunk before upload."
                : "PNG, JPEG or WebP, up to 5 MB."}
            </p>
            <noscript>
              <p className="text-xs text-fg-subtle">Thumbnails, captions and the viewer need JavaScript; uploads work without it.</p>
            </noscript>
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <input
              ref={fileInput}
              id={`${headingId}-file`}
              name="file"
              type="file"
              accept="image/png,image/jpeg,image/webp"
              multiple={hydrated}
              disabled={hydrated && full}
              onChange={(event) => {
                if (!hydrated) return;
                const files = Array.from(event.currentTarget.files ?? []);
                event.currentTarget.value = "";
                upload(files);
              }}
              className={
                hydrated
                  ? "sr-only"
                  : "max-w-full text-xs text-fg-muted file:mr-3 file:rounded file:border-0 file:bg-raised file:px-3 file:py-1.5 file:text-fg"
              }
            />
            {hydrated ? (
              <button type="button" className="btn-secondary" disabled={full} onClick={() => fileInput.current?.click()}>
                Choose images
              </button>
            ) : (
              <button type="submit" className="btn-primary">
                Upload
              </button>
            )}
          </div>
        </div>
      </form>

      <ScreenshotViewer
        screenshots={screenshots}
        index={viewing !== null && viewing < count ? viewing : null}
        onIndexChange={setViewing}
        returnFocus={() => opener.current}
      />
    </section>
  );
}

/**
 * Each reload signs new URLs; keeping a screenshot's first URL until it is
 * about to expire saves the browser fetching every thumbnail again after a
 * caption edit.
 */
function useStableUrls(screenshots: ScreenshotView[]): ScreenshotView[] {
  const known = useRef(new Map<string, { url: string; until: number }>());
  const now = Date.now();
  return screenshots.map((shot) => {
    const kept = known.current.get(shot.id);
    if (kept && kept.until - RENEW_MARGIN_MS > now) return { ...shot, url: kept.url };
    if (shot.url) known.current.set(shot.id, { url: shot.url, until: now + 5 * 60_000 });
    return shot;
  });
}
