import { describe, expect, it } from "vitest";
import { draftKey, draftKeyVersion, retryDelayMs, saveStatusText } from "./autosave-policy.ts";

describe("autosave policy", () => {
  it("backs off 1 s, 2 s, 4 s … up to 30 s", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(retryDelayMs)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it("words the status line", () => {
    expect(saveStatusText({ kind: "saving" })).toBe("Saving…");
    expect(saveStatusText({ kind: "saved", at: "2026-12-06T14:02:31Z" }, "UTC")).toBe("Saved 14:02");
    expect(saveStatusText({ kind: "saved", at: "2026-12-06T14:02:31Z" }, "Europe/Berlin")).toBe("Saved 15:02");
    expect(saveStatusText({ kind: "offline" })).toBe("Offline — will retry");
    expect(saveStatusText({ kind: "failed", message: "x" })).toBe("Not saved");
  });

  it("keys drafts by entry and version", () => {
    const key = draftKey("trade-journal:abc", 7);
    expect(key).toBe("rawjournal:draft:trade-journal:abc:v7");
    expect(draftKeyVersion(key, "trade-journal:abc")).toBe(7);
    expect(draftKeyVersion(key, "trade-journal:ab")).toBeNull();
  });
});
