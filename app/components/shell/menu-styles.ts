// Shared look of the Radix dropdown menus in the header.
export const menuContent = "z-50 min-w-56 rounded-lg border border-border bg-raised p-1 text-sm text-fg shadow-xl shadow-black/40";
export const menuItem =
  "flex w-full cursor-pointer select-none items-center gap-2 rounded-md px-3 py-2 text-left outline-none data-[highlighted]:bg-border data-[highlighted]:text-fg";
export const menuLabel = "px-3 py-2 text-xs text-fg-muted";
export const menuSeparator = "my-1 h-px bg-border";
