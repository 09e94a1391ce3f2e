import type { MetaFunction } from "@remix-run/node";
import { ComingSoon } from "~/components/coming-soon.tsx";

export const meta: MetaFunction = () => [{ title: "Import trades — RawJournal" }];

export default function Placeholder() {
  return <ComingSoon title="Import trades" description="Importing MT5/MT4 reports, CSV and JSON files is on its way." />;
}
