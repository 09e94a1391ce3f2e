// "More" on the phone tab bar: a bottom sheet with the rest of the
// navigation and sign-out. It is a link to /more, so without JavaScript it
// still leads to the same list; with JavaScript it opens in place.
import * as Dialog from "@radix-ui/react-dialog";
import { Form, Link, NavLink, useLocation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { Icon } from "./icons.tsx";
import { MORE_ITEMS } from "./nav-items.ts";

export function MoreSheet({ tabClassName }: { tabClassName: (active: boolean) => string }) {
  const [open, setOpen] = useState(false);
  const location = useLocation();
  // Following a link in the sheet closes it.
  useEffect(() => setOpen(false), [location.key]);
  const active = MORE_ITEMS.some((item) => location.pathname.startsWith(item.to)) || location.pathname === "/more";

  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Link
        to="/more"
        className={tabClassName(active)}
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={(event) => {
          event.preventDefault();
          setOpen(true);
        }}
      >
        <Icon name="more" className="h-5 w-5" />
        <span>More</span>
      </Link>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/60" />
        <Dialog.Content className="fixed inset-x-0 bottom-0 z-50 rounded-t-2xl border-t border-border bg-surface p-4 pb-8 shadow-2xl">
          <div className="flex items-center justify-between">
            <Dialog.Title className="text-base font-semibold">More</Dialog.Title>
            <Dialog.Close className="btn-ghost p-2" aria-label="Close">
              <Icon name="close" className="h-5 w-5" />
            </Dialog.Close>
          </div>
          <Dialog.Description className="sr-only">Other sections and signing out</Dialog.Description>
          <MoreList />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** The list itself, also rendered by the /more page. */
export function MoreList() {
  return (
    <div className="mt-3">
      <nav aria-label="More sections">
        <ul className="space-y-1">
          {MORE_ITEMS.map((item) => (
            <li key={item.to}>
              <NavLink
                to={item.to}
                className={({ isActive }) =>
                  `flex items-center gap-3 rounded-md px-3 py-3 text-sm font-medium ${isActive ? "bg-raised text-fg" : "text-fg-muted hover:bg-raised hover:text-fg"}`
                }
              >
                <Icon name={item.icon} className="h-5 w-5" />
                {item.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="mt-3 grid grid-cols-2 gap-2 border-t border-border pt-3">
        <Form method="post" action="/logout">
          <input type="hidden" name="scope" value="local" />
          <button type="submit" className="btn-secondary w-full">
            Sign out
          </button>
        </Form>
        <Form method="post" action="/logout">
          <input type="hidden" name="scope" value="global" />
          <button type="submit" className="btn-ghost w-full">
            Sign out everywhere
          </button>
        </Form>
      </div>
    </div>
  );
}
