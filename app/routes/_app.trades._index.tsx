import type { MetaFunction } from "@remix-run/node";
import { ComingSoon } from "~/components/coming-soon.tsx";

export const meta: MetaFunction = () => [{ title: "Trades — RawJournal" }];

export default function Placeholder() {
  return <ComingSoon title="Trades" description="Every trade you take, filterable by account, symbol and date, with its net result after costs." />;
}
