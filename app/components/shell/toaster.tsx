// Short confirmations ("Profile saved") and live notices ("EURUSD buy closed
// +$47.50 (+23.0 pips)" with an "Add notes" link) as Radix toasts. Pages call
// useToast().show(…); the toasts sit in a fixed corner, so they never move
// the page. Screen readers hear them through the Radix live region, and a
// toast with an action stays until it is dismissed or its time runs out
// while nobody hovers or focuses it.
import * as Toast from "@radix-ui/react-toast";
import { Link } from "@remix-run/react";
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";

export type ToastTone = "success" | "profit" | "loss" | "neutral" | "warning";

export interface ToastOptions {
  text: string;
  tone?: ToastTone;
  /** A link the toast offers, e.g. "Add notes" → /trades/<id>#journal; `onSelect` replaces following it (the quick-journal sheet). */
  action?: { label: string; to: string; onSelect?: () => void };
  /** Milliseconds; toasts with an action default to 10 s. */
  duration?: number;
}

interface ToastMessage extends ToastOptions {
  id: number;
}

const ToastContext = createContext<{ show: (toast: string | ToastOptions) => void }>({ show: () => {} });

export function useToast() {
  return useContext(ToastContext);
}

// Spelled out so Tailwind finds the class names when it scans the source.
const DOT: Record<ToastTone, string> = {
  success: "bg-profit",
  profit: "bg-profit",
  loss: "bg-loss",
  neutral: "bg-fg-subtle",
  warning: "bg-amber-400",
};

export function Toaster({ children }: { children: ReactNode }) {
  const [messages, setMessages] = useState<ToastMessage[]>([]);
  const show = useCallback((toast: string | ToastOptions) => {
    const options = typeof toast === "string" ? { text: toast } : toast;
    setMessages((current) => [...current, { ...options, id: Date.now() + Math.random() }]);
  }, []);
  const value = useMemo(() => ({ show }), [show]);
  return (
    <ToastContext.Provider value={value}>
      <Toast.Provider swipeDirection="right" duration={4000}>
        {children}
        {messages.map((message) => (
          <Toast.Root
            key={message.id}
            duration={message.duration ?? (message.action ? 10_000 : undefined)}
            className="card flex items-center gap-3 px-4 py-3 text-sm text-fg shadow-xl shadow-black/40"
            onOpenChange={(open) => {
              if (!open) setMessages((current) => current.filter((m) => m.id !== message.id));
            }}
          >
            <span aria-hidden="true" className={`h-2 w-2 shrink-0 rounded-full ${DOT[message.tone ?? "success"]}`} />
            <Toast.Title className="min-w-0 flex-1 break-words">{message.text}</Toast.Title>
            {message.action ? (
              <Toast.Action altText={`${message.action.label}: ${message.text}`} asChild>
                <Link
                  to={message.action.to}
                  className="btn-secondary shrink-0 px-3 py-1.5 text-xs"
                  onClick={(event) => {
                    if (!message.action?.onSelect) return;
                    // Instead of following the link; preventing it also stops Radix closing the toast, so close it here.
                    event.preventDefault();
                    message.action.onSelect();
                    setMessages((current) => current.filter((m) => m.id !== message.id));
                  }}
                >
                  {message.action.label}
                </Link>
              </Toast.Action>
            ) : null}
            {message.action ? (
              <Toast.Close aria-label="Dismiss" className="shrink-0 rounded p-1 text-fg-subtle hover:text-fg">
                <svg
                  aria-hidden="true"
                  viewBox="0 0 24 24"
                  className="h-4 w-4"
                  fill="none"
                  stroke="currentColor"
                  strokeWidth={1.75}
                  strokeLinecap="round"
                >
                  <path d="M6 6l12 12M18 6L6 18" />
                </svg>
              </Toast.Close>
            ) : null}
          </Toast.Root>
        ))}
        <Toast.Viewport className="fixed bottom-20 right-4 z-50 flex w-[calc(100%-2rem)] max-w-sm flex-col gap-2 outline-none md:bottom-6" />
      </Toast.Provider>
    </ToastContext.Provider>
  );
}
