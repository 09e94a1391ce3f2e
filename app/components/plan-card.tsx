// One plan as a card (the landing page's summary and /pricing): name, price,
// what it includes — from the same plan table the server enforces — and a
// call to action the page chooses.
import type { ReactNode } from "react";
import type { PricingCard } from "~/lib/pricing.ts";

export function PlanCard({
  plan,
  highlighted,
  badge,
  headingLevel = 3,
  children,
}: {
  plan: PricingCard;
  highlighted: boolean;
  badge?: ReactNode;
  headingLevel?: 2 | 3;
  children: ReactNode;
}) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <li className={`card flex flex-col p-6 ${highlighted ? "border-accent" : ""}`} data-plan={plan.tier}>
      <Heading className="text-base font-semibold text-fg">
        {plan.name} {badge}
      </Heading>
      <p className="mt-2">
        <span className="text-3xl font-bold tabular-nums text-fg">{plan.price}</span>
        <span className="text-sm text-fg-muted"> / month</span>
      </p>
      <ul className="mt-4 flex-1 space-y-2 text-sm text-fg-muted">
        {plan.features.map((feature) => (
          <li key={feature} className="flex gap-2">
            <span aria-hidden="true" className="text-profit">
              ✓
            </span>
            {feature}
          </li>
        ))}
      </ul>
      {children}
    </li>
  );
}
