// The friendly 429 page for resource routes (CSV exports): they answer with a
// file, not through the app's error boundary, so a refused download gets this
// small standalone page instead of a bare line of text. Document routes show
// the same words through app/components/error-page.tsx.
import { waitPhrase } from "./rate-limit.ts";

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function rateLimitedPage(message: string, retryAfterSeconds: number, back: { href: string; label: string }): Response {
  const html = `<!doctype html>
<html lang="en" class="dark"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>Slow down a little — RawJournal</title>
<style>
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#0a0a0f;color:#e5e7eb;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
main{max-width:34rem;padding:2rem 1.5rem}.code{font:500 .875rem ui-monospace,monospace;color:#f87171}
h1{margin:.5rem 0 0;font-size:1.5rem;font-weight:600}p{color:#9ca3af}
a{display:inline-block;margin-top:1.5rem;padding:.5rem 1rem;border-radius:.5rem;background:#6366f1;color:#fff;text-decoration:none}
a:focus-visible{outline:2px solid #a5b4fc;outline-offset:2px}
</style></head>
<body><main><p class="code">Error 429</p><h1>Slow down a little</h1>
<p>${escape(message)} ${escape(waitPhrase(retryAfterSeconds))} Nothing you saved is lost.</p>
<a href="${escape(back.href)}">${escape(back.label)}</a></main></body></html>`;
  return new Response(html, {
    status: 429,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Retry-After": String(retryAfterSeconds),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
