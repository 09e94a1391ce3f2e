// Consecutive login failures per MT5 account. Only a refused password counts
// (MT5 AUTH_FAILED): a timeout, a dropped connection or a crashed terminal says
// nothing about the credentials, and pausing for them would punish the user for
// our or the broker's trouble. After three refusals in a row the account is
// paused, so we stop hammering the broker (which may lock the login), and the
// user is told to reconnect with the current investor password. A successful
// login resets the count; only reconnecting lifts a pause.

export const MAX_CONSECUTIVE_LOGIN_FAILURES = 3;

/** MT5 `last_error()` codes (shared/reference/mt5.md §1). */
export const MT5_ERROR = {
  AUTH_FAILED: -6,
  INTERNAL_FAIL_SEND: -10001,
  INTERNAL_FAIL_RECEIVE: -10002,
  INTERNAL_FAIL_INIT: -10003,
  INTERNAL_FAIL_CONNECT: -10004,
  INTERNAL_FAIL_TIMEOUT: -10005,
} as const;

export type LoginOutcome = "ok" | "auth_failed" | "timeout" | "connection_failed" | "terminal_crashed" | "other_error";

/** Maps an MT5 error code from a failed login to an outcome. */
export function loginOutcomeFromMt5Error(code: number): LoginOutcome {
  switch (code) {
    case MT5_ERROR.AUTH_FAILED:
      return "auth_failed";
    case MT5_ERROR.INTERNAL_FAIL_TIMEOUT:
      return "timeout";
    case MT5_ERROR.INTERNAL_FAIL_CONNECT:
    case MT5_ERROR.INTERNAL_FAIL_SEND:
    case MT5_ERROR.INTERNAL_FAIL_RECEIVE:
      return "connection_failed";
    case MT5_ERROR.INTERNAL_FAIL_INIT:
      return "terminal_crashed";
    default:
      return "other_error";
  }
}

/** Shaped like the matching account_sync_state columns. */
export interface LoginFailureState {
  consecutiveLoginFailures: number;
  pausedAt: Date | null;
  pausedReason: string | null;
}

export interface LoginFailureStep {
  state: LoginFailureState;
  /** True only on the outcome that paused the account (notify the user once). */
  justPaused: boolean;
  /** For accounts.sync_status / sync_error, or null to leave them. */
  userMessage: string | null;
}

export const INITIAL_LOGIN_FAILURE_STATE: LoginFailureState = { consecutiveLoginFailures: 0, pausedAt: null, pausedReason: null };

export function pausedMessage(server: string, login: string): string {
  return (
    `MT5 refused the investor password for account ${login} on ${server} ` +
    `${MAX_CONSECUTIVE_LOGIN_FAILURES} times in a row, so sync is paused. ` +
    "If you changed the password, reconnect the account with the current investor password to resume."
  );
}

export function recordLoginOutcome(
  state: LoginFailureState,
  outcome: LoginOutcome,
  at: Date,
  account: { server: string; login: string },
): LoginFailureStep {
  if (state.pausedAt) {
    // A paused account is not scheduled; whatever still arrives changes nothing.
    return { state, justPaused: false, userMessage: null };
  }
  if (outcome === "ok") {
    return { state: INITIAL_LOGIN_FAILURE_STATE, justPaused: false, userMessage: null };
  }
  if (outcome !== "auth_failed") {
    return { state, justPaused: false, userMessage: null };
  }
  const failures = state.consecutiveLoginFailures + 1;
  if (failures >= MAX_CONSECUTIVE_LOGIN_FAILURES) {
    const message = pausedMessage(account.server, account.login);
    return { state: { consecutiveLoginFailures: failures, pausedAt: at, pausedReason: message }, justPaused: true, userMessage: message };
  }
  const remaining = MAX_CONSECUTIVE_LOGIN_FAILURES - failures;
  return {
    state: { ...state, consecutiveLoginFailures: failures },
    justPaused: false,
    userMessage: `MT5 refused the investor password for account ${account.login}; sync pauses after ${remaining} more refusal${remaining === 1 ? "" : "s"}.`,
  };
}

/** The user reconnected (new credentials verified): counting starts afresh. */
export function resumeAfterReconnect(): LoginFailureState {
  return INITIAL_LOGIN_FAILURE_STATE;
}
