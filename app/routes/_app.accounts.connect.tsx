import type { MetaFunction } from "@remix-run/node";
import { ComingSoon } from "~/components/coming-soon.tsx";

export const meta: MetaFunction = () => [{ title: "Connect an account — RawJournal" }];

export default function Placeholder() {
  return <ComingSoon title="Connect an account" description="Connecting an MT5 account with its read-only investor password is on its way." />;
}
