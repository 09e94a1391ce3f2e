// The dashboard's ticker: each symbol the user holds an open position in, with
// its two newest daily bars from the shared candle cache (the forming one's
// close is the last price; the one before closed the previous day). Read as
// the user: open positions are theirs by RLS, candles are readable by all.
import type { RequestDb } from "~/lib/db.server.ts";
import type { TickerSymbol } from "./ticker.types.ts";

export type { TickerSymbol };

export async function loadTickerSymbols(db: RequestDb, userId: string): Promise<TickerSymbol[]> {
  const { rows } = await db.query<{ symbol: string; bars: [number, string][] }>(
    `select p.symbol,
            coalesce((select json_agg(json_build_array(extract(epoch from c.opened_at)::bigint, c.close::text) order by c.opened_at desc)
                        from (select c.opened_at, c.close from public.candle_cache c
                               where c.symbol = p.symbol and c.timeframe = 'D1'
                               order by c.opened_at desc limit 2) c), '[]') as bars
       from (select distinct o.symbol from public.open_positions o where o.user_id = $1) p
      order by p.symbol`,
    [userId],
  );
  return rows.map((row) => ({ symbol: row.symbol, bars: row.bars.map(([time, close]) => ({ time: Number(time), close })) }));
}
