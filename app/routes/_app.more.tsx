// The phone "More" menu as a page, for when the sheet cannot open (no JavaScript).
import type { MetaFunction } from "@remix-run/node";
import { PageHeader } from "~/components/page-header.tsx";
import { MoreList } from "~/components/shell/more-sheet.tsx";

export const meta: MetaFunction = () => [{ title: "More — RawJournal" }];

export default function More() {
  return (
    <>
      <PageHeader title="More" />
      <MoreList />
    </>
  );
}
