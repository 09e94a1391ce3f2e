import type { MetaFunction } from "@remix-run/node";
import { ComingSoon } from "~/components/coming-soon.tsx";

export const meta: MetaFunction = () => [{ title: "Journal — RawJournal" }];

export default function Placeholder() {
  return <ComingSoon title="Journal" description="Notes on your trading days and trades, with tags and screenshots." />;
}
