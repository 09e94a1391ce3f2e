import { describe, expect, it } from "vitest";
import { safeRedirect } from "./safe-redirect.ts";

describe("safeRedirect", () => {
  it("keeps a path on this site, with its query and hash", () => {
    expect(safeRedirect("/settings/profile")).toBe("/settings/profile");
    expect(safeRedirect("/trades?account=1&page=2#row-3")).toBe("/trades?account=1&page=2#row-3");
  });

  it.each([
    ["protocol-relative", "//evil.example/x"],
    ["backslash host", "/\\evil.example"],
    ["backslash later", "/foo\\..\\/evil"],
    ["absolute URL", "https://evil.example"],
    ["javascript URL", "javascript:alert(1)"],
    ["relative path", "dashboard"],
    ["tab inside", "/\t/evil.example"],
    ["newline inside", "/\n/evil.example"],
    ["empty", ""],
    ["auth page loop", "/login?redirectTo=/x"],
    ["sign-up page", "/signup"],
  ])("falls back for %s", (_, target) => {
    expect(safeRedirect(target)).toBe("/dashboard");
  });

  it("falls back for missing or non-string values and uses the given fallback", () => {
    expect(safeRedirect(null)).toBe("/dashboard");
    expect(safeRedirect(undefined, "/")).toBe("/");
    expect(safeRedirect(new File([], "x") as unknown as FormDataEntryValue)).toBe("/dashboard");
    expect(safeRedirect(`/${"a".repeat(3000)}`)).toBe("/dashboard");
  });

  it("normalises dot segments without leaving the site", () => {
    expect(safeRedirect("/a/../settings")).toBe("/settings");
    expect(safeRedirect("/../../etc")).toBe("/etc");
  });
});
