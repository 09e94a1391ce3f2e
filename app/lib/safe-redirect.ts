// Where to send someone after signing in. Only a path on this site is
// accepted: anything that could leave it ("//evil.example", "/\evil.example",
// "https://…", "javascript:…") falls back to the default.
export function safeRedirect(target: FormDataEntryValue | string | null | undefined, fallback = "/dashboard"): string {
  if (typeof target !== "string" || !target) return fallback;
  if (target.length > 2048) return fallback;
  if (!target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) return fallback;
  // Control characters and backslashes let some browsers read the path as a host.
  if ([...target].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f || c === "\\")) return fallback;
  try {
    const base = "http://rawjournal.invalid";
    const resolved = new URL(target, base);
    if (resolved.origin !== base) return fallback;
    const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
    // Sending someone back to a sign-in page after signing in would loop.
    if (/^\/(login|signup|logout|forgot-password)(\/|$|\?)/.test(path)) return fallback;
    return path;
  } catch {
    return fallback;
  }
}
