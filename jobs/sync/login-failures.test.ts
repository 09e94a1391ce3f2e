import { describe, expect, it } from "vitest";
import {
  INITIAL_LOGIN_FAILURE_STATE,
  MT5_ERROR,
  loginOutcomeFromMt5Error,
  recordLoginOutcome,
  resumeAfterReconnect,
  type LoginFailureState,
  type LoginOutcome,
} from "./login-failures.ts";
import { nextSync, type AccountSyncInput } from "./cadence.ts";

const account = { server: "Broker-Live", login: "5012345" };
const at = (seconds: number) => new Date(Date.UTC(2026, 10, 25, 12, 0, seconds));

function run(outcomes: LoginOutcome[]) {
  let state: LoginFailureState = INITIAL_LOGIN_FAILURE_STATE;
  const steps = outcomes.map((outcome, i) => {
    const step = recordLoginOutcome(state, outcome, at(i), account);
    state = step.state;
    return step;
  });
  return { state, steps };
}

describe("login failure counting", () => {
  it("pauses after three refused passwords in a row and says why once", () => {
    const { state, steps } = run(["auth_failed", "auth_failed", "auth_failed", "auth_failed"]);
    expect(steps.map((s) => s.justPaused)).toEqual([false, false, true, false]);
    expect(steps[0]!.userMessage).toMatch(/2 more refusals/);
    expect(steps[1]!.userMessage).toMatch(/1 more refusal\b/);
    expect(state.consecutiveLoginFailures).toBe(3);
    expect(state.pausedAt).toEqual(at(2));
    expect(state.pausedReason).toBe(steps[2]!.userMessage);
    expect(state.pausedReason).toMatch(/5012345 on Broker-Live 3 times in a row, so sync is paused/);
    expect(state.pausedReason).toMatch(/reconnect the account/);
  });

  it("does not count timeouts, dropped connections or crashes, and resets on success", () => {
    expect(run(["auth_failed", "timeout", "terminal_crashed", "connection_failed", "auth_failed"]).state).toMatchObject({
      consecutiveLoginFailures: 2,
      pausedAt: null,
    });
    expect(run(["auth_failed", "auth_failed", "ok", "auth_failed", "auth_failed"]).state).toMatchObject({
      consecutiveLoginFailures: 2,
      pausedAt: null,
    });
  });

  it("keeps a paused account paused until the user reconnects, and the scheduler skips it", () => {
    const { state } = run(["auth_failed", "auth_failed", "auth_failed", "ok"]);
    expect(state.pausedAt).not.toBeNull();
    const input: AccountSyncInput = {
      accountId: "a",
      userId: "u",
      tier: "elite",
      mt5Server: account.server,
      mt5Login: account.login,
      syncEnabled: true,
      presence: "online",
      onlineSince: at(0),
      firstSyncCompletedAt: at(0),
      lastLightSyncAt: null,
      lastFullSyncAt: null,
      dealCheckRequestedAt: null,
      pausedAt: state.pausedAt,
    };
    expect(nextSync(input, at(10))).toBeNull();
    const resumed = resumeAfterReconnect();
    expect(resumed).toEqual({ consecutiveLoginFailures: 0, pausedAt: null, pausedReason: null });
    expect(nextSync({ ...input, pausedAt: resumed.pausedAt }, at(10))).not.toBeNull();
  });

  it("classifies MT5 error codes", () => {
    expect(loginOutcomeFromMt5Error(MT5_ERROR.AUTH_FAILED)).toBe("auth_failed");
    expect(loginOutcomeFromMt5Error(-10005)).toBe("timeout");
    expect(loginOutcomeFromMt5Error(-10004)).toBe("connection_failed");
    expect(loginOutcomeFromMt5Error(-10003)).toBe("terminal_crashed");
    expect(loginOutcomeFromMt5Error(-1)).toBe("other_error");
  });
});
