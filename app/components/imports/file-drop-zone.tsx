// A plain file input inside a large drop target: without JavaScript it is an
// ordinary file picker; with it, a file dropped anywhere on the zone lands in
// the same input, so the form posts it the same way.
import { useId, useRef, useState, type DragEvent } from "react";

export function FileDropZone({ name, error, accept }: { name: string; error?: string; accept?: string }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [chosen, setChosen] = useState<string | null>(null);

  const onDrop = (event: DragEvent<HTMLLabelElement>) => {
    event.preventDefault();
    setOver(false);
    const files = event.dataTransfer.files;
    if (!files.length || !input.current) return;
    const transfer = new DataTransfer();
    transfer.items.add(files[0]!);
    input.current.files = transfer.files;
    setChosen(files[0]!.name);
  };

  return (
    <div>
      <label
        htmlFor={id}
        onDragOver={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        className={`flex cursor-pointer flex-col items-center justify-center gap-2 rounded-lg border-2 border-dashed px-4 py-10 text-center transition-colors ${
          over ? "border-accent bg-accent/10" : error ? "border-loss/70" : "border-border hover:border-fg-subtle"
        }`}
      >
        <span className="text-sm font-medium text-fg">{chosen ?? "Drop your report here, or choose a file"}</span>
        <span className="text-xs text-fg-muted">
          MT5 report (HTML or XLSX), MT4 statement, MT5 positions CSV, cTrader CSV, any CSV, or JSON — up to 50 MB
        </span>
      </label>
      <input
        ref={input}
        id={id}
        name={name}
        type="file"
        accept={accept}
        aria-label="Report file"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => setChosen(event.currentTarget.files?.[0]?.name ?? null)}
        className="mt-3 block w-full text-sm text-fg-muted file:mr-3 file:rounded-md file:border file:border-border file:bg-raised file:px-3 file:py-1.5 file:text-sm file:text-fg"
      />
      {error ? (
        <p id={`${id}-error`} role="alert" className="mt-2 text-sm text-red-300">
          {error}
        </p>
      ) : null}
    </div>
  );
}
