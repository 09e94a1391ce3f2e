// What a visitor sees when a page is missing or something broke: plain words,
// a way back, and no stack trace in production.
import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { Logo } from "./ui/logo.tsx";

function describe(error: unknown): { status: number; title: string; detail: string } {
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) {
      return { status: 404, title: "Page not found", detail: "There is nothing at this address. It may have moved, or the link may be mistyped." };
    }
    if (error.status === 403) {
      return { status: 403, title: "Not allowed", detail: typeof error.data === "string" && error.data ? error.data : "You can't do that here." };
    }
    if (error.status === 429) {
      // The message ends with how long to wait (the response's Retry-After, in words).
      const wait = typeof error.data === "string" && error.data ? error.data : "Please wait a minute, then try again.";
      return { status: 429, title: "Slow down a little", detail: `${wait} Nothing you saved is lost.` };
    }
    const detail = typeof error.data === "string" && error.data ? error.data : "Please try again in a moment.";
    return { status: error.status, title: error.statusText || "Something went wrong", detail };
  }
  const detail =
    error instanceof Error && process.env.NODE_ENV === "development"
      ? error.message
      : "An unexpected error occurred on our side. Please try again; if it keeps happening, let us know.";
  return { status: 500, title: "Something went wrong", detail };
}

export function ErrorPage() {
  const { status, title, detail } = describe(useRouteError());
  return (
    <div className="flex min-h-screen flex-col">
      <header className="border-b border-border px-4 py-4 sm:px-6">
        <Logo />
      </header>
      <main className="mx-auto flex w-full max-w-xl flex-1 flex-col justify-center px-6 py-16">
        <p className="font-mono text-sm font-medium text-red-400">Error {status}</p>
        <h1 className="mt-2 text-2xl font-semibold text-fg">{title}</h1>
        <p className="mt-3 text-fg-muted">{detail}</p>
        <div className="mt-8 flex flex-wrap gap-3">
          <Link to="/" className="btn-primary">
            Back to home
          </Link>
          <Link to="/dashboard" className="btn-secondary">
            Go to your dashboard
          </Link>
        </div>
      </main>
    </div>
  );
}
