import type { MetaFunction } from "@remix-run/node";
import { ComingSoon } from "~/components/coming-soon.tsx";

export const meta: MetaFunction = () => [{ title: "Add a trade — RawJournal" }];

export default function Placeholder() {
  return <ComingSoon title="Add a trade" description="A form to record a trade by hand is on its way." />;
}
