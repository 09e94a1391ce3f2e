// Short confirmations ("Profile saved") as Radix toasts. Pages call
// useToast().show(…); the toasts sit in a fixed corner, so they never move
// the page. Screen readers hear them through the Radix live region.
import * as Toast from "@radix-ui/react-toast";
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";

interface ToastMessage {
  id: number;
  text: string;
}

const ToastContext = createContext<{ show: (text: string) => void }>({ show: () => {} });

export function useToast() {
  return useContext(ToastContext);
}

export function Toaster({ children }: { children: ReactNode }) {
  const [messages, setMessages] = useState<ToastMessage[]>([]);
  const show = useCallback((text: string) => setMessages((current) => [...current, { id: Date.now() + Math.random(), text }]), []);
  const value = useMemo(() => ({ show }), [show]);
  return (
    <ToastContext.Provider value={value}>
      <Toast.Provider swipeDirection="right" duration={4000}>
        {children}
        {messages.map((message) => (
          <Toast.Root
            key={message.id}
            className="card flex items-center gap-3 px-4 py-3 text-sm text-fg shadow-xl shadow-black/40"
            onOpenChange={(open) => {
              if (!open) setMessages((current) => current.filter((m) => m.id !== message.id));
            }}
          >
            <span aria-hidden="true" className="h-2 w-2 rounded-full bg-profit" />
            <Toast.Title>{message.text}</Toast.Title>
          </Toast.Root>
        ))}
        <Toast.Viewport className="fixed bottom-20 right-4 z-50 flex w-[calc(100%-2rem)] max-w-sm flex-col gap-2 outline-none md:bottom-6" />
      </Toast.Provider>
    </ToastContext.Provider>
  );
}
