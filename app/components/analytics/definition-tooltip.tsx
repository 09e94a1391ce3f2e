// A figure's one-line definition, shown while its label is hovered or focused
// (CSS only, so it needs no JavaScript); the control points at it with
// aria-describedby.
export function DefinitionTooltip({ id, children }: { id: string; children: string }) {
  return (
    <span
      id={id}
      role="tooltip"
      className="pointer-events-none absolute left-0 top-full z-20 mt-1 hidden w-64 rounded-md border border-border bg-raised p-2 text-xs font-normal normal-case tracking-normal text-fg shadow-lg group-focus-within:block group-hover:block"
    >
      {children}
    </span>
  );
}
