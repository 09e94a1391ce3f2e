// While the import POST is in flight, polls the server's progress for this
// upload every ~300 ms (the import itself runs in one transaction, so the
// progress row is the only thing the page can see of it).
import { useEffect, useState } from "react";
import type { ImportProgress } from "~/models/imports/types.ts";

export function useImportProgress(uploadId: string, active: boolean): ImportProgress | null {
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const response = await fetch(`/trades/import/${uploadId}/progress`, { headers: { Accept: "application/json" } });
        if (response.ok && !stopped) setProgress((await response.json()) as ImportProgress);
      } catch {
        // A missed poll is fine; the next one catches up.
      }
      if (!stopped) timer = setTimeout(poll, 300);
    };
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [uploadId, active]);
  return active ? progress : null;
}
