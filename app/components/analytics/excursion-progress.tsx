// "MAE/MFE: 3,412 of 10,000 trades": how far the background measurement of
// excursions has got over the user's closed trades (jobs/excursions). Shown
// while it runs, and after it when some trades could not be measured.
import type { ExcursionProgress } from "~/models/excursions/types.ts";

export function ExcursionProgressNote({ progress }: { progress: ExcursionProgress }) {
  const { closedTrades, processed, measured } = progress;
  if (closedTrades === 0 || (processed >= closedTrades && measured === processed)) return null;
  const running = processed < closedTrades;
  return (
    <p className="text-xs text-fg-subtle" role="status" data-excursion-progress={`${processed}/${closedTrades}`}>
      MAE/MFE: {processed.toLocaleString("en-US")} of {closedTrades.toLocaleString("en-US")} trades
      {running ? " measured so far from the broker's bars; the columns fill in as it goes." : "."}
      {measured < processed
        ? ` ${(processed - measured).toLocaleString("en-US")} could not be measured (no bars, or a symbol the broker lacks).`
        : ""}
    </p>
  );
}
