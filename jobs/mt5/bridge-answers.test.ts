// The bridge's answers are checked at the boundary: the simulator's shapes
// (mt5/PROTOCOL.md) pass, extra fields are dropped, and a malformed answer
// is refused naming the method, the record and the field — also end to end,
// through the client, from a bridge that answers garbage.
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAnswer, type BridgeMethod } from "./bridge-answers.ts";
import { BridgeClient, BridgeError } from "./bridge-client.ts";

// As the simulator answers (default scenario, account 51000001), extra fields included.
const login = { login: 51000001, server: "RawBroker-Demo", elapsed_ms: 1, initialized: true, switched_server: false, trade_allowed: false, currency: "USD", company: "RawBroker Ltd", name: "Hedging Tester", trade_mode: 0, trade_mode_name: "demo", margin_mode: 2, margin_mode_name: "retail_hedging" };
const accountInfo = { login: 51000001, trade_mode: 0, leverage: 100, limit_orders: 200, margin_so_mode: 0, trade_allowed: false, trade_expert: false, margin_mode: 2, currency_digits: 2, fifo_close: false, balance: "9943.58", credit: "0.0", profit: "381.7", equity: "10325.28", margin: "600.2", margin_free: "9725.08", margin_level: "1720.31", margin_so_call: "50.0", margin_so_so: "30.0", margin_initial: "0.0", margin_maintenance: "0.0", assets: "0.0", liabilities: "0.0", commission_blocked: "0.0", name: "Hedging Tester", server: "RawBroker-Demo", currency: "USD", company: "RawBroker Ltd", trade_mode_name: "demo", margin_mode_name: "retail_hedging", margin_so_mode_name: "percent" };
const position = { ticket: 78000012, time: 1772618400, time_msc: 1772618400000, time_update: 1772622000, time_update_msc: 1772622000000, type: 0, magic: 0, identifier: 78000012, reason: 1, volume: "0.2", price_open: "1.09987", sl: "1.075", tp: "1.1", price_current: "1.09928", swap: "0.0", profit: "-11.8", symbol: "EURUSD", comment: "", external_id: "", type_name: "buy", reason_name: "mobile" };
const deposit = { ticket: 28000000, order: 0, time: 1770897600, time_msc: 1770897600000, type: 2, entry: 0, magic: 0, position_id: 0, reason: 0, volume: "0.0", price: "0.0", commission: "0.0", swap: "0.0", profit: "10000.0", fee: "0.0", symbol: "", comment: "Client Demo Deposit", external_id: "", type_name: "balance", entry_name: "in", reason_name: "client" };
const buy = { ticket: 28000001, order: 78000000, time: 1770991200, time_msc: 1770991200000, type: 0, entry: 0, magic: 0, position_id: 78000000, reason: 0, volume: "0.1", price: "1.085", commission: "-0.35", swap: "0.0", profit: "0.0", fee: "0.0", symbol: "EURUSD", comment: "", external_id: "", type_name: "buy", entry_name: "in", reason_name: "client" };
const order = { ticket: 78000000, time_setup: 1770991200, time_setup_msc: 1770991200000, time_done: 1770991200, time_done_msc: 1770991200000, time_expiration: 0, type: 0, type_time: 0, type_filling: 0, state: 4, magic: 0, position_id: 78000000, position_by_id: 0, reason: 0, volume_initial: "0.1", volume_current: "0.0", price_open: "1.085", sl: "1.081", tp: "1.093", price_current: "1.085", price_stoplimit: "0.0", symbol: "EURUSD", comment: "", external_id: "", type_name: "buy", state_name: "filled", reason_name: "client", type_filling_name: "fok", type_time_name: "gtc" };
const symbolInfo = { digits: 5, trade_calc_mode: 0, spread: 8, bid: "1.09924", ask: "1.09932", point: "0.00001", trade_tick_value: "1.0", trade_tick_size: "0.00001", trade_contract_size: "100000.0", volume_min: "0.01", volume_max: "100.0", volume_step: "0.01", currency_base: "EUR", currency_profit: "USD", currency_margin: "EUR", description: "Euro vs US Dollar", name: "EURUSD", trade_calc_mode_name: "forex", trade_mode_name: "full" };
const rate = { time: 1772611200, open: "1.10089", high: "1.10089", low: "1.09928", close: "1.09928", tick_volume: 4848, spread: 8, real_volume: 0 };
const offset = { offset_seconds: 7200, offset_minutes: 120, symbol: "EURUSD", tick_time: 1772625600, utc_now: 1772618400, residual_seconds: 0.0 };
const ping = { pong: true, initialized: true, login: 51000001, server: "RawBroker-Demo", connected: true, build: 4755 };

const valid: [BridgeMethod, unknown][] = [
  ["login", login],
  ["account_info", accountInfo],
  ["positions", [position]],
  ["deals", [deposit, buy]],
  ["orders", [order]],
  ["symbol_info", symbolInfo],
  ["rates", [rate]],
  ["server_time_offset", offset],
  ["ping", ping],
  ["ping", { pong: true, initialized: false, login: null, server: null }],
  ["shutdown", { bye: true }],
  ["sim_advance", { elapsed: "60.0", utc_now: 1772618460 }],
  ["positions", []],
];

function refusal(method: BridgeMethod, result: unknown): string {
  const answer = parseAnswer(method, result);
  if (answer.ok) throw new Error(`expected the ${method} answer to be refused`);
  return answer.message;
}

describe("bridge answers", () => {
  it.each(valid)("accepts the simulator's %s answer", (method, result) => {
    expect(parseAnswer(method, result)).toMatchObject({ ok: true });
  });

  it("keeps the declared fields and drops the rest", () => {
    const answer = parseAnswer("deals", [buy]);
    expect(answer.ok && answer.value[0]).toEqual({
      ticket: 28000001, order: 78000000, time: 1770991200, time_msc: 1770991200000, type: 0, type_name: "buy", entry: 0, entry_name: "in",
      magic: 0, position_id: 78000000, reason_name: "client", volume: "0.1", price: "1.085", commission: "-0.35", swap: "0.0", profit: "0.0",
      fee: "0.0", symbol: "EURUSD", comment: "",
    });
  });

  it("takes a whole number as an account figure's exact decimal text (the simulator's empty sums), but not in records", () => {
    const answer = parseAnswer("account_info", { ...accountInfo, profit: 0, balance: 10000 });
    expect(answer.ok && [answer.value.profit, answer.value.balance]).toEqual(["0", "10000"]);
    expect(refusal("account_info", { ...accountInfo, equity: 10.5 })).toContain("field equity: Invalid input: expected string, received number");
    expect(refusal("deals", [{ ...buy, profit: 0 }])).toContain("field profit: Invalid input: expected string, received number");
  });

  it("accepts enum names the module does not know (null) and a NaN margin level (null)", () => {
    expect(parseAnswer("deals", [{ ...buy, type_name: null, entry_name: null, reason_name: null }]).ok).toBe(true);
    expect(parseAnswer("account_info", { ...accountInfo, margin_level: null }).ok).toBe(true);
  });

  it.each([
    ["deals", [deposit, { ...buy, price: null }], "the MT5 bridge's deals answer is malformed: record 1 (ticket 28000001), field price: Invalid input: expected string, received null"],
    ["deals", [{ ...buy, volume: "1e-05" }], "deals answer is malformed: record 0 (ticket 28000001), field volume: expected a decimal string"],
    ["deals", [{ ...buy, profit: 12.5 }], "field profit: Invalid input: expected string, received number"],
    ["deals", [{ ...buy, ticket: "28000001" }], "record 0, field ticket: Invalid input: expected number, received string"],
    ["deals", [{ ...buy, position_id: 2 ** 60 }], "field position_id: Too big: expected int to be <=9007199254740991"],
    ["deals", [{ ...buy, entry_name: "sideways" }], "field entry_name: Invalid option"],
    ["deals", [{ ...buy, symbol: undefined }], "field symbol: Invalid input: expected string, received undefined"],
    ["deals", { deals: [] }, "the MT5 bridge's deals answer is malformed: the answer itself: Invalid input: expected array, received object"],
    ["positions", [{ ...position, type_name: "long" }], "the MT5 bridge's positions answer is malformed: record 0 (ticket 78000012), field type_name: Invalid option"],
    ["orders", [{ ...order, sl: "" }], "orders answer is malformed: record 0 (ticket 78000000), field sl: expected a decimal string"],
    ["rates", [rate, { ...rate, close: "NaN" }], "rates answer is malformed: record 1, field close: expected a decimal string"],
    ["account_info", { ...accountInfo, balance: null }, "the MT5 bridge's account_info answer is malformed: field balance: Invalid input: expected string, received null"],
    ["account_info", { ...accountInfo, margin_mode_name: "hedging" }, "account_info answer is malformed: field margin_mode_name: Invalid option"],
    ["login", { ...login, switched_server: "no" }, "the MT5 bridge's login answer is malformed: field switched_server: Invalid input: expected boolean, received string"],
    ["server_time_offset", { ...offset, offset_minutes: 120.5 }, "server_time_offset answer is malformed: field offset_minutes: Invalid input: expected int, received number"],
    ["symbol_info", { ...symbolInfo, digits: undefined }, "symbol_info answer is malformed: field digits: Invalid input: expected number, received undefined"],
    ["ping", null, "the MT5 bridge's ping answer is malformed: the answer itself: Invalid input: expected object, received null"],
  ] as [BridgeMethod, unknown, string][])("refuses a malformed %s answer, naming the field", (method, result, message) => {
    expect(refusal(method, result)).toContain(message);
  });

  it("counts the problems beyond the first", () => {
    expect(refusal("deals", [{ ...buy, price: null, fee: null }, { ...buy, swap: 1 }])).toMatch(/record 0 \(ticket 28000001\), field price: .* \(and 2 more problems\)$/);
  });
});

describe("BridgeClient with a bridge that answers malformed records", () => {
  let dir: string;
  let client: BridgeClient;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "fake-bridge-"));
    const script = path.join(dir, "fake-bridge");
    // Stands in for `python3 mt5/bridge` (the client passes the bridge's path as its argument).
    await writeFile(script, `#!/usr/bin/env python3
import json, sys
print(json.dumps({"id": None, "ok": True, "result": {"event": "hello", "bridge": "fake", "protocol": 1, "simulator": True, "pid": 1, "methods": []}}), flush=True)
deal = ${JSON.stringify(buy)}
for line in sys.stdin:
    req = json.loads(line)
    m = req["method"]
    if m == "deals":
        out = {"id": req["id"], "ok": True, "result": [deal, dict(deal, ticket=28000002, price=None)]}
    elif m == "positions":
        out = {"id": req["id"], "ok": True}
    elif m == "symbol_info":
        out = {"id": req["id"], "ok": False, "error": {"code": "brand_new_code", "message": "something new", "mt5_code": -99}}
    elif m == "shutdown":
        print(json.dumps({"id": req["id"], "ok": True, "result": {"bye": True}}), flush=True)
        break
    else:
        out = {"id": req["id"], "ok": True, "result": {"pong": True, "initialized": False, "login": None, "server": None}}
    print(json.dumps(out), flush=True)
`);
    await chmod(script, 0o755);
    client = await BridgeClient.start({ python: script, env: {}, defaultTimeoutMs: 5_000 });
  });

  afterAll(async () => {
    await client?.stop(2_000);
    await rm(dir, { recursive: true, force: true });
  });

  async function failure(promise: Promise<unknown>): Promise<BridgeError> {
    const error = await promise.then(() => null, (reason: unknown) => reason);
    if (!(error instanceof BridgeError)) throw new Error(`expected a BridgeError, got ${String(error)}`);
    return error;
  }

  it("fails the request with malformed_answer naming the record and field, and keeps serving", async () => {
    const error = await failure(client.request("deals", { from: 0, to: 1 }));
    expect(error.code).toBe("malformed_answer");
    expect(error.message).toBe("the MT5 bridge's deals answer is malformed: record 1 (ticket 28000002), field price: Invalid input: expected string, received null");
    expect(await client.request("ping", {})).toEqual({ pong: true, initialized: false, login: null, server: null });
  });

  it("refuses a response line without its result", async () => {
    const error = await failure(client.request("positions", {}));
    expect(error.code).toBe("malformed_answer");
    expect(error.message).toMatch(/^the MT5 bridge's response line to positions is malformed: field result: Invalid input/);
  });

  it("keeps the message of a refusal with a code the protocol does not list, as internal", async () => {
    const error = await failure(client.request("symbol_info", { symbol: "EURUSD" }));
    expect([error.code, error.message, error.mt5Code]).toEqual(["internal", "something new", -99]);
  });
});
