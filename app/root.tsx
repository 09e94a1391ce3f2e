import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useMatches } from "@remix-run/react";
import type { ReactNode } from "react";

import { ErrorPage } from "~/components/error-page.tsx";
import { useNonce } from "~/lib/nonce.tsx";
import { robotsDirective } from "~/lib/seo-meta.ts";
import stylesheet from "~/tailwind.css";

export const links: LinksFunction = () => [
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "stylesheet", href: stylesheet },
];

export const meta: MetaFunction = () => [
  { title: "RawJournal" },
  {
    name: "description",
    content: "RawJournal — the honest, open-source trading journal for MetaTrader 5 traders.",
  },
];

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  // Routes opt out of search results through their handle (app/lib/seo-meta.ts).
  const robots = robotsDirective(useMatches());
  return (
    <html lang="en" className="dark">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#0a0a0f" />
        {robots ? <meta name="robots" content={robots} /> : null}
        <Meta />
        <Links />
      </head>
      <body className="min-h-screen bg-bg text-fg antialiased">
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
