// "N imported, D duplicates skipped, E rejected (download the rejected rows)".
import type { ImportBatchSummary } from "~/models/imports/types.ts";

const n = (value: number) => value.toLocaleString("en-US");

export function BatchCounts({ batch }: { batch: ImportBatchSummary }) {
  return (
    <p className="text-sm text-fg">
      <strong>{n(batch.imported)}</strong> imported, <strong>{n(batch.duplicates)}</strong> {batch.duplicates === 1 ? "duplicate" : "duplicates"}{" "}
      skipped
      {batch.updated ? (
        <>
          , <strong>{n(batch.updated)}</strong> updated
        </>
      ) : null}
      , <strong>{n(batch.rejected)}</strong> rejected
      {batch.rejected ? (
        <>
          {" "}
          (
          <a href={`/trades/imports/${batch.id}/rejected.csv`} className="link" download>
            download the rejected rows
          </a>
          )
        </>
      ) : null}
      {batch.cashImported ? (
        <span className="text-fg-muted">{` · ${n(batch.cashImported)} cash ${batch.cashImported === 1 ? "movement" : "movements"}`}</span>
      ) : null}
    </p>
  );
}
