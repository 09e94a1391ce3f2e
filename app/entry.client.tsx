// Remix's default browser entry, plus one thing: a page left mid-request (a
// link followed while a revalidation streams in) aborts that fetch, and
// Remix's stream reader rejects with an AbortError nobody awaits any more.
// That rejection is the browser doing what it was asked, not a fault, so it is
// not reported as an unhandled error; every other rejection still is.
import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";

window.addEventListener("unhandledrejection", (event) => {
  const reason: unknown = event.reason;
  if (reason instanceof DOMException && reason.name === "AbortError") event.preventDefault();
});

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <RemixBrowser />
    </StrictMode>,
  );
});
