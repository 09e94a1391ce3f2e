// The terminal's own guarantee, against the real bridge on the simulator: two
// runs that may share the terminal (the same account, or none: market data and
// connection checks) never use its bridge at the same time, and it stays busy
// until the last of them ends, so no other account can claim it in between.
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../clock.ts";
import { Terminal } from "./terminal.ts";

const terminals: Terminal[] = [];
afterEach(async () => {
  await Promise.all(terminals.splice(0).map((terminal) => terminal.stop()));
});

function terminal(): Terminal {
  const made = new Terminal({
    id: "market-data-test",
    kind: "market_data",
    bridge: {
      python: process.env.PYTHON ?? "python3",
      env: { RAWJOURNAL_MT5_MODULE: "simulator", RAWJOURNAL_SIM_SCENARIO: "default", RAWJOURNAL_SIM_SPEED: "0", RAWJOURNAL_SIM_LATENCY_SCALE: "0" },
      defaultTimeoutMs: 10_000,
    },
    clock: systemClock,
    loginTimeoutMs: 10_000,
    log: () => {},
  });
  terminals.push(made);
  return made;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("Terminal.run", () => {
  it("runs a second account-less job only after the first has finished, in the order they came", async () => {
    const shared = terminal();
    const events: string[] = [];
    const job = (name: string, ms: number) =>
      shared.run(name, null, async () => {
        events.push(`${name} start`);
        await pause(ms);
        events.push(`${name} end`);
        return name;
      });
    const answers = await Promise.all([job("first", 200), job("second", 10), job("third", 10)]);
    expect(answers).toEqual(["first", "second", "third"]);
    expect(events).toEqual(["first start", "first end", "second start", "second end", "third start", "third end"]);
  });

  it("stays busy while a queued run waits, refuses another account meanwhile, and is free after the last", async () => {
    const shared = terminal();
    let releaseFirst: (() => void) | null = null;
    const first = shared.run("first", null, () => new Promise<void>((resolve) => (releaseFirst = resolve)));
    const second = shared.run("second", null, async () => {});
    // The first run is working (the bridge has started) and the second waits.
    while (!releaseFirst) await pause(10);
    expect(shared.view.busy).toBe(true);
    expect(shared.claim("another-account")).toBe(false);
    await expect(shared.run("other", "another-account", async () => {})).rejects.toThrow(/busy/);
    (releaseFirst as () => void)();
    await Promise.all([first, second]);
    expect(shared.view.busy).toBe(false);
    expect(shared.claim("another-account")).toBe(true);
  });

  it("lets a queued run go ahead when the one before it failed", async () => {
    const shared = terminal();
    const failing = shared.run("failing", null, async () => {
      throw new Error("the job's own failure");
    });
    const next = shared.run("next", null, async (bridge) => (await bridge.request("ping", {})) !== undefined);
    await expect(failing).rejects.toThrow("the job's own failure");
    expect(await next).toBe(true);
  });
});
