// Shown when the free plan's monthly trade limit is reached: what happened and
// where to upgrade, instead of a bare error.
export function UpgradePrompt({ message, upgradePath }: { message: string; upgradePath: string }) {
  return (
    <div role="alert" className="rounded-md border border-amber-500/40 bg-amber-500/10 px-4 py-3 text-sm text-amber-200">
      <p className="font-semibold text-amber-100">Monthly trade limit reached</p>
      <p className="mt-1">{message}</p>
      <a href={upgradePath} className="btn-primary mt-3">
        See plans and upgrade
      </a>
    </div>
  );
}
