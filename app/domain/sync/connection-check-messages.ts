// What the connect and reconnect forms tell the user when the broker check
// does not end in a verified login. Each answer names the field to fix (the
// form marks it) and says that nothing was saved, so the user knows retrying
// is safe. The jobs process's own error_message is never shown: it is written
// for operators, and the code already says what the user can do.
import type { ConnectionCheckErrorCode } from "./connection-check.ts";

/** A refused check: a form-level message and the field it is about, if one. */
export interface ConnectionRefusal {
  message: string;
  field: "investorPassword" | "server" | null;
  /** The short note beside that field. */
  fieldMessage: string | null;
}

/** The check's codes, plus the app giving up on waiting for an answer. */
export type ConnectionFailure = ConnectionCheckErrorCode | "no_answer";

const KNOWN: ReadonlySet<string> = new Set<ConnectionFailure>([
  "auth_failed",
  "trade_allowed",
  "timeout",
  "server_unreachable",
  "terminal_crashed",
  "expired",
  "internal",
  "no_answer",
]);

export function isConnectionFailure(code: string | null | undefined): code is ConnectionFailure {
  return typeof code === "string" && KNOWN.has(code);
}

export function connectionRefusal(code: string | null | undefined, { server, login }: { server: string; login: string }): ConnectionRefusal {
  const failure: ConnectionFailure = isConnectionFailure(code) ? code : "internal";
  switch (failure) {
    case "auth_failed":
      return {
        field: "investorPassword",
        fieldMessage: "MT5 refused this login: check the password, the login and the server.",
        message: `MT5 refused the login ${login} on ${server}. Check the login number, the server name and the investor password, then try again. Nothing was saved.`,
      };
    case "trade_allowed":
      return {
        field: "investorPassword",
        fieldMessage: "This is the master password. Use the investor (read-only) password.",
        message:
          "That is the master (trading) password. Give the investor (read-only) password instead: RawJournal never stores a password that can trade. " +
          "Your broker sends it with the account details, or set one in MetaTrader 5 under Tools › Options › Server › Change. Nothing was saved.",
      };
    case "server_unreachable":
      return {
        field: "server",
        fieldMessage: "Check the server name: type it exactly as MT5 shows it.",
        message: `We couldn't reach the server “${server}”. Type its name exactly as your MT5 terminal shows it when you log in (like ICMarketsSC-Demo). Nothing was saved.`,
      };
    case "timeout":
      return { field: null, fieldMessage: null, message: `${server} didn't answer in time. Nothing was saved; try again in a moment.` };
    case "terminal_crashed":
      return { field: null, fieldMessage: null, message: "Our MT5 terminal stopped while checking your login. Nothing was saved; please try again." };
    case "expired":
    case "no_answer":
      return {
        field: null,
        fieldMessage: null,
        message: "No sync terminal was free to check your login in time, so nothing was saved. Try again in a few minutes.",
      };
    case "internal":
      return { field: null, fieldMessage: null, message: "Something went wrong while checking your login. Nothing was saved; please try again." };
  }
}
