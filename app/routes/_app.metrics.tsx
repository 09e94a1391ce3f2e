// /metrics: how every analytics figure is computed, from docs/metrics.md (one
// definition, the same file the code's tests follow). The advanced figures
// link here by section id (/metrics#sharpe).
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PageHeader } from "~/components/page-header.tsx";
import { Markdown } from "~/components/text/markdown.tsx";
import { parseMarkdown } from "~/domain/text/markdown-lite.ts";

export const meta: MetaFunction = () => [{ title: "How figures are computed — RawJournal" }];

let cachedBlocks: ReturnType<typeof parseMarkdown> | null = null;

export async function loader() {
  // Read once per process: the file ships with the app (Dockerfile copies docs/).
  cachedBlocks ??= parseMarkdown(await readFile(path.join(process.cwd(), "docs/metrics.md"), "utf8")).filter(
    (block, index) => !(index === 0 && block.kind === "heading"),
  );
  return { blocks: cachedBlocks };
}

export default function Metrics() {
  const { blocks } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="How figures are computed" description="One definition for every figure on the dashboard and in Analytics." />
      <article className="card max-w-3xl p-4 sm:p-6">
        <Markdown blocks={blocks} />
      </article>
    </>
  );
}
