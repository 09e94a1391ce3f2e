// A multi-select of the user's tags with create-on-type, for one picker group
// (the trade's tags, or its mistakes). With JavaScript it is a combobox whose
// every change saves at once (the group's whole selection: set-based, so
// saves in any order end the same); without it, checkboxes and a "new tags"
// box that the journal form's Save button sends.
import { useId, useRef, useState, type KeyboardEvent } from "react";
import { tagNameKey, tagNameProblem } from "~/domain/journal/entry.ts";
import { TAG_GROUPS, type TagGroup } from "~/domain/journal/scales.ts";
import type { JournalFormAnswer, JournalTag } from "~/models/journal/trade-journal.types.ts";

/** The form fields the no-JS picker posts (the server's names in trade-journal-form.server.ts). */
const FIELD: Record<TagGroup, { ids: string; typed: string }> = {
  tags: { ids: "tagId", typed: "newTag" },
  mistakes: { ids: "mistakeId", typed: "newMistake" },
};

interface TagPickerProps {
  group: TagGroup;
  label: string;
  /** The user's tags (all categories; the picker shows its own). */
  tags: JournalTag[];
  selectedIds: string[];
  /** The journal endpoint (POST intent=set-tags / create-tag). */
  url: string;
  /** False before hydration: render the form fields that work without JavaScript. */
  interactive: boolean;
  placeholder?: string;
}

type Option = { kind: "tag"; tag: JournalTag } | { kind: "create"; name: string };

async function post(url: string, fields: [string, string][]): Promise<JournalFormAnswer> {
  const body = new FormData();
  for (const [name, value] of fields) body.append(name, value);
  const response = await fetch(url, { method: "POST", body, headers: { Accept: "application/json" }, credentials: "same-origin" });
  const answer = (await response.json().catch(() => null)) as JournalFormAnswer | null;
  if (!answer) throw new Error("The server couldn't be reached.");
  return answer;
}

export function TagPicker({ group, label, tags: initialTags, selectedIds, url, interactive, placeholder = "Type to find or add…" }: TagPickerProps) {
  const id = useId();
  const categories: readonly string[] = TAG_GROUPS[group].categories;
  const [tags, setTags] = useState(() => initialTags.filter((tag) => categories.includes(tag.category)));
  const [selected, setSelected] = useState(() => selectedIds.filter((tagId) => tags.some((tag) => tag.id === tagId)));
  const [query, setQuery] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [status, setStatus] = useState<{ tone: "muted" | "error"; text: string } | null>(null);
  const queue = useRef(Promise.resolve());
  const input = useRef<HTMLInputElement>(null);

  if (!interactive) {
    return (
      <fieldset>
        <legend className="text-sm font-medium text-fg">{label}</legend>
        {tags.length ? (
          <div className="mt-2 flex flex-wrap gap-2">
            {tags.map((tag) => (
              <label key={tag.id} className="inline-flex items-center gap-1.5 rounded-full border border-border px-2.5 py-1 text-xs text-fg">
                <input
                  type="checkbox"
                  name={FIELD[group].ids}
                  value={tag.id}
                  defaultChecked={selected.includes(tag.id)}
                  className="accent-indigo-500"
                />
                {tag.name}
              </label>
            ))}
          </div>
        ) : null}
        <label htmlFor={`${id}-typed`} className="mt-2 block text-xs text-fg-muted">
          Add new (separate with commas)
        </label>
        <input id={`${id}-typed`} name={FIELD[group].typed} className="input mt-1" maxLength={400} autoComplete="off" />
      </fieldset>
    );
  }

  const byId = new Map(tags.map((tag) => [tag.id, tag]));
  const key = tagNameKey(query);
  const matches = tags.filter((tag) => !selected.includes(tag.id) && (!key || tag.name.toLowerCase().includes(key)));
  const exact = tags.find((tag) => tagNameKey(tag.name) === key);
  const options: Option[] = [
    ...matches.slice(0, 8).map((tag) => ({ kind: "tag" as const, tag })),
    ...(key && !exact ? [{ kind: "create" as const, name: query.trim() }] : []),
  ];
  const listId = `${id}-options`;
  const showList = open && options.length > 0;

  function saveSelection(next: string[], previous: string[]) {
    setSelected(next);
    setStatus({ tone: "muted", text: "Saving…" });
    queue.current = queue.current.then(async () => {
      try {
        const answer = await post(url, [
          ["intent", "set-tags"],
          ["group", group],
          ...next.map((tagId) => [FIELD[group].ids, tagId] as [string, string]),
        ]);
        if (answer.status !== "tags") throw new Error(answer.status === "invalid" ? answer.formError : "Not saved.");
        setStatus({ tone: "muted", text: "Saved" });
      } catch (error) {
        setSelected(previous);
        setStatus({ tone: "error", text: `Not saved: ${(error as Error).message}` });
      }
    });
  }

  async function choose(option: Option) {
    setQuery("");
    setActive(0);
    if (option.kind === "tag") {
      saveSelection([...selected, option.tag.id], selected);
      return;
    }
    const problem = tagNameProblem(option.name);
    if (problem) {
      setStatus({ tone: "error", text: problem });
      return;
    }
    setStatus({ tone: "muted", text: "Saving…" });
    try {
      const answer = await post(url, [
        ["intent", "create-tag"],
        ["group", group],
        ["name", option.name],
      ]);
      if (answer.status !== "tag-created") throw new Error(answer.status === "invalid" ? answer.formError : "Not saved.");
      const tag = answer.tag;
      setTags((current) => (current.some((t) => t.id === tag.id) ? current : [...current, tag].sort((a, b) => a.name.localeCompare(b.name))));
      if (!selected.includes(tag.id)) saveSelection([...selected, tag.id], selected);
    } catch (error) {
      setStatus({ tone: "error", text: (error as Error).message });
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setOpen(true);
      setActive((i) => Math.min(options.length - 1, i + 1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive((i) => Math.max(0, i - 1));
    } else if (event.key === "Enter") {
      // Enter picks here; it must not submit the journal form.
      event.preventDefault();
      const option = options[Math.min(active, options.length - 1)];
      if (option) void choose(option);
    } else if (event.key === "Escape") {
      setOpen(false);
    } else if (event.key === "Backspace" && !query && selected.length) {
      saveSelection(selected.slice(0, -1), selected);
    }
  }

  return (
    <div className="relative">
      <label htmlFor={`${id}-input`} className="text-sm font-medium text-fg">
        {label}
      </label>
      <div className="input mt-1 flex flex-wrap items-center gap-1.5 py-1.5 focus-within:border-accent">
        {selected.map((tagId) => {
          const tag = byId.get(tagId);
          if (!tag) return null;
          return (
            <span
              key={tagId}
              className="inline-flex max-w-full items-center gap-1 rounded-full border bg-raised py-0.5 pl-2 pr-1 text-xs text-fg"
              style={{ borderColor: tag.color }}
              data-tag-chip={tag.name}
            >
              <span className="truncate">{tag.name}</span>
              <button
                type="button"
                className="rounded-full px-1 text-fg-subtle hover:text-fg"
                aria-label={`Remove ${tag.name}`}
                onClick={() =>
                  saveSelection(
                    selected.filter((other) => other !== tagId),
                    selected,
                  )
                }
              >
                ×
              </button>
            </span>
          );
        })}
        <input
          ref={input}
          id={`${id}-input`}
          role="combobox"
          aria-expanded={showList}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={showList ? `${id}-option-${Math.min(active, options.length - 1)}` : undefined}
          className="min-w-[8rem] flex-1 bg-transparent py-0.5 text-sm text-fg outline-none placeholder:text-fg-subtle focus-visible:ring-0 focus-visible:ring-offset-0"
          placeholder={placeholder}
          value={query}
          maxLength={60}
          autoComplete="off"
          onChange={(event) => {
            setQuery(event.target.value);
            setOpen(true);
            setActive(0);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onKeyDown={onKeyDown}
        />
      </div>
      {showList ? (
        <ul
          id={listId}
          role="listbox"
          aria-label={label}
          className="card absolute z-20 mt-1 max-h-60 w-full overflow-auto py-1 shadow-xl shadow-black/40"
        >
          {options.map((option, index) => (
            <li
              key={option.kind === "tag" ? option.tag.id : "create"}
              id={`${id}-option-${index}`}
              role="option"
              aria-selected={index === active}
              className={`cursor-pointer px-3 py-1.5 text-sm ${index === active ? "bg-raised text-fg" : "text-fg-muted"}`}
              onMouseDown={(event) => event.preventDefault()}
              onMouseEnter={() => setActive(index)}
              onClick={() => void choose(option)}
            >
              {option.kind === "tag" ? (
                <span className="inline-flex items-center gap-2">
                  <span aria-hidden="true" className="h-2 w-2 rounded-full" style={{ backgroundColor: option.tag.color }} />
                  {option.tag.name}
                </span>
              ) : (
                <>Create “{option.name}”</>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <p className={`mt-1 min-h-[1rem] text-xs ${status?.tone === "error" ? "text-red-400" : "text-fg-subtle"}`} role="status">
        {status?.text ?? ""}
      </p>
    </div>
  );
}
