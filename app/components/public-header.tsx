import { Link } from "@remix-run/react";
import { Logo } from "./ui/logo.tsx";

export function PublicHeader({ signedIn }: { signedIn: boolean }) {
  return (
    <header className="border-b border-border">
      <div className="mx-auto flex max-w-5xl items-center justify-between gap-3 px-4 py-4 sm:px-6">
        <Logo />
        <nav aria-label="Account" className="flex items-center gap-2">
          {signedIn ? (
            <Link to="/dashboard" className="btn-primary whitespace-nowrap px-3">
              Open your journal
            </Link>
          ) : (
            <>
              <Link to="/login" className="btn-ghost whitespace-nowrap px-3">
                Sign in
              </Link>
              <Link to="/signup" className="btn-primary whitespace-nowrap px-3">
                Get started
              </Link>
            </>
          )}
        </nav>
      </div>
    </header>
  );
}
