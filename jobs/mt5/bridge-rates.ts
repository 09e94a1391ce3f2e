// Bars from the bridge in UTC. MT5 stamps a bar with its open on the broker's
// server clock (GMT+2 in winter, GMT+3 in summer for most brokers:
// ../shared/reference/mt5.md §2); the bounds go out in server time and every
// bar comes back converted with the offset in force at its own open, so a
// window across a DST change has no hour missing or doubled.
import { serverEpochMsToUtc, utcToServerEpochSeconds } from "~/domain/server-time.ts";
import type { BridgeClient } from "./bridge-client.ts";
import type { Timeframe } from "./bridge-types.ts";

export interface UtcBar {
  /** Bar open, UTC. */
  openedAt: Date;
  /** Prices as the bridge's decimal strings (never through a binary float). */
  open: string;
  high: string;
  low: string;
  close: string;
  tickVolume: number;
}

export interface RatesWindow {
  symbol: string;
  timeframe: Timeframe;
  /** UTC, inclusive. */
  from: Date;
  /** UTC, exclusive. */
  to: Date;
  /** The broker server's clock (server_time_zone), e.g. "NY+7". */
  serverTimeZone: string;
}

/** The bars opening in [from, to), oldest first. Throws BridgeError not_found for a symbol the broker lacks. */
export async function fetchRatesUtc(bridge: BridgeClient, window: RatesWindow, timeoutMs = 60_000): Promise<UtcBar[]> {
  const { symbol, timeframe, from, to, serverTimeZone } = window;
  const rates = await bridge.request(
    "rates",
    {
      symbol,
      timeframe,
      from: utcToServerEpochSeconds(from, serverTimeZone),
      // copy_rates_range takes both bounds inclusive.
      to: utcToServerEpochSeconds(new Date(to.getTime() - 1000), serverTimeZone),
    },
    timeoutMs,
  );
  return rates
    .map((rate) => ({
      openedAt: serverEpochMsToUtc(rate.time * 1000, serverTimeZone).at,
      open: rate.open,
      high: rate.high,
      low: rate.low,
      close: rate.close,
      tickVolume: Math.max(0, rate.tick_volume),
    }))
    .filter((bar) => bar.openedAt >= from && bar.openedAt < to);
}
