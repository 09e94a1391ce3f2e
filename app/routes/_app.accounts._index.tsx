import type { MetaFunction } from "@remix-run/node";
import { ComingSoon } from "~/components/coming-soon.tsx";

export const meta: MetaFunction = () => [{ title: "Accounts — RawJournal" }];

export default function Placeholder() {
  return <ComingSoon title="Accounts" description="Your trading accounts, manual and MT5, with their balances and sync status." />;
}
