import type { LinksFunction, MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
} from "@remix-run/react";
import type { ReactNode } from "react";

import stylesheet from "~/tailwind.css";

export const links: LinksFunction = () => [
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "stylesheet", href: stylesheet },
];

export const meta: MetaFunction = () => [
  { title: "RawJournal" },
  {
    name: "description",
    content:
      "RawJournal — the honest, open-source trading journal for MetaTrader 5 traders.",
  },
];

export function Layout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" className="dark">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#0a0a0f" />
        <Meta />
        <Links />
      </head>
      <body className="min-h-screen bg-bg text-fg antialiased">
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();

  let title = "Something went wrong";
  let detail = "An unexpected error occurred. Please try again.";

  if (isRouteErrorResponse(error)) {
    title = `${error.status} ${error.statusText || "Error"}`;
    if (error.status === 404) {
      detail = "The page you are looking for does not exist.";
    } else if (typeof error.data === "string" && error.data) {
      detail = error.data;
    }
  } else if (error instanceof Error && process.env.NODE_ENV !== "production") {
    detail = error.message;
  }

  return (
    <main className="mx-auto flex min-h-screen max-w-xl flex-col justify-center px-6 py-16">
      <p className="text-sm font-medium uppercase tracking-wider text-loss">
        Error
      </p>
      <h1 className="mt-2 text-2xl font-semibold text-fg">{title}</h1>
      <p className="mt-3 text-fg-muted">{detail}</p>
      <a
        href="/"
        className="mt-8 inline-flex w-fit items-center rounded-md bg-accent px-4 py-2 text-sm font-medium text-white hover:bg-accent-hover focus:outline-none focus-visible:ring-2 focus-visible:ring-accent-hover focus-visible:ring-offset-2 focus-visible:ring-offset-bg"
      >
        Back to home
      </a>
    </main>
  );
}
