// The upload queue behind the panel: images from the file picker, a drop or
// the clipboard are compressed (./compress-image.ts) and posted one at a time
// to /screenshots; each shows as a pending tile until its answer arrives.
import { useCallback, useRef, useState } from "react";
import type { ScreenshotActionResult } from "~/models/screenshots.types.ts";
import type { ScreenshotTarget } from "~/domain/images/screenshot-rules.ts";
import { compressScreenshot, uploadName } from "./compress-image.ts";

export interface PendingUpload {
  key: number;
  name: string;
  phase: "compressing" | "uploading";
}

const ACCEPTED = /^image\//;

export function targetFields(target: ScreenshotTarget): [string, string] {
  return target.kind === "trade" ? ["trade", target.tradeId] : ["day", target.date];
}

export function useScreenshotUploads(target: ScreenshotTarget, { remaining, onUploaded }: { remaining: number; onUploaded: () => void }) {
  const [pending, setPending] = useState<PendingUpload[]>([]);
  const [errors, setErrors] = useState<string[]>([]);
  const nextKey = useRef(0);
  const queue = useRef(Promise.resolve());

  const upload = useCallback(
    (files: File[]) => {
      const images = files.filter((file) => ACCEPTED.test(file.type) || file.type === "");
      const refusedByType = files.length - images.length;
      const accepted = images.slice(0, Math.max(0, remaining - pending.length));
      const problems: string[] = [];
      if (refusedByType > 0) problems.push("Only images can be added: PNG, JPEG or WebP.");
      if (accepted.length < images.length) problems.push("An entry can hold 10 screenshots; the rest were not added.");
      setErrors(problems);
      if (accepted.length === 0) return;
      const jobs = accepted.map((file) => ({ file, key: nextKey.current++ }));
      setPending((current) => [
        ...current,
        ...jobs.map(({ file, key }) => ({ key, name: file.name || "Pasted image", phase: "compressing" as const })),
      ]);
      for (const { file, key } of jobs) {
        queue.current = queue.current.then(async () => {
          const problem = await uploadOne(target, file, () =>
            setPending((current) => current.map((item) => (item.key === key ? { ...item, phase: "uploading" } : item))),
          );
          setPending((current) => current.filter((item) => item.key !== key));
          if (problem) setErrors((current) => [...current, problem]);
          onUploaded();
        });
      }
    },
    [target, remaining, pending.length, onUploaded],
  );

  return { pending, errors, upload, dismissErrors: () => setErrors([]) };
}

/** Compresses and posts one image; resolves to the refusal in words, or null when stored. */
async function uploadOne(target: ScreenshotTarget, file: File, onCompressed: () => void): Promise<string | null> {
  const compressed = await compressScreenshot(file).catch(() => ({ blob: file as Blob, compressed: false }));
  onCompressed();
  const form = new FormData();
  const [name, value] = targetFields(target);
  form.set(name, value);
  form.set("file", compressed.blob, uploadName(compressed, file));
  try {
    const response = await fetch("/screenshots", { method: "POST", body: form, headers: { Accept: "application/json" }, credentials: "same-origin" });
    const answer = (await response.json().catch(() => null)) as ScreenshotActionResult | null;
    if (answer?.ok) return null;
    return answer?.message ?? `"${file.name || "The image"}" could not be uploaded (error ${response.status}). Try again.`;
  } catch {
    return `"${file.name || "The image"}" could not be uploaded: the connection dropped. Try again.`;
  }
}
