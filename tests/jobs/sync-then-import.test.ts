// One identity for a trade whether it came from the live sync or from a file
// (peers doubled trades when the two disagreed). The MT5 report the terminal
// would export for an account's history — written here from the bridge's own
// deals, not from anything stored — meets the real jobs runtime's sync of the
// same account, in both orders, through the real import pipeline and parser.
import Big from "big.js";
import { describe, expect, it } from "vitest";
import { withRlsTransaction } from "../../app/lib/db.server.ts";
import { runImport } from "../../app/models/imports/run-import.server.ts";
import { stageUpload } from "../../app/models/imports/uploads.server.ts";
import { BridgeClient } from "../../jobs/mt5/bridge-client.ts";
import type { BridgeDeal, BridgePosition } from "../../jobs/mt5/bridge-types.ts";
import { renderMt5Html, type Mt5ReportModel } from "../fixtures/imports/mt5-report-writer.ts";
import { userClaims } from "../support/fixtures.ts";
import { startJobsHarness, waitFor } from "../support/jobs-harness.ts";

const START = new Date("2026-03-04T10:00:00Z");
const h = await startJobsHarness({ start: START, tradeWorkers: 1 });
const ACCOUNT = { login: 51000001, server: "RawBroker-Demo", password: "inv-51000001!" };

/** The history as the terminal holds it: the same simulator and clock the jobs use, asked directly. */
async function brokerHistory(): Promise<{ deals: BridgeDeal[]; open: BridgePosition[]; digits: Map<string, number> }> {
  const bridge = await BridgeClient.start({
    python: process.env.PYTHON ?? "python3",
    env: {
      RAWJOURNAL_MT5_MODULE: "simulator",
      RAWJOURNAL_SIM_SCENARIO: "default",
      RAWJOURNAL_SIM_START: START.toISOString(),
      RAWJOURNAL_SIM_LATENCY_SCALE: "0",
    },
    defaultTimeoutMs: 15_000,
  });
  try {
    await bridge.request("login", ACCOUNT);
    const deals = await bridge.request("deals", { from: 0, to: 2_000_000_000 });
    // Reports print prices with the symbol's digits ("2340.50"); the bridge gives canonical decimals ("2340.5").
    const digits = new Map<string, number>();
    for (const symbol of new Set(deals.map((deal) => deal.symbol).filter(Boolean)))
      digits.set(symbol, (await bridge.request("symbol_info", { symbol })).digits);
    return { deals, open: await bridge.request("positions", {}), digits };
  } finally {
    await bridge.request("shutdown", {}).catch(() => {});
  }
}

/** A server epoch (seconds) as the report prints it: the server's wall clock. */
function printed(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(/-/g, ".").replace("T", " ").slice(0, 19);
}

const money = (value: Big.BigSource) => new Big(value).toFixed(2);
const DIRECTION_TEXT: Record<string, string> = { in: "in", out: "out", inout: "in/out", out_by: "out by" };

/** The Trade History Report an MT5 terminal would export for these deals (hedging account). */
function reportOf(deals: BridgeDeal[], open: BridgePosition[], digitsOf: Map<string, number>): Mt5ReportModel {
  const price = (symbol: string, value: Big.BigSource) => new Big(value).toFixed(digitsOf.get(symbol)!);
  let balance = new Big(0);
  const dealRows = deals.map((deal) => {
    const trading = deal.type_name === "buy" || deal.type_name === "sell";
    balance = balance.plus(deal.profit).plus(deal.commission).plus(deal.swap).plus(deal.fee);
    return [
      printed(deal.time),
      String(deal.ticket),
      deal.symbol,
      (deal.type_name ?? "").replace(/_/g, " "),
      trading ? DIRECTION_TEXT[deal.entry_name ?? ""]! : "",
      trading ? deal.volume : "",
      trading ? price(deal.symbol, deal.price) : "",
      trading ? String(deal.order) : "",
      money(deal.commission),
      money(deal.fee),
      money(deal.swap),
      money(deal.profit),
      money(balance),
      deal.comment,
    ];
  });
  const openIds = new Set(open.map((position) => position.identifier));
  const byPosition = new Map<number, BridgeDeal[]>();
  for (const deal of deals) {
    if (deal.position_id && !openIds.has(deal.position_id)) byPosition.set(deal.position_id, [...(byPosition.get(deal.position_id) ?? []), deal]);
  }
  const positions = [...byPosition.entries()].map(([id, list]) => {
    const entries = list.filter((deal) => deal.entry_name === "in");
    const exits = list.filter((deal) => deal.entry_name !== "in");
    const symbol = list[0]!.symbol;
    const volume = entries.reduce((total, deal) => total.plus(deal.volume), new Big(0));
    const vwap = (legs: BridgeDeal[]) =>
      legs
        .reduce((total, deal) => total.plus(new Big(deal.price).times(deal.volume)), new Big(0))
        .div(legs.reduce((total, deal) => total.plus(deal.volume), new Big(0)));
    const total = (field: "commission" | "swap" | "profit") => list.reduce((sum, deal) => sum.plus(deal[field]), new Big(0));
    return [
      printed(entries[0]!.time),
      String(id),
      symbol,
      entries[0]!.type_name!,
      volume.toString(),
      price(symbol, vwap(entries)),
      "",
      "",
      printed(exits.at(-1)!.time),
      price(symbol, vwap(exits)),
      money(total("commission")),
      money(total("swap")),
      money(total("profit")),
    ];
  });
  const openRows = open.map((position) => [
    printed(position.time),
    String(position.identifier),
    position.symbol,
    position.type_name!,
    position.volume,
    price(position.symbol, position.price_open),
    price(position.symbol, position.sl),
    price(position.symbol, position.tp),
    price(position.symbol, position.price_current),
    money(position.swap),
    money(position.profit),
    position.comment,
  ]);
  return {
    name: "Hedging Tester",
    accountLine: `${ACCOUNT.login} (USD, ${ACCOUNT.server}, demo, Hedge)`,
    company: "RawBroker Ltd",
    date: printed(Math.max(...deals.map((deal) => deal.time)) + 86_400).slice(0, 16),
    positions,
    orders: [],
    deals: dealRows,
    openPositions: openRows,
    summary: { balance: money(balance), equity: money(balance) },
  };
}

async function stored(accountId: string) {
  const trades = await h.db.query<Record<string, unknown>>(
    `select position_id, source, status, volume::text, entry_price::text, exit_price::text, gross_profit::text, commission::text, swap::text,
            opened_at, closed_at, import_batch_id, (select count(*)::int from public.trade_leg_rows l where l.trade_id = t.id) as legs
       from public.trades t where account_id = $1 order by position_id`,
    [accountId],
  );
  const cash = await h.db.query<Record<string, unknown>>(
    "select deal_id, kind, amount::text, occurred_at, source from public.cash_movements where account_id = $1 order by deal_id",
    [accountId],
  );
  return { trades: trades.rows, cash: cash.rows };
}

async function importReport(userId: string, accountId: string) {
  const { deals, open, digits } = await brokerHistory();
  const bytes = renderMt5Html(reportOf(deals, open, digits));
  const pool = h.sut.db!.appPool;
  const claims = userClaims(userId);
  const uploadId = await withRlsTransaction(pool, claims, (db) =>
    stageUpload(db, claims, { fileName: "ReportHistory-51000001.html", bytes, accountId, detectedFormat: "mt5-html" }),
  );
  return runImport(pool, claims, { uploadId, accountId });
}

async function historySynced(accountId: string) {
  await waitFor(async () => {
    const { rows } = await h.db.query<{ full: Date | null }>(
      "select last_full_sync_at as full from public.account_sync_state where account_id = $1",
      [accountId],
    );
    return rows[0]?.full?.getTime() === START.getTime();
  }, "the history sync");
  await h.settle();
}

const POSITIONS = [
  ["78000000", "closed"],
  ["78000003", "closed"],
  ["78000005", "closed"],
  ["78000006", "closed"],
  ["78000009", "closed"],
  ["78000011", "open"],
  ["78000012", "open"],
];

/** The figures of a trade, whichever way it arrived. */
const figures = ({ source: _source, import_batch_id: _batch, ...rest }: Record<string, unknown>) => rest;
let syncedTrades: Record<string, unknown>[] = [];

describe("the same MT5 history from the sync and from a file", () => {
  it("imports nothing twice: every position and cash deal of the report is a duplicate of what the sync stored", async () => {
    const user = await h.createMt5User("pro");
    const accountId = await h.connectAccount(user, ACCOUNT);
    const tab = await h.openTab(user);
    await historySynced(accountId);
    await tab.close();
    const synced = await stored(accountId);
    // A, J, B, C, G closed (B and C by a close-by), US30 and EURUSD open; two deposits/withdrawals and a daily commission.
    expect(synced.trades.map((t) => [t.position_id, t.status])).toEqual(POSITIONS);
    expect(synced.cash).toHaveLength(3);

    const outcome = await importReport(user, accountId);

    expect(outcome.rejected).toBe(0);
    expect(outcome.result).toEqual({ inserted: 0, duplicates: 7, updated: 0, cashInserted: 0, cashDuplicates: 3 });
    // Nothing the sync stored was touched: same rows, same values, still from the sync, in no import batch.
    expect(await stored(accountId)).toEqual(synced);
    expect(synced.trades.every((t) => t.source === "mt5" && t.import_batch_id === null)).toBe(true);
    syncedTrades = synced.trades;
  });

  it("syncs nothing twice after the report was imported first: the sync finds every position and cash deal stored", async () => {
    // Another trader with the same MT5 login (accounts are unique per user), who imports before connecting sync.
    const user = await h.createMt5User("pro");
    const accountId = await h.connectAccount(user, ACCOUNT);
    const outcome = await importReport(user, accountId);
    expect(outcome.result).toEqual({ inserted: 7, duplicates: 0, updated: 0, cashInserted: 3, cashDuplicates: 0 });
    const imported = await stored(accountId);
    // The report's closed trades carry the figures the sync computed from the same deals: prices, volumes, money, times, legs.
    const closedFigures = (rows: Record<string, unknown>[]) => rows.filter((t) => t.status === "closed").map(figures);
    expect(closedFigures(imported.trades)).toEqual(closedFigures(syncedTrades));

    const tab = await h.openTab(user);
    await historySynced(accountId);
    await tab.close();
    const after = await stored(accountId);
    expect(after.trades.map((t) => [t.position_id, t.status])).toEqual(POSITIONS);
    expect(after.cash).toEqual(imported.cash);
    // The closed trades are the file's, untouched (legs included); the open ones are the same positions, still one row each.
    const closed = (rows: Record<string, unknown>[]) => rows.filter((t) => t.status === "closed");
    expect(closed(after.trades)).toEqual(closed(imported.trades));
  });
});
