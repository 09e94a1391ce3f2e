import type { MetaFunction } from "@remix-run/node";
import { ComingSoon } from "~/components/coming-soon.tsx";

export const meta: MetaFunction = () => [{ title: "Charts — RawJournal" }];

export default function Placeholder() {
  return <ComingSoon title="Charts" description="Equity curve, calendar and breakdowns by symbol, session, weekday and hour." />;
}
