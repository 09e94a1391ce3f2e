// Renders markdown-lite blocks as React elements: text stays text, so nothing
// in the source can inject markup.
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import type { Block, Inline } from "~/domain/text/markdown-lite.ts";

function inline(runs: Inline[]): ReactNode[] {
  return runs.map((run, index) => {
    switch (run.kind) {
      case "text":
        return run.text;
      case "code":
        return (
          <code key={index} className="rounded bg-raised px-1 py-0.5 text-[0.85em]">
            {run.text}
          </code>
        );
      case "strong":
        return <strong key={index}>{inline(run.children)}</strong>;
      case "em":
        return <em key={index}>{inline(run.children)}</em>;
      case "link":
        return run.href.startsWith("/") ? (
          <Link key={index} to={run.href} className="link">
            {inline(run.children)}
          </Link>
        ) : (
          <a key={index} href={run.href} className="link">
            {inline(run.children)}
          </a>
        );
    }
  });
}

export function Markdown({ blocks }: { blocks: Block[] }) {
  return (
    <div className="space-y-3 text-sm leading-relaxed text-fg">
      {blocks.map((block, index) => {
        switch (block.kind) {
          case "heading": {
            const className =
              block.level === 1 ? "text-xl font-semibold" : block.level === 2 ? "scroll-mt-20 pt-4 text-base font-semibold" : "text-sm font-semibold";
            const Tag = `h${Math.min(6, Math.max(1, block.level))}` as "h1";
            return (
              <Tag key={index} id={block.id} className={className}>
                {inline(block.children)}
              </Tag>
            );
          }
          case "paragraph":
            return <p key={index}>{inline(block.children)}</p>;
          case "list": {
            const Tag = block.ordered ? "ol" : "ul";
            return (
              <Tag key={index} className={`${block.ordered ? "list-decimal" : "list-disc"} space-y-1 pl-5`}>
                {block.items.map((item, i) => (
                  <li key={i}>{inline(item)}</li>
                ))}
              </Tag>
            );
          }
          case "table":
            return (
              <div key={index} className="overflow-x-auto">
                <table className="text-left text-xs">
                  <thead>
                    <tr className="border-b border-border">
                      {block.header.map((cell, i) => (
                        <th key={i} scope="col" className="px-2 py-1 font-medium text-fg-muted">
                          {inline(cell)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {block.rows.map((row, r) => (
                      <tr key={r} className="border-b border-border/50">
                        {row.map((cell, i) => (
                          <td key={i} className="px-2 py-1">
                            {inline(cell)}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            );
          case "code":
            return (
              <pre key={index} className="overflow-x-auto rounded bg-raised p-3 text-xs">
                {block.text}
              </pre>
            );
        }
      })}
    </div>
  );
}
