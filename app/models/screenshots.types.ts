// What the screenshot routes answer with, for the panel (components never
// import a .server module, ADR 013).

export interface ScreenshotView {
  id: string;
  caption: string | null;
  contentType: string;
  width: number;
  height: number;
  bytes: number;
  createdAt: string;
  /** A signed URL valid for a few minutes; null when Storage could not sign it. */
  url: string | null;
}

export interface ScreenshotList {
  screenshots: ScreenshotView[];
  /** How many more this entry can take. */
  remaining: number;
  /** When the signed URLs stop working (ISO); the panel asks again before then. */
  urlsExpireAt: string;
}

export type ScreenshotListAnswer = ScreenshotList | { error: string };

export type ScreenshotActionResult = { ok: true; screenshot?: { id: string }; message?: string } | { ok: false; message: string; code?: string };
