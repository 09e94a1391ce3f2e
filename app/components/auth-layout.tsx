// The frame around sign-in, sign-up and password pages: logo, a card, a footer.
import type { ReactNode } from "react";
import { Logo } from "./ui/logo.tsx";

export function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col">
      <header className="px-4 py-5 sm:px-6">
        <Logo />
      </header>
      <main className="flex flex-1 items-start justify-center px-4 pb-16 pt-4 sm:items-center sm:pt-0">
        <div className="w-full max-w-sm">{children}</div>
      </main>
    </div>
  );
}

export function AuthCard({ title, subtitle, children }: { title: string; subtitle?: ReactNode; children: ReactNode }) {
  return (
    <section className="card p-6 sm:p-8">
      <h1 className="text-xl font-semibold tracking-tight text-fg">{title}</h1>
      {subtitle ? <p className="mt-1 text-sm text-fg-muted">{subtitle}</p> : null}
      <div className="mt-6">{children}</div>
    </section>
  );
}
